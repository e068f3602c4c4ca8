/**
 * The words of the recompute an import of the certificate register or the insurance records starts (docs/rules.md
 * §4.3, §4.4, §6.1): on the import pages, the run's progress, the employer's home page and the officer's review,
 * in both languages under the same keys; zh-CN.ts and en.ts take them in.
 */
export const importRecomputeZhCN = {
  'importRecompute.run': '{y}年度已存结果正在按新导入的数据重新计算：已完成 {d} / {n}',
  'importRecompute.runDone': '{y}年度已存结果已按新导入的数据重新计算：{c} 份结果变化，{u} 份未变',
  'importRecompute.runFailed': '{y}年度已存结果的重新计算中断：已完成 {d} / {n}',
  'importRecompute.progress': '查看进度',
  'importRecompute.none': '尚无已存结果需要重新计算。',
  'importRecompute.reason.certificate-register': '残联证库导入后，结果已按证库重新计算',
  'importRecompute.reason.insurance-records': '社保缴费记录导入后，结果已按缴费记录重新计算',
  'importRecompute.reason.cross-unit': '经审核，部分月份由其他单位计入，结果已重新计算',
  'importRecompute.reason.social-average-wage': '保障金已按社会平均工资重新计算',
  'importRecompute.diff': '查看变化',
  'importRecompute.title': '计算结果已重新计算',
  'importRecompute.source.certificate-register': '残联证库已导入：',
  'importRecompute.source.insurance-records': '社保缴费记录已导入：',
  'importRecompute.runningTitle': '正在重新计算{y}年度的已存结果',
  'importRecompute.running':
    '各单位当前报送的结果和最新核算结果正在后台按新导入的数据重新计算：已处理 {d} / {n} 个。本页每隔几秒自动更新；也可以离开本页，稍后回来查看。',
  'importRecompute.failed':
    '{y}年度已存结果的重新计算中断：已处理 {d} / {n} 个，其余结果保持原数。请查看系统日志排除原因后，点击“重新计算”：数据未变的结果不会产生新版本。',
  'importRecompute.summary':
    '{y}年度已重新计算 {n} 个结果，{u} 个结果数据未变；{p} 个结果的原始工作簿已删除，保持原数。',
  'clashConfirm.title': '确认计入单位',
  'clashConfirm.question': '确认{name}（第 {row} 行）各月由哪家单位计入？',
  'clashConfirm.keeps': '{unit}（{county}）计入 {months}',
  'clashConfirm.recomputed': '{unit}（{county}）的结果将不计这些月份重新计算，保留为新的计算版本，单位可见变化。',
  'clashConfirm.nothing': '未选择任何月份，不会记录决定。',
  'clashConfirm.confirm': '确认并重新计算',
};

export const importRecomputeEn: Record<keyof typeof importRecomputeZhCN, string> = {
  'importRecompute.run': 'Stored results of {y} are being recomputed with the imported data: {d} of {n} done',
  'importRecompute.runDone': 'Stored results of {y} were recomputed with the imported data: {c} changed, {u} unchanged',
  'importRecompute.runFailed': 'The recompute of the stored results of {y} stopped: {d} of {n} done',
  'importRecompute.progress': 'See the progress',
  'importRecompute.none': 'No stored result to recompute.',
  'importRecompute.reason.certificate-register':
    'After the certificate register was imported, the result was computed again against it',
  'importRecompute.reason.insurance-records':
    'After the social-insurance payment records were imported, the result was computed again against them',
  'importRecompute.reason.cross-unit':
    'After review some months are counted by another unit: the result was computed again',
  'importRecompute.reason.social-average-wage': 'The levy was recomputed with the social average wage',
  'importRecompute.diff': 'See what changed',
  'importRecompute.title': 'Results were computed again',
  'importRecompute.source.certificate-register': 'Certificate register imported: ',
  'importRecompute.source.insurance-records': 'Social-insurance payment records imported: ',
  'importRecompute.runningTitle': 'Recomputing the stored results of {y}',
  'importRecompute.running':
    "each unit's current submission and latest result are being recomputed in the background with the imported data: {d} of {n} done. This page updates itself every few seconds; you can also leave and come back later.",
  'importRecompute.failed':
    'The recompute of the stored results of {y} stopped: {d} of {n} done; the others keep their figures. Check the system log for the reason, then press “Run again”: a result whose figures do not move gets no new version.',
  'importRecompute.summary':
    '{y}: {n} {n|result|results} recomputed, {u} unchanged; {p} {p|result keeps its|results keep their} figures because {p|its workbook was|their workbooks were} deleted.',
  'clashConfirm.title': 'Confirm who counts the months',
  'clashConfirm.question': 'Confirm which unit counts {name} (row {row}) in which month?',
  'clashConfirm.keeps': 'Counted by {unit} ({county}): {months}',
  'clashConfirm.recomputed':
    'The result of {unit} ({county}) is computed again without these months, as a new version; the unit sees what changed.',
  'clashConfirm.nothing': 'No month chosen: no decision is recorded.',
  'clashConfirm.confirm': 'Confirm and recompute',
};
