/**
 * docs/rules.md §6.1 — the levy 残疾人就业保障金 (L72 art. 8, L18, L39, L98, 财税〔2014〕122号, J3.2).
 *   wageBase = min(avgWage, cap × socialAvgWage(Y))  — cap by collection date: none, 3× (L18), 2× (L39)
 *   levyFull = shortfall × wageBase
 *   rate: L98 window (collection 2020-01-01 … 2027-12-31): ratio ≥ 1 % → 50 %, < 1 % → 90 %; else 100 %
 *   payable = levyFull × rate, 0 when exempt or no shortfall
 * Exemptions: small enterprise ≤ 30 (L18, L98); start-up ≤ 20 within 3 years of founding (122号, J3.2:
 * "除创业3年内、在职职工总数不超过20人的小微企业外…严格依法征缴残疾人就业保障金").
 * The levy on data year Y is collected in Y+1; every window is looked up on the collection date (I9).
 */
import type { Annual } from './annual';
import { addYears, type ISODate } from './calendar';
import { wordsNumber, type Explainer, type FormulaWords, type Warning } from './figure';
import type { Settings } from './interpretations';
import { formatCount, formatPercent, formatYuan, Q, toYuan } from './money';
import {
  levyReduction,
  smallEnterpriseExemption,
  socialAverageWage,
  startupExemption,
  wageCapMultiple,
} from './parameters/lookup';
import type { Parameters } from './parameters/table';
import type { Quota } from './quota';
import type { Employer } from './types';

export type Exemption = 'small-enterprise' | 'startup-small-micro';

export interface Levy {
  collectionDate: ISODate;
  collectionYear: number;
  wageBase: Q;
  full: Q;
  rate: Q;
  payable: Q;
  exemption: Exemption | null;
}

export function collectionDateOf(year: number, settings: Settings): ISODate {
  return settings.collectionDate ?? `${year + 1}-06-30`;
}

