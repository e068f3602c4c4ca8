/**
 * Problem messages, Chinese first with English available, keyed by stable problem code. `{x}` is
 * replaced by the parameter x. Each message says what is wrong and how to fix it.
 */
import { fill } from '../i18n/fill';

export type Lang = 'zh' | 'en';

const M = {
  'file/xls': { zh: '不支持 .xls / .et 格式（旧版 Excel 或 WPS 表格）。请在 Excel 或 WPS 中“另存为” .xlsx 后重新上传', en: '.xls / .et files (old Excel or WPS format) are not supported. Save the file as .xlsx in Excel or WPS and upload it again' },
  'file/encrypted': { zh: '工作簿已加密（设置了打开密码）。请在 Excel 或 WPS 中取消密码后另存为 .xlsx 再上传', en: 'The workbook is password-protected. Remove the password in Excel or WPS, save as .xlsx and upload again' },
  'file/not-xlsx': { zh: '文件不是有效的 .xlsx 工作簿（可能是改了扩展名的其他文件）。请使用模板填写后上传', en: 'The file is not a valid .xlsx workbook (perhaps another file renamed). Fill in the template and upload it' },
  'file/corrupt': { zh: '工作簿无法读取（文件已损坏或包含不支持的内容：{detail}）。请在 Excel 或 WPS 中打开并重新保存为 .xlsx', en: 'The workbook cannot be read (damaged or unsupported content: {detail}). Open it in Excel or WPS and save it again as .xlsx' },
  'file/empty': { zh: '工作簿是空的，没有可读取的数据。请使用模板填写', en: 'The workbook is empty. Fill in the template' },
  'file/too-large': { zh: '文件大小 {size} 超过上限 {limit}。请拆分或删除无关工作表后重新上传', en: 'The file is {size}, over the {limit} limit. Remove unrelated sheets and upload again' },
  'file/zip-bomb': { zh: '工作簿解压后大小 {size} 超过上限 {limit}（或压缩比 {ratio} 超过 {maxRatio}），出于安全考虑拒绝读取', en: 'The workbook expands to {size}, over the {limit} limit (or its compression ratio {ratio} exceeds {maxRatio}); it is refused for safety' },
  'file/too-many-rows': { zh: '职工名册超过 {limit} 行的上限，已停止读取。请联系残联分批报送', en: 'The roster has more than {limit} rows, the limit; reading stopped. Contact the bureau to submit in parts' },
  'file/csv-encoding': { zh: 'CSV 文件编码无法识别，请另存为 UTF-8 编码的 CSV', en: 'The CSV encoding is not recognised. Save it as UTF-8 CSV' },
  'sheet/missing': { zh: '缺少工作表“{sheet}”。请使用模板，不要重命名或删除工作表', en: 'Sheet "{sheet}" is missing. Use the template and do not rename or delete its sheets' },
  'header/not-found': { zh: '在前 {rows} 行中没有找到表头（应包含“姓名”“身份证号”等列名）', en: 'No header row was found in the first {rows} rows (expected column names such as 姓名 / name, 身份证号 / id_number)' },
  'header/missing-column': { zh: '缺少必填列“{column}”（英文 {en}）。请在表头添加该列', en: 'Required column "{column}" ({en}) is missing. Add it to the header row' },
  'employer/missing-label': { zh: '单位信息缺少“{label}”：请在 A 列填写“{label}”，B 列填写其值', en: 'The employer sheet lacks "{label}": put "{label}" in column A and its value in column B' },
  'employer/other-uscc': { zh: '工作簿中的统一社会信用代码 {uscc} 与您登录的单位（{expected}）不一致，请上传本单位的工作簿', en: 'The workbook\'s credit code {uscc} is not your employer\'s ({expected}); upload your own employer\'s workbook' },
  'header/duplicate-column': { zh: '列“{column}”出现了两次，只读取第一列', en: 'Column "{column}" appears twice; only the first is read' },
  'header/unknown-column': { zh: '未识别的列“{column}”，已忽略', en: 'Unknown column "{column}" is ignored' },
  'row/example-skipped': { zh: '模板示例行已忽略', en: 'The template example row was ignored' },
  'cell/required': { zh: '“{column}”不能为空', en: '"{column}" is required' },
  'cell/date': { zh: '“{column}”不是有效日期，请填写如 2025-03-01 或 2025年3月1日', en: '"{column}" is not a valid date; write e.g. 2025-03-01' },
  'cell/future-date': { zh: '“{column}”是未来日期（{date}），请核对', en: '"{column}" is in the future ({date}); please check' },
  'cell/id-format': { zh: '身份证号应为18位（17位数字加1位数字或X），请核对', en: 'The ID number must be 18 characters (17 digits and a digit or X)' },
  'cell/id-birth': { zh: '身份证号中的出生日期 {birth} 无效，请核对', en: 'The birth date {birth} in the ID number is invalid' },
  'cell/id-checksum': { zh: '身份证号校验位错误（应为 {expected}），请核对是否抄错', en: 'The ID number check digit is wrong (expected {expected}); check for a typo' },
  'cell/cert-format': { zh: '残疾人证号应为20位：身份证号18位 + 残疾类别（1–7）+ 残疾等级（1–4）', en: 'The disability certificate number must be 20 characters: the 18-character ID + category (1–7) + grade (1–4)' },
  'cell/cert-mismatch': { zh: '残疾人证号与身份证号不一致（前18位应与身份证号相同）', en: 'The certificate number does not match the ID number (its first 18 characters must equal the ID)' },
  'cell/cert-category-mismatch': { zh: '残疾类别列为“{category}”，但残疾人证号显示类别 {certCategory}，请核对', en: 'The category column says "{category}" but the certificate number says category {certCategory}' },
  'cell/veteran-grade': { zh: '残疾军人证等级应为 1–8 的整数', en: 'The veteran grade must be a whole number 1–8' },
  'cell/uscc-format': { zh: '统一社会信用代码应为18位（数字和大写字母，不含 I、O、Z、S、V）', en: 'The unified social credit code must be 18 characters (digits and capitals except I, O, Z, S, V)' },
  'cell/uscc-checksum': { zh: '统一社会信用代码校验位错误（应为 {expected}），请核对', en: 'The credit code check character is wrong (expected {expected})' },
  'cell/enum': { zh: '“{column}”应为以下之一：{allowed}', en: '"{column}" must be one of: {allowed}' },
  'cell/bool': { zh: '“{column}”应填“是”或“否”', en: '"{column}" must be 是 (yes) or 否 (no)' },
  'cell/integer': { zh: '“{column}”应为不小于 {min} 的整数', en: '"{column}" must be a whole number, at least {min}' },
  'cell/year': { zh: '评估年度应为4位年份，如 2025', en: 'The assessment year must be a 4-digit year, e.g. 2025' },
  'cell/year-unsupported': { zh: '{year}年度的参数尚未配置（支持 {first}–{last} 年度）', en: 'Parameters for {year} are not configured (supported: {first}–{last})' },
  'cell/money': { zh: '“{column}”应为金额数字，如 5200 或 5,200.50', en: '"{column}" must be an amount, e.g. 5200 or 5,200.50' },
  'cell/money-positive': { zh: '“{column}”应大于 0', en: '"{column}" must be greater than 0' },
  'cell/money-decimals': { zh: '“{column}”最多两位小数（精确到分）', en: '"{column}" allows at most two decimals (fen)' },
  'cell/money-too-large': { zh: '“{column}”金额过大（上限 {limit} 元），请核对单位是否为元', en: '"{column}" is too large (limit {limit} 元); check that it is in 元' },
  'cell/insured-months': { zh: '社保缴纳月份格式应如 1-12 或 1-6,9-12，月份在 1–12 之间', en: 'Insured months must look like 1-12 or 1-6,9-12, months 1–12' },
  'row/left-before-hired': { zh: '离职日期 {left} 早于入职日期 {hired}', en: 'Leaving date {left} is before hiring date {hired}' },
  'row/contract-end-before-start': { zh: '合同结束 {end} 早于合同开始 {start}', en: 'Contract end {end} is before contract start {start}' },
  'row/duplicate-id': { zh: '身份证号与第 {firstRow} 行重复，同一职工只能填写一行', en: 'This ID number already appears in row {firstRow}; one row per employee' },
  'row/wage-below-minimum': { zh: '{month}月工资 {wage} 元低于当地最低工资 {minWage} 元，请核对', en: 'The wage for month {month} ({wage} 元) is below the minimum wage {minWage} 元; please check' },
  'row/dispatch-flag-ignored': { zh: '“派遣计入本单位”只对劳务派遣职工有效，已忽略', en: '"dispatch counted here" applies only to dispatched workers; ignored' },
  'csv/employer-flag': { zh: 'CSV 只包含职工名册，请提供单位信息：缺少 {flag}', en: 'A CSV holds only the roster; give the employer details: {flag} is missing' },
} as const;

export type MessageCode = keyof typeof M;

export function message(code: MessageCode, params: Record<string, string | number>, lang: Lang): string {
  return fill(M[code][lang], params, (k) => `{${k}}`);
}

export function hasMessage(code: string): code is MessageCode {
  return Object.prototype.hasOwnProperty.call(M, code);
}
