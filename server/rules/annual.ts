/**
 * docs/rules.md §5 — annual figures. Full precision is kept (exact rationals); two decimals are shown.
 *   avgStaff = Σ staff(m) / 12; avgDisabled = Σ disabled(m) / 12; avgWeighted = Σ weighted(m) / 12
 *   wageTotal = employer sheet value, else Σ_m wages of employees on staff in m
 *   avgWage = wageTotal / avgStaff      (L72 art. 8: 在职职工工资总额 ÷ 在职职工人数)
 *   minWageAvg = Σ minWage(county, m) / 12   (I5; mid-year changes prorated by month)
 */
import { wordsNumber, type Explainer } from './figure';
import type { Settings } from './interpretations';
import { formatCount, formatYuan, Q, toYuan } from './money';
import type { WeightRule } from './parameters/lookup';
import type { Employer, MonthFacts } from './types';

/** [1, 2] → '1–2'; [3] → '3'. */
function gradeRange(grades: readonly number[]): string {
  const lo = Math.min(...grades),
    hi = Math.max(...grades);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

export interface Annual {
  avgStaff: Q;
  avgDisabled: Q;
  avgWeighted: Q;
  /** avgWeighted / avgStaff (0 when there is no staff). */
  ratio: Q;
  wageTotal: Q;
  avgWage: Q;
  minWageAvg: Q;
  /** Minimum wage used for per-year amounts (I5): the average, or December's. */
  annualMinWage: Q;
}

const TWELVE = Q.of(12);

/** `weight`: the disability-weight rule in force at the year's end (L72 第八条), named in the explanation. */
export function computeAnnual(
  employer: Employer,
  months: readonly MonthFacts[],
  settings: Settings,
  ex: Explainer,
  weight: WeightRule,
): Annual {
  const heavy = { weight: weight.weight, grades: gradeRange(weight.certGrades) };
  const staffSum = Q.sum(months.map((m) => m.staff));
  const disabledSum = months.reduce((a, m) => a + m.disabled, 0);
  const weightedSum = months.reduce((a, m) => a + m.weighted, 0);
  const avgStaff = staffSum.div(TWELVE);
  const avgDisabled = Q.of(disabledSum, 12);
  const avgWeighted = Q.of(weightedSum, 12);
  const ratio = avgStaff.isZero() ? Q.ZERO : avgWeighted.div(avgStaff);
  const staffWagesFen = months.reduce((a, m) => a + m.staffWagesFen, 0);
  const wageTotal = employer.wageTotal ?? Q.of(staffWagesFen, 100);
  const avgWage = avgStaff.isZero() ? Q.ZERO : wageTotal.div(avgStaff);
  const minWageAvg = Q.sum(months.map((m) => m.minWage)).div(TWELVE);
  const annualMinWage = settings.annualMinWage === 'december' ? months[11].minWage : minWageAvg;

  const list = (xs: (Q | number)[]) => xs.map((x) => (typeof x === 'number' ? String(x) : formatCount(x))).join(' + ');
  ex.explain(
    'annual.avgStaff',
    'Σ staff(m) / 12',
    `(${list(months.map((m) => m.staff))}) / 12`,
    formatCount(avgStaff),
    ['L72'],
    {
      interpretations: ['I1', 'I6'],
      words: { case: 'average', values: { sum: wordsNumber(staffSum), result: wordsNumber(avgStaff) } },
    },
  );
  ex.explain(
    'annual.avgDisabled',
    'Σ disabled(m) / 12',
    `(${list(months.map((m) => m.disabled))}) / 12`,
    formatCount(avgDisabled),
    ['L72', 'L52'],
    {
      interpretations: ['I1'],
      words: { case: 'average', values: { sum: disabledSum, result: wordsNumber(avgDisabled) } },
    },
  );
  ex.explain(
    'annual.avgWeighted',
    'Σ weighted(m) / 12',
    `(${list(months.map((m) => m.weighted))}) / 12`,
    formatCount(avgWeighted),
    ['L72'],
    {
      interpretations: ['I1'],
      words: { case: 'average', values: { sum: weightedSum, result: wordsNumber(avgWeighted), ...heavy } },
    },
  );
  ex.explain(
    'annual.ratio',
    'avgWeighted / avgStaff',
    `${formatCount(avgWeighted)} / ${formatCount(avgStaff)}`,
    formatCount(ratio, 4),
    ['L72'],
    {
      words: {
        case: 'division',
        values: { avgWeighted: wordsNumber(avgWeighted), avgStaff: wordsNumber(avgStaff), result: wordsNumber(ratio) },
      },
    },
  );
  if (employer.wageTotal)
    ex.explain('annual.wageTotal', '单位信息!上年工资总额', '', formatYuan(wageTotal), ['L72'], {
      words: { case: 'declared', values: { result: toYuan(wageTotal) } },
    });
  else
    ex.explain('annual.wageTotal', 'Σ_m Σ wage of employees on staff in m', '', formatYuan(wageTotal), ['L72'], {
      words: { case: 'sum', values: { result: toYuan(wageTotal) } },
    });
  ex.explain(
    'annual.avgWage',
    'wageTotal / avgStaff',
    `${formatYuan(wageTotal)} / ${formatCount(avgStaff)}`,
    formatYuan(avgWage),
    ['L72'],
    {
      words: {
        case: 'division',
        values: { wageTotal: toYuan(wageTotal), avgStaff: wordsNumber(avgStaff), result: toYuan(avgWage) },
      },
    },
  );
  ex.explain(
    'annual.minWageAvg',
    'Σ minWage(county, m) / 12',
    `(${list(months.map((m) => m.minWage))}) / 12`,
    formatYuan(minWageAvg),
    ['ZJ'],
    {
      interpretations: ['I5'],
      sources: months.map((m) => m.minWageSource),
      words: {
        case: 'average',
        values: { sum: toYuan(Q.sum(months.map((m) => m.minWage))), result: toYuan(minWageAvg) },
      },
    },
  );
  return { avgStaff, avgDisabled, avgWeighted, ratio, wageTotal, avgWage, minWageAvg, annualMinWage };
}
