/**
 * The employer's report as a workbook (issue #5.4): summary, monthly table, every figure with its formula
 * and clauses, employees not counted (names masked), and the what-if table. Chinese by default, English on
 * request. Text cells pass the formula-injection guard — an employer's own name could start with "=".
 */
import ExcelJS from 'exceljs';
import { EXCLUSION, label, maskName, REWARD, STATUS, EXEMPTION } from '../../server/i18n/labels';
import { t as tr } from '../../server/i18n/t';
import { CLAUSES, isClauseId } from '../../server/rules/clauses';
import type { ResultView } from './result-view';
import { systemTime } from '../../server/i18n/format';
import { safeCell } from '../xlsx/safe-cell';

type Lang = 'zh' | 'en';

function sheet(wb: ExcelJS.Workbook, name: string, headers: string[], rows: unknown[][], widths: number[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r.map(safeCell));
  widths.forEach((w, i) => { ws.getColumn(i + 1).width = w; });
  return ws;
}

export function buildEmployerReport(view: ResultView, lang: Lang, generatedAt: string): ExcelJS.Workbook {
  const r = view.result;
  if (!r) throw new Error('a result with problems has no report');
  const en = lang === 'en';
  const wb = new ExcelJS.Workbook();
  wb.creator = 'QuotaDesk';
  const status = label(STATUS, r.quota.status, lang) + (r.concentrated.months.length ? ` · ${label(STATUS, 'concentrated', lang)}` : '');
  sheet(wb, en ? 'Summary' : '摘要', [en ? 'Item' : '项目', en ? 'Value' : '内容'], [
    [tr('employer', lang), r.employer.name], [tr('uscc', lang), r.employer.uscc], [tr('county', lang), r.employer.county], [en ? 'Unit type' : '单位类型', r.employer.unitType], [tr('year', lang), r.employer.year],
    [tr('quotaStatus', lang), status],
    [en ? 'Average staff' : '在职职工年平均人数', r.annual.avgStaff], [en ? 'Required (1.5 %)' : '应安排人数', r.quota.required], [en ? 'Employed (weighted)' : '实际安排人数（加权）', r.annual.avgWeighted],
    [tr('levyPayable', lang), r.levy.payable], [en ? 'Collected in' : '征收年度', r.levy.collectionYear], [en ? 'Exemption' : '免征情形', r.levy.exemption ? label(EXEMPTION, r.levy.exemption, lang) : ''],
    [tr('rewardsTotal', lang), view.rewardTotal], [en ? 'Concentrated months' : '集中就业月份', r.concentrated.months.join(', ')], [tr('vatCeiling', lang), r.concentrated.vatRefundCeiling],
    [en ? 'Generated' : '生成时间', systemTime(generatedAt)],
  ], [28, 60]);
  sheet(wb, en ? 'Monthly' : '月度', [tr('month', lang), tr('staff', lang), tr('disabled', lang), tr('weighted', lang), tr('minWage', lang), tr('concentrated', lang), tr('vatCeiling', lang)],
    r.months.map((m) => [m.month, m.staff, m.disabled, m.weighted, m.minWage, m.concentrated ? tr('yes', lang) : tr('no', lang), m.vatRefundCeiling]), [8, 12, 12, 12, 12, 12, 18]);
  sheet(wb, en ? 'Explanations' : '计算说明', [tr('figure', lang), tr('value', lang), en ? 'Formula' : '公式', en ? 'Clauses' : '政策依据', en ? 'Interpretations' : '解释口径'],
    view.explanationsByFigure.map((e) => [e.figure, e.value, e.formula, e.clauses.map((c) => `${c} ${isClauseId(c) ? CLAUSES[c][lang] : ''}`.trim()).join('\n'), e.interpretations.join(', ')]), [26, 18, 70, 60, 16]);
  sheet(wb, en ? 'Rewards' : '奖励', [en ? 'Reward' : '奖励项目', en ? 'Clause' : '依据', en ? 'Persons' : '人数', en ? 'Months of min. wage' : '最低工资月数', en ? 'Amount' : '金额'],
    r.rewards.map((x) => [label(REWARD, x.kind, lang), x.clause, x.persons, x.monthsOfMinWage, x.amount]), [30, 10, 8, 16, 14]);
  sheet(wb, en ? 'Not counted' : '未计入人员', [tr('row', lang), `${tr('name', lang)} (${tr('masked', lang)})`, tr('months', lang), tr('reason', lang)],
    r.exclusions.map((x) => [x.row, maskName(x.name), x.months.join(','), label(EXCLUSION, x.reason, lang)]), [8, 24, 24, 40]);
  const w = sheet(wb, en ? 'What if' : '招聘测算', [tr('hires', lang), en ? 'Weight' : '权重', tr('levyAfter', lang), tr('levySaved', lang), tr('rewardAfter', lang), en ? 'Concentrated months' : '集中就业月数', tr('status', lang)],
    r.whatIf.steps.map((s) => [s.hires, s.weight, s.levyPayable, s.levySaved, s.rewardTotal, s.concentratedMonths, label(STATUS, s.status, lang)]), [10, 8, 14, 14, 14, 16, 16]);
  w.addRow([]);
  w.addRow([tr('whatIfToZero', lang, { a: r.whatIf.hiresToZeroLevy.weight1 ?? '—', b: r.whatIf.hiresToZeroLevy.weight2 ?? '—' })].map(safeCell));
  return wb;
}
