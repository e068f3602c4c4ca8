/**
 * The employer's report as a workbook: summary, monthly table, every figure with its formula
 * and clauses, employees not counted (names masked), and the what-if table. Chinese by default, English on
 * request. Text cells pass the formula-injection guard — an employer's own name could start with "=".
 */
import type ExcelJS from 'exceljs';
import { EXCLUSION, label, maskName, REWARD, STATUS, EXEMPTION } from '../../server/i18n/labels';
import { hasMessage, t as tr } from '../../server/i18n/t';
import type { ResultView } from './result-view';
import { systemTime } from '../../server/i18n/format';
import { safeCell } from '../xlsx/safe-cell';
import { taxFormRows } from '../../server/i18n/tax-form';

/** exceljs, loaded when a workbook is first written: the largest package, kept out of the app's start-up. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = () => require('exceljs') as typeof ExcelJS;

type Lang = 'zh' | 'en';

/** Number formats: money as 63,720.00; a ratio as 0.83%; persons with two to four decimals (0.60, 0.3125). */
export const NUM_FMT = { money: '#,##0.00', percent: '0.00%', persons: '#,##0.00##', whole: '#,##0' } as const;
type Fmt = keyof typeof NUM_FMT;
/**
 * A number cell with its format: kept a number, so it adds up in the spreadsheet, shown as the page shows it;
 * `unit` is shown after it where no column heading names the unit (the explanations' value column).
 */
interface Num {
  num: number;
  fmt: Fmt;
  unit?: string;
}
const money = (num: number): Num => ({ num, fmt: 'money' });
const ratio = (num: number): Num => ({ num, fmt: 'percent' });
const persons = (num: number): Num => ({ num, fmt: 'persons' });
const whole = (num: number): Num => ({ num, fmt: 'whole' });
const isNum = (x: unknown): x is Num => typeof x === 'object' && x !== null && 'num' in x && 'fmt' in x;

function sheet(wb: ExcelJS.Workbook, name: string, headers: string[], rows: unknown[][], widths: number[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) {
    const row = ws.addRow(r.map((x) => (isNum(x) ? x.num : safeCell(x))));
    r.forEach((x, i) => {
      if (isNum(x)) row.getCell(i + 1).numFmt = NUM_FMT[x.fmt] + (x.unit ? `" ${x.unit}"` : '');
    });
  }
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  // long text (formulas, clauses, working) wraps inside its column instead of running over the next
  ws.eachRow((row, n) => {
    if (n > 1) row.alignment = { vertical: 'top', wrapText: true };
  });
  return ws;
}

export function buildEmployerReport(view: ResultView, lang: Lang, generatedAt: string): ExcelJS.Workbook {
  const r = view.result;
  if (!r) throw new Error('a result with problems has no report');
  const t = (key: string, vars: Record<string, unknown> = {}) => tr(key, lang, vars);
  const wb = new (excel().Workbook)();
  wb.creator = 'QuotaDesk';
  const status =
    label(STATUS, r.quota.status, lang) +
    (r.concentrated.months.length ? ` · ${label(STATUS, 'concentrated', lang)}` : '');
  const place = (x: string) => (hasMessage(`place.${x}`) ? t(`place.${x}`) : x);
  const yuanUnit = t('unit.yuan');
  const personsUnit = t('report.personsUnit');
  const explainedNumber = (n: NonNullable<ResultView['explanationsByFigure'][number]['number']>): Num =>
    n.kind === 'money'
      ? { ...money(n.value), unit: yuanUnit }
      : n.kind === 'percent'
        ? ratio(n.value)
        : n.kind === 'persons'
          ? { ...persons(n.value), unit: personsUnit }
          : persons(n.value);
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
      [t('figure.annual.avgStaff'), persons(r.annual.avgStaff), personsUnit],
      [t('figure.quota.required'), persons(r.quota.required), personsUnit],
      [t('figure.annual.avgWeighted'), persons(r.annual.avgWeighted), personsUnit],
      [t('figure.annual.ratio'), ratio(r.annual.ratio)],
      [t('figure.quota.shortfall'), persons(r.quota.shortfall), personsUnit],
      [
        t('levyPayable'),
        money(r.levy.payable),
        view.provisional ? `${yuanUnit}（${t('result.provisional')}）` : yuanUnit,
      ],
      ...(view.provisional ? [[t('result.provisional'), view.provisional]] : []),
      [t('report.collectedIn'), r.levy.collectionYear],
      [t('report.exemption'), r.levy.exemption ? label(EXEMPTION, r.levy.exemption, lang) : t('none')],
      [t('rewardsTotal'), money(view.rewardTotal), yuanUnit],
      [t('report.concentratedMonths'), r.concentrated.months.join(', ') || t('none')],
      [t('vatCeiling'), money(r.concentrated.vatRefundCeiling), yuanUnit],
      [t('report.generated'), systemTime(generatedAt)],
    ],
    [34, 70, 14],
  );
  if (r.taxForm) {
    const tfRows: unknown[][] = taxFormRows(r, lang).map((row) => [
      t('taxForm.colNo', { n: row.n }),
      row.label,
      row.col === 'col6'
        ? ratio(r.taxForm.col6)
        : row.col === 'col5' || row.col === 'col7'
          ? persons(r.taxForm[row.col])
          : money(r.taxForm[row.col]),
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
      persons(m.staff),
      persons(m.disabled),
      persons(m.weighted),
      money(m.minWage),
      m.concentrated ? t('yes') : t('no'),
      money(m.vatRefundCeiling),
    ]),
    [8, 12, 12, 12, 16, 12, 20],
  );
  sheet(
    wb,
    t('report.sheet.explanations'),
    [t('figure'), t('value'), t('report.formula'), t('report.clauses'), t('report.interpretations')],
    view.explanationsByFigure.map((e) => [
      e.name,
      e.number ? explainedNumber(e.number) : e.value,
      e.line,
      e.clauses.join('\n'),
      e.interpretations.join('\n'),
    ]),
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
      persons(x.persons),
      persons(x.monthsOfMinWage),
      money(x.amount),
    ]),
    [30, 60, 10, 16, 16],
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
      whole(s.hires),
      whole(s.weight),
      money(s.levyPayable),
      money(s.levySaved),
      money(s.rewardTotal),
      whole(s.concentratedMonths),
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
