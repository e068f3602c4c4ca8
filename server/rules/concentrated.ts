/**
 * docs/rules.md §6.2 — concentrated employment (J3.1, L52, L121).
 * J3.1: "月安置残疾人占在职职工人数的比例不低于25%（含25%）、并且安置残疾人人数不少于10人（含10人）的，
 *   盲人按摩机构…不少于5人（含5人）的，按规定享受税收优惠政策。"
 * Month m qualifies when disabled(m) ≥ 25 % × staff(m) and disabled(m) ≥ 10 (5 for blind massage);
 * head counts, no weighting. VAT refund ceiling (L52) = disabled(m) × 4 × minWage(county, m).
 * Land-use tax relief (L121): avgDisabled / avgStaff ≥ 25 % and avgDisabled ≥ 10.
 * Months before L52 took effect (2016-05-01) are not assessed, and the result says so.
 */
import type { Annual } from './annual';
import { wordsNumber, type Explainer, type Warning } from './figure';
import { formatCount, formatPercent, formatYuan, Q, toYuan } from './money';
import { concentratedMinPersons, concentratedRatio, landUseTaxRelief, vatRefundMultiple } from './parameters/lookup';
import type { Parameters } from './parameters/table';
import type { Employer, MonthFacts } from './types';

export interface ConcentratedMonth {
  month: number;
  assessed: boolean;
  qualifies: boolean;
  vatRefundCeiling: Q;
}

export interface Concentrated {
  perMonth: ConcentratedMonth[];
  months: number[];
  vatRefundCeiling: Q;
  landUseTaxRelief: boolean;
}

export function monthQualifies(
  employer: Employer,
  m: MonthFacts,
  params: Parameters,
): { assessed: boolean; qualifies: boolean; ratio: Q | null; min: number | null; sources: string[] } {
  const ratio = concentratedRatio(params, m.referenceDay);
  const min = concentratedMinPersons(params, m.referenceDay);
  if (!ratio || !min) return { assessed: false, qualifies: false, ratio: null, min: null, sources: [] };
  const minPersons = employer.blindMassage ? min.value.blindMassage : min.value.general;
  const disabled = Q.of(m.disabled);
  const qualifies = disabled.ge(ratio.value.mul(m.staff)) && m.disabled >= minPersons;
  return { assessed: true, qualifies, ratio: ratio.value, min: minPersons, sources: [ratio.source, min.source] };
}

export function computeConcentrated(
  employer: Employer,
  months: readonly MonthFacts[],
  annual: Annual,
  params: Parameters,
  ex: Explainer,
  warnings: Warning[],
): Concentrated {
  const perMonth: ConcentratedMonth[] = [];
  const notAssessed: number[] = [];
  for (const m of months) {
    const test = monthQualifies(employer, m, params);
    if (!test.assessed) notAssessed.push(m.month);
    let ceiling = Q.ZERO;
    if (test.qualifies) {
      const multiple = vatRefundMultiple(params, m.referenceDay)!;
      ceiling = Q.of(m.disabled).mul(multiple.value).mul(m.minWage);
      ex.explain(
        `months[${m.month}].vatRefundCeiling`,
        'disabled(m) × vatMultiple × minWage(m)',
        `${m.disabled} × ${formatCount(multiple.value)} × ${formatYuan(m.minWage)}`,
        formatYuan(ceiling),
        ['L52'],
        {
          sources: [multiple.source, m.minWageSource],
          words: {
            case: 'product',
            values: {
              month: m.month,
              disabled: m.disabled,
              multiple: wordsNumber(multiple.value),
              minWage: wordsNumber(m.minWage),
              result: toYuan(ceiling),
            },
          },
        },
      );
    }
    if (test.assessed) {
      ex.state(
        `months[${m.month}].concentrated`,
        `${test.qualifies} — disabled ${m.disabled} ${Q.of(m.disabled).ge(test.ratio!.mul(m.staff)) ? '≥' : '<'} ${formatPercent(test.ratio!)} × staff ${formatCount(m.staff)}, and ${m.disabled} ${m.disabled >= test.min! ? '≥' : '<'} ${test.min}${employer.blindMassage ? ' (blind massage)' : ''}`,
        ['J3.1', 'L52'],
        {
          sources: test.sources,
          words: {
            case: test.qualifies ? 'yes' : 'no',
            values: {
              month: m.month,
              disabled: m.disabled,
              staff: wordsNumber(m.staff),
              ratio: wordsNumber(test.ratio!),
              min: test.min!,
            },
          },
        },
      );
    }
    perMonth.push({ month: m.month, assessed: test.assessed, qualifies: test.qualifies, vatRefundCeiling: ceiling });
  }
  if (notAssessed.length) {
    warnings.push({
      code: 'concentrated-not-assessed',
      message: `${notAssessed.join('、')}月早于财税〔2016〕52号施行日（2016-05-01），未评估集中就业 / months ${notAssessed.join(', ')} precede L52 (2016-05-01) and were not assessed for concentrated employment`,
      params: { months: notAssessed.join(',') },
    });
  }
  const qualifying = perMonth.filter((p) => p.qualifies);
  const total = Q.sum(qualifying.map((p) => p.vatRefundCeiling));
  ex.explain(
    'concentrated.vatRefundCeiling',
    'Σ over qualifying months of disabled(m) × vatMultiple × minWage(m)',
    qualifying.map((p) => formatYuan(p.vatRefundCeiling)).join(' + ') || '0',
    formatYuan(total),
    ['L52', 'J3.1'],
    {
      words: {
        case: qualifying.length ? 'sum' : 'none',
        values: { months: qualifying.map((p) => p.month).join(','), result: toYuan(total) },
      },
    },
  );

  const land = landUseTaxRelief(params, `${employer.year}-12-31`);
  const landRatio = annual.avgStaff.isZero() ? Q.ZERO : annual.avgDisabled.div(annual.avgStaff);
  const landUse =
    !annual.avgStaff.isZero() && landRatio.ge(land.value.ratio) && annual.avgDisabled.ge(Q.of(land.value.minPersons));
  ex.state(
    'concentrated.landUseTaxRelief',
    `${landUse} — avgDisabled / avgStaff = ${formatCount(annual.avgDisabled)} / ${formatCount(annual.avgStaff)} = ${formatPercent(landRatio)} (≥ ${formatPercent(land.value.ratio)}?), avgDisabled ≥ ${land.value.minPersons}?`,
    ['L121'],
    {
      sources: [land.source],
      words: {
        case: landUse ? 'yes' : 'no',
        values: {
          avgDisabled: wordsNumber(annual.avgDisabled),
          avgStaff: wordsNumber(annual.avgStaff),
          ratio: wordsNumber(landRatio),
          minRatio: wordsNumber(land.value.ratio),
          minPersons: land.value.minPersons,
        },
      },
    },
  );
  return { perMonth, months: qualifying.map((p) => p.month), vatRefundCeiling: total, landUseTaxRelief: landUse };
}