export function computeLevy(
  employer: Employer,
  annual: Annual,
  quota: Quota,
  params: Parameters,
  settings: Settings,
  ex: Explainer,
  warnings: Warning[],
): Levy {
  const y = employer.year;
  const collectionDate = collectionDateOf(y, settings);
  const i9 = { interpretations: ['I9' as const] };

  // wage base and cap (L18, L39)
  const cap = wageCapMultiple(params, collectionDate);
  let wageBase = annual.avgWage;
  if (cap.value === null) {
    ex.explain('annual.wageBase', `avgWage (no cap in force on ${collectionDate})`, '', formatYuan(wageBase), ['L72'], {
      ...i9,
      sources: [cap.source],
      words: { case: 'uncapped', values: { collectionDate, result: toYuan(wageBase) } },
    });
  } else {
    const social = socialAverageWage(params, y);
    if (!social) {
      if (quota.shortfall.gt(Q.ZERO))
        warnings.push({
          code: 'wage-cap-not-checked',
          message: `未配置${y}年度嘉兴市社会平均工资，保障金按实际年平均工资计算，未核对${formatCount(cap.value)}倍上限 / no ${y} social average wage is configured: the ${formatCount(cap.value)}× cap was not checked`,
          params: { year: y, cap: wordsNumber(cap.value) },
        });
      ex.explain(
        'annual.wageBase',
        'avgWage (cap not checked: no social average wage configured)',
        '',
        formatYuan(wageBase),
        ['L72', 'L18', 'L39'],
        {
          ...i9,
          sources: [cap.source],
          words: { case: 'notChecked', values: { year: y, cap: wordsNumber(cap.value), result: toYuan(wageBase) } },
        },
      );
    } else {
      const limit = cap.value.mul(social.value);
      wageBase = annual.avgWage.min(limit);
      ex.explain(
        'annual.wageBase',
        'min(avgWage, cap × socialAvgWage)',
        `min(${formatYuan(annual.avgWage)}, ${formatCount(cap.value)} × ${formatYuan(social.value)})`,
        formatYuan(wageBase),
        ['L72', 'L18', 'L39'],
        {
          ...i9,
          sources: [cap.source, social.source],
          words: {
            case: 'capped',
            values: {
              avgWage: wordsNumber(annual.avgWage),
              cap: wordsNumber(cap.value),
              socialAvgWage: wordsNumber(social.value),
              limit: wordsNumber(limit),
              result: toYuan(wageBase),
            },
          },
        },
      );
    }
  }

  const full = quota.shortfall.mul(wageBase);
  ex.explain(
    'levy.full',
    'shortfall × wageBase',
    `${formatCount(quota.shortfall)} × ${formatYuan(wageBase)}`,
    formatYuan(full),
    ['L72'],
    {
      interpretations: ['I2', 'I8'],
      words: {
        case: 'product',
        values: { shortfall: wordsNumber(quota.shortfall), wageBase: wordsNumber(wageBase), result: toYuan(full) },
      },
    },
  );

  // exemptions, looked up on the collection date
  let exemption: Exemption | null = null;
  const exemptionSources: string[] = [];
  if (quota.shortfall.gt(Q.ZERO)) {
    const small = smallEnterpriseExemption(params, collectionDate);
    if (small && small.value.unitTypes.includes(employer.unitType) && annual.avgStaff.le(Q.of(small.value.maxStaff))) {
      exemption = 'small-enterprise';
      exemptionSources.push(small.source);
      ex.state(
        'levy.exemption',
        `small-enterprise — ${employer.unitType}, avgStaff ${formatCount(annual.avgStaff)} ≤ ${small.value.maxStaff}, collected ${collectionDate}`,
        ['L18', 'L98'],
        {
          ...i9,
          sources: [small.source],
          words: {
            case: 'small-enterprise',
            values: {
              unitType: employer.unitType,
              avgStaff: wordsNumber(annual.avgStaff),
              maxStaff: small.value.maxStaff,
              collectionDate,
            },
          },
        },
      );
    }
    const startup = startupExemption(params, collectionDate);
    const stillYoung = startup && addYears(employer.founded, startup.value.years) > `${y}-12-31`;
    if (
      !exemption &&
      startup &&
      stillYoung &&
      startup.value.unitTypes.includes(employer.unitType) &&
      annual.avgStaff.le(Q.of(startup.value.maxStaff))
    ) {
      exemption = 'startup-small-micro';
      exemptionSources.push(startup.source);
      ex.state(
        'levy.exemption',
        `startup-small-micro — founded ${employer.founded} + ${startup.value.years} years = ${addYears(employer.founded, startup.value.years)} > ${y}-12-31, avgStaff ${formatCount(annual.avgStaff)} ≤ ${startup.value.maxStaff}`,
        ['L122', 'L72', 'J3.2'],
        {
          ...i9,
          sources: [startup.source],
          words: {
            case: 'startup-small-micro',
            values: {
              founded: employer.founded,
              years: startup.value.years,
              until: addYears(employer.founded, startup.value.years),
              year: y,
              avgStaff: wordsNumber(annual.avgStaff),
              maxStaff: startup.value.maxStaff,
            },
          },
        },
      );
    }
  }

  // reduction tiers (L98)
  const tiers = levyReduction(params, collectionDate);
  let tierRate = Q.ONE;
  let rateWhy = `collected ${collectionDate}, outside the L98 window: 100 %`;
  if (tiers) {
    const above = annual.ratio.ge(tiers.value.threshold);
    tierRate = above ? tiers.value.rateAtOrAbove : tiers.value.rateBelow;
    rateWhy = `ratio ${formatPercent(annual.ratio)} ${above ? '≥' : '<'} ${formatPercent(tiers.value.threshold)} → pay ${formatPercent(tierRate)}`;
  }
  const payableBeforeExemption = quota.shortfall.gt(Q.ZERO) && !exemption ? full.mul(tierRate) : Q.ZERO;
  const rate = payableBeforeExemption.gt(Q.ZERO) ? tierRate : Q.ZERO;
  const payable = payableBeforeExemption;
  const rateWords: FormulaWords = payable.isZero()
    ? { case: 'nothing', values: { result: 0 } }
    : tiers
      ? {
          case: annual.ratio.ge(tiers.value.threshold) ? 'atOrAbove' : 'below',
          values: {
            ratio: wordsNumber(annual.ratio),
            threshold: wordsNumber(tiers.value.threshold),
            result: wordsNumber(rate),
          },
        }
      : { case: 'full', values: { collectionDate, result: wordsNumber(rate) } };
  ex.state(
    'levy.rate',
    `${formatPercent(rate)} — ${payable.isZero() ? 'nothing payable' : rateWhy}`,
    tiers ? ['L98'] : ['L72'],
    { ...i9, sources: tiers ? [tiers.source] : [], words: rateWords },
  );
  if (exemption) {
    ex.explain(
      'levy.payable',
      `0 (exempt: ${exemption})`,
      '',
      '0.00',
      exemption === 'small-enterprise' ? ['L18', 'L98'] : ['L122', 'J3.2'],
      { ...i9, sources: exemptionSources, words: { case: 'exempt', values: { exemption, result: 0 } } },
    );
  } else {
    ex.explain(
      'levy.payable',
      'shortfall × wageBase × rate',
      `${formatCount(quota.shortfall)} × ${formatYuan(wageBase)} × ${formatPercent(rate)}`,
      formatYuan(payable),
      ['L72', 'L18', 'L39', 'L98'],
      {
        interpretations: ['I2', 'I8', 'I9'],
        words: {
          case: 'product',
          values: {
            shortfall: wordsNumber(quota.shortfall),
            wageBase: wordsNumber(wageBase),
            rate: wordsNumber(rate),
            result: toYuan(payable),
          },
        },
      },
    );
  }
  return { collectionDate, collectionYear: +collectionDate.slice(0, 4), wageBase, full, rate, payable, exemption };
}
