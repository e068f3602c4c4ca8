/**
 * docs/rules.md §6.2, §6.3, §6.1 — rewards, all floors ("不低于", I7), in months of the local minimum wage.
 *   over-quota (J3.2): "对超比例安置残疾人就业的单位（除享受税收优惠政策的以外），每多安置1人，每年按不低于
 *     当地4个月最低工资的标准予以奖励" → ⌊excess⌋ × 4 × minWageAvg (I3, I5)
 *   concentrated-over-ratio (J3.1): "对超比例安置残疾人就业的，每多安置1人，每年按不低于当地2个月最低工资的
 *     标准予以奖励" → ⌊avgDisabled − 25 % × avgStaff⌋ × 2 × minWageAvg, if a month qualifies (I3)
 *   auxiliary-employment (J3.1), ecommerce (J3.3): k × Σ_m disabled(m) × minWage(m) / 12 (I4)
 *   poverty-relief-base (J3.5): 3 × Σ_m disabled(m) × minWage(m) / 12 + 0.5 × minWageAvg × families
 * I10: the multiples are in force from their `from` date (2016-09-16). In a year they start, only the months whose
 * reference day (I1) is on or after that date count: person-month rewards sum those months; annual rewards
 * (J3.1 over-ratio, J3.2 over-quota, J3.5 per family) are multiplied by their number / 12.
 */
import type { Annual } from './annual';
import type { Concentrated } from './concentrated';
import type { ClauseId } from './clauses';
import { wordsNumber, type Explainer } from './figure';
import type { InterpretationId, Settings } from './interpretations';
import { formatCount, formatPercent, formatYuan, Q, toYuan } from './money';
import { concentratedRatio, rewardMultiples } from './parameters/lookup';
import type { Parameters } from './parameters/table';
import type { Quota } from './quota';
import type { Employer, MonthFacts } from './types';

export type RewardKind =
  'over-quota' | 'concentrated-over-ratio' | 'auxiliary-employment' | 'ecommerce' | 'poverty-relief-base';

export interface Reward {
  kind: RewardKind;
  clause: ClauseId;
  persons: Q;
  monthsOfMinWage: number;
  families?: number;
  amount: Q;
}

