/**
 * The employer's report as a workbook (issue #5.4): summary, monthly table, every figure with its formula
 * and clauses, employees not counted (names masked), and the what-if table. Chinese by default, English on
 * request. Text cells pass the formula-injection guard — an employer's own name could start with "=".
 */
import ExcelJS from 'exceljs';
import { EXCLUSION, label, maskName, REWARD, STATUS, EXEMPTION } from '../../server/i18n/labels';
import { hasMessage, t as tr } from '../../server/i18n/t';
import type { ResultView } from './result-view';
import { percent, systemTime } from '../../server/i18n/format';
import { safeCell } from '../xlsx/safe-cell';
import { taxFormRows } from '../../server/i18n/tax-form';

type Lang = 'zh' | 'en';

function sheet(wb: ExcelJS.Workbook, name: string, headers: string[], rows: unknown[][], widths: number[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r.map(safeCell));
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  return ws;
}

export function buildEmployerReport(view: ResultView, lang: Lang, generatedAt: string): ExcelJS.Workbook {
  const r = view.result;
  if (!r) throw new Error('a result with problems has no report');
  const t = (key: string, vars: Record<string, unknown> = {}) => tr(key, lang, vars);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'QuotaDesk';
  const status =
    label(STATUS, r.quota.status, lang) +
    (r.concentrated.months.length ? ` · ${label(STATUS, 'concentrated', lang)}` : '');
  const place = (x: string) => (hasMessage(`place.${x}`) ? t(`place.${x}`) : x);
  const yuanUnit = t('unit.yuan');
  const personsUnit = t('report.personsUnit');
  sheet(
    wb,
    t('report.sheet.summary'),
    [t('report.item'), t('report.content'), t('report.unit')],
    [
      [t('employer'), r.employer.name],
      [t('uscc'), r.employer.uscc],
      [t('county'), place(r.employer.county)],
      [t('report.unitType'), place(r.employer.unitType)],
      [t('year'), r.employer.year],
      [t('quotaStatus'), status],
      [t('figure.annual.avgStaff'), r.annual.avgStaff, personsUnit],
      [t('figure.quota.required'), r.quota.required, personsUnit],
      [t('figure.annual.avgWeighted'), r.annual.avgWeighted, personsUnit],
      [t('figure.annual.ratio'), percent(r.annual.ratio)],
      [t('figure.quota.shortfall'), r.quota.shortfall, personsUnit],
      [t('levyPayable'), r.levy.payable, view.provisional ? `${yuanUnit}（${t('result.provisional')}）` : yuanUnit],
      ...(view.provisional ? [[t('result.provisional'), view.provisional]] : []),
      [t('report.collectedIn'), r.levy.collectionYear],
      [t('report.exemption'), r.levy.exemption ? label(EXEMPTION, r.levy.exemption, lang) : t('none')],
      [t('rewardsTotal'), view.rewardTotal, yuanUnit],
      [t('report.concentratedMonths'), r.concentrated.months.join(', ') || t('none')],
      [t('vatCeiling'), r.concentrated.vatRefundCeiling, yuanUnit],
      [t('report.generated'), systemTime(generatedAt)],
    ],
    [34, 70, 14],
  );
  if (r.taxForm) {
    const tfRows: unknown[][] = taxFormRows(r, lang).map((row) => [
      t('taxForm.colNo', { n: row.n }),
      row.label,
      r.taxForm[row.col],
      [row.note, row.working].filter(Boolean).join('\n'),
    ]);
    if (r.taxForm.provisional) tfRows.push(['', t('taxForm.provisional', { y: r.employer.year }), '', '']);
    sheet(
      wb,
      t('taxForm.sheet'),
      [t('taxForm.column'), t('taxForm.field'), t('taxForm.value'), t('taxForm.working')],
      tfRows,
      [12, 36, 18, 80],
    );
  }
  sheet(
    wb,
    t('report.sheet.monthly'),
    [
      t('month'),
      t('staff'),
      t('disabled'),
      t('weighted'),
      `${t('minWage')}（${t('unit.yuan')}）`,
      t('concentrated'),
      `${t('vatCeiling')}（${t('unit.yuan')}）`,
    ],
    r.months.map((m) => [
      m.month,
      m.staff,
      m.disabled,
      m.weighted,
      m.minWage,
      m.concentrated ? t('yes') : t('no'),
      m.vatRefundCeiling,
    ]),
    [8, 12, 12, 12, 14, 12, 20],
  );
  sheet(
    wb,
    t('report.sheet.explanations'),
    [t('figure'), t('value'), t('report.formula'), t('report.clauses'), t('report.interpretations')],
    view.explanationsByFigure.map((e) => [e.name, e.value, e.line, e.clauses.join('\n'), e.interpretations.join('\n')]),
    [30, 18, 80, 60, 50],
  );
  sheet(
    wb,
    t('report.sheet.rewards'),
    [
      t('report.reward'),
      t('report.clause'),
      t('report.persons'),
      t('report.monthsOfMinWage'),
      `${t('report.amount')}（${t('unit.yuan')}）`,
    ],
    r.rewards.map((x) => [
      label(REWARD, x.kind, lang),
      label('clause', x.clause, lang),
      x.persons,
      x.monthsOfMinWage,
      x.amount,
    ]),
    [30, 60, 8, 16, 14],
  );
  sheet(
    wb,
    t('report.sheet.notCounted'),
    [t('row'), `${t('name')}（${t('masked')}）`, t('months'), t('reason')],
    r.exclusions.map((x) => [x.row, maskName(x.name), x.months.join(','), label(EXCLUSION, x.reason, lang)]),
    [8, 24, 24, 40],
  );
  const w = sheet(
    wb,
    t('report.sheet.whatIf'),
    [
      t('hires'),
      t('weight'),
      `${t('levyAfter')}（${t('unit.yuan')}）`,
      `${t('levySaved')}（${t('unit.yuan')}）`,
      `${t('rewardAfter')}（${t('unit.yuan')}）`,
      t('report.concentratedMonthCount'),
      t('status'),
    ],
    r.whatIf.steps.map((s) => [
      s.hires,
      s.weight,
      s.levyPayable,
      s.levySaved,
      s.rewardTotal,
      s.concentratedMonths,
      label(STATUS, s.status, lang),
    ]),
    [10, 8, 16, 16, 16, 16, 16],
  );
  w.addRow([]);
  w.addRow(
    [t('whatIfToZero', { a: r.whatIf.hiresToZeroLevy.weight1 ?? '—', b: r.whatIf.hiresToZeroLevy.weight2 ?? '—' })].map(
      safeCell,
    ),
  );
  return wb;
}
