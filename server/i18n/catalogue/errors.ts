/**
 * Refusals raised by the services (notices, the year's procedure, county settings, storage faults), in both
 * languages under the same keys; zh-CN.ts and en.ts take them in. Services raise them through `said(key)`.
 */
export const errorsZhCN = {
  'error.notice.not-draft': '已发布的公示不能修改；如需更正，请在该公示页面点击“发布更正”',
  'error.notice.bad-period': '公示期有误：“公示开始日期”应为有效日期，“公示天数”为 {min}–{max} 天',
  'error.notice.period-past': '公示开始日期不能早于今天：公示期须在发布后才开始，公众才能在整个公示期内看到并提出异议',
  'error.notice.issuer-missing':
    '本县（市、区）的发布单位或异议受理联系人、电话、地址、受理时间尚未设置：请管理员在“系统设置 → 各县（市、区）公示设置”中填写后再发布',
  'error.notice.doc-no-required': '请填写文号，如 海残联〔2026〕5号',
  'error.notice.doc-no-same': '更正是一份新的公文，文号不能与被更正的公示相同：请填写本次更正的文号',
  'error.notice.note-required': '更正版本请说明更正内容和原因',
  'error.notice.empty-correction':
    '本更正稿与已发布的公示没有任何差别，不能发布。请先在审核中处理需更正的报送，再“按最新审核结果重新生成”',
  'error.notice.not-latest': '只能对最新发布的版本发布更正',
  'error.notice.objection-closed': '该公示不在公示期内，异议受理已结束',
  'error.notice.objection-incomplete': '请填写姓名、联系方式、所涉单位和异议理由',
  'error.notice.bad-contact': '联系方式应为手机号、固定电话（如 0573-82000000）或电子邮箱',
  'error.notice.not-an-entry': '所选单位不在本公示中，请从列表中选择',
  'error.notice.answer-required': '请填写答复内容',
  'error.notice.findings-required': '请填写核实情况',
  'error.notice.outcome-required': '请选择处理结果（异议成立、部分成立或不成立）',
  'error.notice.wrong-step': '该异议已处理到其他步骤，请刷新页面后再操作',
  'error.procedure.not-found': '找不到该记录',
  'error.procedure.bad-transition':
    '该申请当前状态不允许此操作（只能审核“已申请”的申请，只能对“已批准”的申请登记发放）',
  'error.procedure.reason-required': '不予批准时请填写原因（单位可见）',
  'error.procedure.bad-date': '日期格式应为 YYYY-MM-DD，例如 2026-09-30',
  'error.procedure.bad-amount': '社会平均工资：金额应为正数（元，最多两位小数），例如 96000 或 96,000',
  'error.procedure.bad-year': '数据年度：请填写年份，如 2025',
  'error.procedure.bad-window': '结束日期不能早于开始日期',
  'error.procedure.source-required': '请填写来源（发布该数据的文件或统计公报）',
  'error.procedure.no-inputs': '原始工作簿已按保留期限删除，无法据此生成下一年度模板',
  'error.procedure.superseded':
    '该奖励申请随第 {v} 版报送提出，已被第 {n} 版取代，不能批准、不予批准或登记发放。请审核第 {n} 版报送及其奖励申请',
  'error.procedure.not-accepted': '第 {v} 版报送尚未审核通过：请先审核通过该报送，再批准其奖励申请',
  'error.procedure.not-confirmed':
    '批准奖励须在确认页核对奖励金额后确认。请从“奖励申请”列表点击“批准”，核对金额后再确认',
  'error.storage.full': '服务器存储空间已满，本次操作没有保存。请保留您的文件，稍后重试；如持续出现请联系系统管理员。',
  'error.storage.readonly':
    '服务器数据目录当前只读，本次操作没有保存。请保留您的文件，稍后重试；如持续出现请联系系统管理员。',
  'error.county.choose': '请选择县（市、区）',
  'error.county.telephone': '联系电话应为手机号或固定电话，如 0573-82000000',
  'error.year.range': '年度应为 2016 年至今的四位年份',
  'error.objection.too-many': '提交过于频繁，请稍后再试',
  'error.county.required': '请填写“{label}”',
  'error.county.too-long': '“{label}”最多 {max} 个字',
};

