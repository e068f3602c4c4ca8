/**
 * The words of the cross-unit checks (one person counted by one unit in a month, docs/rules.md §4.2): the
 * exclusion and its explanation, the clashes the officer reviews and decides, and the notice on the employer's
 * result; in both languages under the same keys, taken into zh-CN.ts and en.ts.
 */
export const crossUnitZhCN = {
  'exclusion.counted-by-another-unit': '当月由其他单位计入',
  'figure.exclusions.counted-by-another-unit': '由其他单位计入的月份',
  'formula.exclusions.counted-by-another-unit.withheld':
    '{persons:count} 名残疾职工共 {personMonths:count} 个月经审核由其他单位计入，本单位不计入',
  'clause.CDPF63': '《中国残联办公厅关于明确按比例就业联网认证“跨省通办”工作有关事项的通知》（残联厅函〔2022〕63号）',
  'interp.I12':
    '同一名残疾人同一个月被两个以上单位计入时，默认由当月为其缴纳社会保险的单位计入；都缴纳或都未缴纳的，由其入职较早的单位计入；仍无法区分的，由审核人员决定。',
  'crossUnit.title': '同一残疾人同月被其他单位计入',
  'crossUnit.intro':
    '下列残疾职工在同一月份也被其他单位计入。一名残疾人同一个月只能计入一个单位（财税〔2015〕72号第八条、残联厅函〔2022〕63号）。请决定每个月由哪个单位计入，另一单位的结果将不计这些月份，重新计算为新的计算版本。',
  'crossUnit.none': '本年度其他单位的报送中没有同月计入本单位残疾职工的情况。',
  'crossUnit.person': '第 {row} 行 {name}',
  'crossUnit.clashMonths': '重复计入月份：{months}',
  'crossUnit.unit': '单位',
  'crossUnit.here': '本单位',
  'crossUnit.countedMonths': '计入月份',
  'crossUnit.hired': '入职日期',
  'crossUnit.contract': '劳动合同期限',
  'crossUnit.contractOpen': '{from} 起，无固定期限',
  'crossUnit.contractRange': '{from} 至 {to}',
  'crossUnit.insured': '社保缴纳月份',
  'crossUnit.insuredAll': '在职各月',
  'crossUnit.left': '离职日期',
  'crossUnit.monthN': '{m}月',
  'crossUnit.keeperLegend': '{m}月由哪个单位计入',
  'crossUnit.suggested': '（建议）',
  'crossUnit.keeperCaption': '每个重复计入的月份由哪个单位计入',
  'crossUnit.month': '月份',
  'crossUnit.noSuggestion': '两个单位的社保缴纳和入职日期相同，请审核人员决定。',
  'crossUnit.rule': '建议依据：{rule}',
  'crossUnit.decide': '确认决定并重新计算',
  'crossUnit.decidedTitle': '已作出的决定',
  'crossUnit.decidedItem': '{months}：由 {keeper}（{keeperCounty}）计入，{other}（{otherCounty}）不计入',
  'crossUnit.decidedVersion': '已重新计算为计算版本 {v}',
  'crossUnit.decidedPurged': '原始文件已按保存期限删除，未能重新计算',
  'crossUnit.done': '决定已记录，{n} 个单位的结果已重新计算。',
  'crossUnit.error.notFound': '找不到该重复计入记录，可能已有新的报送版本。请刷新页面后重试。',
  'crossUnit.error.noMonth': '请为至少一个重复计入的月份选择由哪个单位计入。',
  'crossUnit.employer.title': '有残疾职工同时被其他单位计入',
  'crossUnit.employer.item': '{name}（第 {row} 行）{months}同时被其他单位计入',
  'crossUnit.employer.ifStands': '如果其他单位的计入成立，本单位的结果将变为：',
  'crossUnit.employer.what':
    '一名残疾人同一个月只能计入一个单位。报送后由主管部门决定每个月由哪个单位计入。请核对该职工的入职日期、劳动合同期限和社保缴纳月份；如有误，请更正后重新上传。',
  'crossUnit.employer.decided': '经审核，{name}（第 {row} 行）{months}由其他单位计入，本单位不计入。',
  'crossUnit.recomputed': '经审核，部分月份由其他单位计入，结果已重新计算',
};