export function computeRewards(
  employer: Employer,
  months: readonly MonthFacts[],
  annual: Annual,
  quota: Quota,
  concentrated: Concentrated,
  params: Parameters,
  settings: Settings,
  ex: Explainer,
): Reward[] {
  const yearEnd = `${employer.year}-12-31`;
  const k = rewardMultiples(params, yearEnd);
  const src = { sources: [k.source] };
  const wholePersons = (x: Q) => (settings.extraPersons === 'floor' ? x.floor() : x);
  const mw = formatYuan(annual.annualMinWage);
  const out: Reward[] = [];
  // I10: in the year the multiples came into force, only the months whose reference day is on or after that day
  const firstYear = !params.maybeAt('rewards', `${employer.year}-01-01`);
  const inForce = firstYear ? months.filter((m) => m.referenceDay >= k.from) : months;
  if (inForce.length === 0) return out;
  const part = inForce.length === months.length ? null : Q.of(inForce.length, 12);
  const partText = part ? ` × ${inForce.length}/12` : '';
  const prorate = (x: Q) => (part ? x.mul(part) : x);
  const withI10 = (ids: InterpretationId[]) => (part ? [...ids, 'I10' as const] : ids);

  if (!employer.taxPreference) {
    const persons = wholePersons(quota.excess);
    if (persons.gt(Q.ZERO)) {
      const amount = prorate(persons.mul(k.value.overQuota).mul(annual.annualMinWage));
      ex.explain(
        'rewards.over-quota',
        `⌊excess⌋ × ${k.value.overQuota} × minWageAvg${part ? ' × months in force / 12' : ''}`,
        `${formatCount(persons)} × ${k.value.overQuota} × ${mw}${partText}`,
        formatYuan(amount),
        ['J3.2'],
        {
          interpretations: withI10(['I3', 'I5', 'I7', 'I8']),
          ...src,
          words: {
            case: part ? 'partYear' : 'product',
            values: {
              persons: wordsNumber(persons),
              multiple: k.value.overQuota,
              minWage: toYuan(annual.annualMinWage),
              monthsInForce: inForce.length,
              result: toYuan(amount),
            },
          },
        },
      );
      out.push({ kind: 'over-quota', clause: 'J3.2', persons, monthsOfMinWage: k.value.overQuota, amount });
    }
  } else if (quota.excess.ge(Q.ONE)) {
    ex.state(
      'rewards.over-quota',
      'none — the unit takes the L52 tax preference (J3.2 "除享受税收优惠政策的以外")',
      ['J3.2', 'L52'],
      { words: { case: 'taxPreference', values: {} } },
    );
  }

  if (concentrated.months.length > 0) {
    const r = concentratedRatio(params, yearEnd)!;
    const persons = wholePersons(annual.avgDisabled.sub(r.value.mul(annual.avgStaff)).max(Q.ZERO));
    if (persons.gt(Q.ZERO)) {
      const amount = prorate(persons.mul(k.value.overRatio).mul(annual.annualMinWage));
      ex.explain(
        'rewards.concentrated-over-ratio',
        `⌊avgDisabled − ${formatPercent(r.value)} × avgStaff⌋ × ${k.value.overRatio} × minWageAvg${part ? ' × months in force / 12' : ''}`,
        `⌊${formatCount(annual.avgDisabled)} − ${formatCount(r.value)} × ${formatCount(annual.avgStaff)}⌋ × ${k.value.overRatio} × ${mw}${partText}`,
        formatYuan(amount),
        ['J3.1'],
        {
          interpretations: withI10(['I3', 'I5', 'I7', 'I8']),
          ...src,
          words: {
            case: part ? 'partYear' : 'product',
            values: {
              avgDisabled: wordsNumber(annual.avgDisabled),
              ratio: wordsNumber(r.value),
              avgStaff: wordsNumber(annual.avgStaff),
              persons: wordsNumber(persons),
              multiple: k.value.overRatio,
              minWage: toYuan(annual.annualMinWage),
              monthsInForce: inForce.length,
              result: toYuan(amount),
            },
          },
        },
      );
      out.push({
        kind: 'concentrated-over-ratio',
        clause: 'J3.1',
        persons,
        monthsOfMinWage: k.value.overRatio,
        amount,
      });
    }
  }

  // I4: person-months Σ disabled(m) × minWage(m) / 12, or December's head count × annual minimum wage
  const personMonthsWage =
    settings.perPersonBasis === 'person-months'
      ? Q.sum(inForce.map((m) => Q.of(m.disabled).mul(m.minWage))).div(12)
      : prorate(Q.of(months[11].disabled).mul(annual.annualMinWage));
  const basisText =
    settings.perPersonBasis === 'person-months'
      ? `(${inForce.map((m) => `${m.disabled}×${formatCount(m.minWage)}`).join(' + ')}) / 12`
      : `${months[11].disabled} × ${mw}${partText}`;
  const perPerson = (kind: RewardKind, clause: ClauseId, monthsK: number) => {
    if (personMonthsWage.isZero()) return;
    const amount = personMonthsWage.mul(monthsK);
    ex.explain(
      `rewards.${kind}`,
      `${monthsK} × Σ_m disabled(m) × minWage(m) / 12`,
      `${monthsK} × ${basisText}`,
      formatYuan(amount),
      [clause],
      {
        interpretations: withI10(['I4', 'I7', 'I8']),
        ...src,
        words: {
          case: 'perPerson',
          values: { multiple: monthsK, basis: toYuan(personMonthsWage), result: toYuan(amount) },
        },
      },
    );
    out.push({ kind, clause, persons: annual.avgDisabled, monthsOfMinWage: monthsK, amount });
  };
  if (employer.auxiliaryEmployment) perPerson('auxiliary-employment', 'J3.1', k.value.auxiliaryEmployment);
  if (employer.ecommerce) perPerson('ecommerce', 'J3.3', k.value.ecommerce);
  if (employer.povertyReliefBase && (!personMonthsWage.isZero() || employer.familiesSupported > 0)) {
    const persons = personMonthsWage.mul(k.value.povertyReliefPerson);
    const families = prorate(
      Q.of(k.value.povertyReliefFamily).mul(annual.annualMinWage).mul(employer.familiesSupported),
    );
    const amount = persons.add(families);
    ex.explain(
      'rewards.poverty-relief-base',
      `${k.value.povertyReliefPerson} × Σ_m disabled(m) × minWage(m) / 12 + ${k.value.povertyReliefFamily} × minWageAvg × families`,
      `${k.value.povertyReliefPerson} × ${basisText} + ${k.value.povertyReliefFamily} × ${mw} × ${employer.familiesSupported}${partText}`,
      formatYuan(amount),
      ['J3.5'],
      {
        interpretations: withI10(['I4', 'I5', 'I7', 'I8']),
        ...src,
        words: {
          case: 'povertyRelief',
          values: {
            personMultiple: k.value.povertyReliefPerson,
            basis: toYuan(personMonthsWage),
            familyMultiple: k.value.povertyReliefFamily,
            minWage: toYuan(annual.annualMinWage),
            families: employer.familiesSupported,
            result: toYuan(amount),
          },
        },
      },
    );
    out.push({
      kind: 'poverty-relief-base',
      clause: 'J3.5',
      persons: annual.avgDisabled,
      monthsOfMinWage: k.value.povertyReliefPerson,
      families: employer.familiesSupported,
      amount,
    });
  }
  return out;
}

export function rewardTotal(rewards: readonly Reward[]): Q {
  return Q.sum(rewards.map((r) => r.amount));
}