export const errorsEn: Record<keyof typeof errorsZhCN, string> = {
  'error.notice.not-draft': 'A published notice cannot be changed; use "Publish a correction" on its page instead',
  'error.notice.bad-period': 'Check the notice period: "Period starts" must be a real date and "Days" {min}–{max}',
  'error.notice.period-past':
    'The notice period cannot start before today: it must begin once the notice is published, so the public can read and object for the whole period',
  'error.notice.issuer-missing':
    "The county's issuing body or objection contact (person, telephone, address, office hours) is not set: an administrator fills them in under Settings → County notice settings",
  'error.notice.doc-no-required': 'Enter the document number exactly as the bureau assigned it to this notice',
  'error.notice.doc-no-same':
    'A correction is a new document: its document number cannot be that of the notice it corrects. Enter the number assigned to this correction',
  'error.notice.note-required': 'A correction needs a note saying what was corrected and why',
  'error.notice.empty-correction':
    'This correction changes nothing against the published notice, so it cannot be published. Review the submissions to correct first, then rebuild it',
  'error.notice.not-latest': 'Only the latest published edition can be corrected',
  'error.notice.objection-closed': 'This notice is outside its notice period; objections are closed',
  'error.notice.objection-incomplete': 'Enter your name, a contact, the employer concerned and the reason',
  'error.notice.bad-contact':
    'The contact must be a mobile or landline number (e.g. 0573-82000000) or an e-mail address',
  'error.notice.not-an-entry': 'The employer chosen is not listed in this notice; pick one from the list',
  'error.notice.answer-required': 'Enter an answer',
  'error.notice.findings-required': 'Enter what the check found',
  'error.notice.outcome-required': 'Choose the outcome (upheld, partly upheld or rejected)',
  'error.notice.wrong-step': 'This objection is at another step; reload the page and try again',
  'error.procedure.not-found': 'Not found',
  'error.procedure.bad-transition':
    'Not possible in the current state: only an applied claim can be approved or refused, and only an approved one marked paid',
  'error.procedure.reason-required': 'A refusal needs a reason the employer will see',
  'error.procedure.bad-date': 'Dates are YYYY-MM-DD, e.g. 2026-09-30',
  'error.procedure.bad-amount':
    'Social average wage: the amount must be positive, in yuan with at most two decimals, e.g. 96000 or 96,000',
  'error.procedure.bad-year': 'Data year: a year such as 2025',
  'error.procedure.bad-window': 'An end date cannot be before its start date',
  'error.procedure.source-required': 'Enter the source: the document or statistical bulletin that publishes the figure',
  'error.procedure.no-inputs':
    'The original workbook was deleted under the retention rule; no template can be made from it',
  'error.procedure.superseded':
    'This reward application came with version {v}, which was superseded by version {n}: it cannot be approved, refused or marked paid. Review version {n} and its application instead',
  'error.procedure.not-accepted':
    'Version {v} has not been accepted yet: accept the submission first, then approve its reward application',
  'error.procedure.not-confirmed':
    'Approving a reward needs its amount confirmed: choose “Approve” in the reward applications list, check the amount, then confirm',
  'error.storage.full':
    'The server’s storage is full, so this was not saved. Keep your file and try again later; if it persists, tell the system administrator.',
  'error.storage.readonly':
    'The server’s data directory is read-only, so this was not saved. Keep your file and try again later; if it persists, tell the system administrator.',
  'error.county.choose': 'Choose a county',
  'error.county.telephone': 'The telephone must be a mobile or landline number, e.g. 0573-82000000',
  'error.year.range': 'The year must be a four-digit year from 2016 to now',
  'error.objection.too-many': 'Too many objections from your address; try again later',
  'error.county.required': 'Enter the {label}',
  'error.county.too-long': 'The {label} is at most {max} {max|character|characters}',
};