export const crossUnitEn: Record<keyof typeof crossUnitZhCN, string> = {
  'exclusion.counted-by-another-unit': 'counted by another unit for the month',
  'figure.exclusions.counted-by-another-unit': 'months counted by another unit',
  'formula.exclusions.counted-by-another-unit.withheld':
    '{persons:count} disabled {persons|employee|employees}, {personMonths:count} {personMonths|month|months} in all, kept by another unit after review; not counted here',
  'clause.CDPF63': 'CDPF General Office notice 2022 No. 63 on the nationwide online verification of quota employment',
  'interp.I12':
    'When one disabled person is counted by two or more units in the same month, the month goes by default to the unit that paid their social insurance for it; if both or neither did, to the unit they joined first; otherwise the officer decides.',
  'crossUnit.title': 'Disabled employees also counted by another unit in the same month',
  'crossUnit.intro':
    'The disabled employees below are also counted by another unit in the same months. A disabled person counts for one unit only in any month (MoF 2015/72 art. 8; CDPF 2022 No. 63). Decide which unit keeps each month: the other unit’s result is computed again without those months, as a new version.',
  'crossUnit.none':
    'No other unit’s submission this year counts one of this unit’s disabled employees in the same month.',
  'crossUnit.person': 'row {row}, {name}',
  'crossUnit.clashMonths': 'counted twice in: {months}',
  'crossUnit.unit': 'Unit',
  'crossUnit.here': 'this unit',
  'crossUnit.countedMonths': 'Months counted',
  'crossUnit.hired': 'Entry date',
  'crossUnit.contract': 'Labour contract',
  'crossUnit.contractOpen': 'from {from}, open-ended',
  'crossUnit.contractRange': '{from} to {to}',
  'crossUnit.insured': 'Months insured',
  'crossUnit.insuredAll': 'every month employed',
  'crossUnit.left': 'Leaving date',
  'crossUnit.monthN': 'Month {m}',
  'crossUnit.keeperLegend': 'Which unit keeps month {m}',
  'crossUnit.suggested': '(suggested)',
  'crossUnit.keeperCaption': 'The unit that keeps each month counted twice',
  'crossUnit.month': 'Month',
  'crossUnit.noSuggestion': 'Both units give the same insurance months and entry date: the officer decides.',
  'crossUnit.rule': 'Suggested by: {rule}',
  'crossUnit.decide': 'Record the decision and recompute',
  'crossUnit.decidedTitle': 'Decisions made',
  'crossUnit.decidedItem': '{months}: kept by {keeper} ({keeperCounty}), not counted by {other} ({otherCounty})',
  'crossUnit.decidedVersion': 'recomputed as version {v}',
  'crossUnit.decidedPurged': 'the workbook was deleted under the retention rule: not recomputed',
  'crossUnit.done': 'Decision recorded; {n} {n|unit’s result|units’ results} computed again.',
  'crossUnit.error.notFound':
    'This clash was not found; a newer version may have been submitted. Reload the page and try again.',
  'crossUnit.error.noMonth': 'Choose the unit that keeps at least one of the months counted twice.',
  'crossUnit.employer.title': 'A disabled employee is also counted by another unit',
  'crossUnit.employer.item': '{name} (row {row}) is also counted by another unit in {months}',
  'crossUnit.employer.ifStands': 'If the other unit’s claim stands, this result becomes:',
  'crossUnit.employer.what':
    'A disabled person counts for one unit only in any month. After you submit, the bureau decides which unit keeps each month. Check the employee’s entry date, labour contract and months insured; if any is wrong, correct it and upload again.',
  'crossUnit.employer.decided':
    'After review, {name} (row {row}) is counted by another unit in {months}, not by this unit.',
  'crossUnit.recomputed': 'After review some months are counted by another unit: the result was computed again',
};
