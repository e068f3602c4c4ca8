/**
 * docs/rules.md §6.2, §6.3, §6.1 — rewards, all floors ("不低于", I7), in months of the local minimum wage.
 *   over-quota (J3.2): "对超比例安置残疾人就业的单位（除享受税收优惠政策的以外），每多安置1人，每年按不低于
 *     当地4个月最低工资的标准予以奖励" → ⌊excess⌋ × 4 × minWageAvg (I3, I5)
 *   concentrated-over-ratio (J3.1): "对超比例安置残疾人就业的，每多安置1人，每年按不低于当地2个月最低工资的
 *     标准予以奖励" → ⌊avgDisabled − 25 % × avgStaff⌋ × 2 × minWageAvg, if a month qualifies (I3)
 *   auxiliary-employment (J3.1), ecommerce (J3.3): k × Σ_m disabled(m) × minWage(m) / 12 (I4)
 *   poverty-relief-base (J3.5): 3 × Σ_m disabled(m) × minWage(m) / 12 + 0.5 × minWageAvg × families
 * Each kind is its own rule with its own dated parameter (reward-<kind>.yaml). I10: a kind's multiple is in
 * force from its parameter's `from` date; in the year it starts, only the months whose reference day (I1) is
 * on or after that date count: person-month rewards sum those months; annual rewards (J3.1 over-ratio, J3.2
 * over-quota, J3.5 per family) are multiplied by their number / 12. A kind that starts mid-year therefore
 * needs nothing of its own: its parameter's date is enough.
 */
import type { Annual } from './annual';
import type { Concentrated } from './concentrated';
import type { ClauseId } from './clauses';
import { wordsNumber, type Explainer } from './figure';
import type { InterpretationId, Settings } from './interpretations';
import { formatCount, formatPercent, formatYuan, Q, toYuan } from './money';
import { concentratedRatio } from './parameters/lookup';
import type { Parameters } from './parameters/table';
import type { ParameterValues } from './parameters/values';
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

/** What every reward rule is given: the year's facts, the settings, and where to explain itself. */
interface RewardInput {
  employer: Employer;
  months: readonly MonthFacts[];
  annual: Annual;
  quota: Quota;
  concentrated: Concentrated;
  params: Parameters;
  settings: Settings;
  ex: Explainer;
}

/** A reward kind's parameter for the data year: its value at the year's end and the months it is in force (I10). */
interface KindYear<T> {
  value: T;
  sources: string[];
  inForce: readonly MonthFacts[];
  /** The share of the year in force (months / 12), or null for the whole year. */
  part: Q | null;
}

type RewardParameter = `reward-${RewardKind}`;

function kindYear<K extends RewardParameter>(input: RewardInput, id: K): KindYear<ParameterValues[K]> | null {
  const { employer, months, params } = input;
  const v = params.maybeAt(id, `${employer.year}-12-31`);
  if (!v) return null;
  // I10: in the year the multiple came into force, only the months whose reference day is on or after that day
  const firstYear = !params.maybeAt(id, `${employer.year}-01-01`);
  const inForce = firstYear ? months.filter((m) => m.referenceDay >= v.from) : months;
  if (inForce.length === 0) return null;
  const part = inForce.length === months.length ? null : Q.of(inForce.length, 12);
  return { value: v.value, sources: [v.source], inForce, part };
}

const prorate = (k: KindYear<unknown>, x: Q) => (k.part ? x.mul(k.part) : x);
const partText = (k: KindYear<unknown>) => (k.part ? ` × ${k.inForce.length}/12` : '');
const withI10 = (k: KindYear<unknown>, ids: InterpretationId[]) => (k.part ? [...ids, 'I10' as const] : ids);
const wholePersons = (input: RewardInput, x: Q) => (input.settings.extraPersons === 'floor' ? x.floor() : x);

/** I4: person-months Σ disabled(m) × minWage(m) / 12, or December's head count × annual minimum wage. */
function personBasis(input: RewardInput, k: KindYear<unknown>): { wage: Q; text: string } {
  const { months, annual, settings } = input;
  if (settings.perPersonBasis === 'person-months')
    return {
      wage: Q.sum(k.inForce.map((m) => Q.of(m.disabled).mul(m.minWage))).div(12),
      text: `(${k.inForce.map((m) => `${m.disabled}×${formatCount(m.minWage)}`).join(' + ')}) / 12`,
    };
  return {
    wage: prorate(k, Q.of(months[11].disabled).mul(annual.annualMinWage)),
    text: `${months[11].disabled} × ${formatYuan(annual.annualMinWage)}${partText(k)}`,
  };
}

/** J3.2 over-quota: ⌊excess⌋ × k × minWageAvg, unless the unit takes the L52 tax preference. */
function overQuota(input: RewardInput): Reward | null {
  const { employer, annual, quota, ex } = input;
  const k = kindYear(input, 'reward-over-quota');
  if (!k) return null;
  if (employer.taxPreference) {
    if (quota.excess.ge(Q.ONE))
      ex.state(
        'rewards.over-quota',
        'none — the unit takes the L52 tax preference (J3.2 "除享受税收优惠政策的以外")',
        ['J3.2', 'L52'],
        { words: { case: 'taxPreference', values: {} } },
      );
    return null;
  }
  const persons = wholePersons(input, quota.excess);
  if (!persons.gt(Q.ZERO)) return null;
  const amount = prorate(k, persons.mul(k.value).mul(annual.annualMinWage));
  ex.explain(
    'rewards.over-quota',
    `⌊excess⌋ × ${k.value} × minWageAvg${k.part ? ' × months in force / 12' : ''}`,
    `${formatCount(persons)} × ${k.value} × ${formatYuan(annual.annualMinWage)}${partText(k)}`,
    formatYuan(amount),
    ['J3.2'],
    {
      interpretations: withI10(k, ['I3', 'I5', 'I7', 'I8']),
      sources: k.sources,
      words: {
        case: k.part ? 'partYear' : 'product',
        values: {
          persons: wordsNumber(persons),
          multiple: k.value,
          minWage: wordsNumber(annual.annualMinWage),
          monthsInForce: k.inForce.length,
          result: toYuan(amount),
        },
      },
    },
  );
  return { kind: 'over-quota', clause: 'J3.2', persons, monthsOfMinWage: k.value, amount };
}

/** J3.1 concentrated over-ratio: ⌊avgDisabled − 25 % × avgStaff⌋ × k × minWageAvg, if a month qualifies. */
function concentratedOverRatio(input: RewardInput): Reward | null {
  const { employer, annual, concentrated, params, ex } = input;
  if (concentrated.months.length === 0) return null;
  const k = kindYear(input, 'reward-concentrated-over-ratio');
  if (!k) return null;
  const r = concentratedRatio(params, `${employer.year}-12-31`)!;
  const persons = wholePersons(input, annual.avgDisabled.sub(r.value.mul(annual.avgStaff)).max(Q.ZERO));
  if (!persons.gt(Q.ZERO)) return null;
  const amount = prorate(k, persons.mul(k.value).mul(annual.annualMinWage));
  ex.explain(
    'rewards.concentrated-over-ratio',
    `⌊avgDisabled − ${formatPercent(r.value)} × avgStaff⌋ × ${k.value} × minWageAvg${k.part ? ' × months in force / 12' : ''}`,
    `⌊${formatCount(annual.avgDisabled)} − ${formatCount(r.value)} × ${formatCount(annual.avgStaff)}⌋ × ${k.value} × ${formatYuan(annual.annualMinWage)}${partText(k)}`,
    formatYuan(amount),
    ['J3.1'],
    {
      interpretations: withI10(k, ['I3', 'I5', 'I7', 'I8']),
      sources: k.sources,
      words: {
        case: k.part ? 'partYear' : 'product',
        values: {
          avgDisabled: wordsNumber(annual.avgDisabled),
          ratio: wordsNumber(r.value),
          avgStaff: wordsNumber(annual.avgStaff),
          persons: wordsNumber(persons),
          multiple: k.value,
          minWage: wordsNumber(annual.annualMinWage),
          monthsInForce: k.inForce.length,
          result: toYuan(amount),
        },
      },
    },
  );
  return { kind: 'concentrated-over-ratio', clause: 'J3.1', persons, monthsOfMinWage: k.value, amount };
}

/** A per-person reward (I4): k × Σ_m disabled(m) × minWage(m) / 12, for a unit that is of its kind. */
function perPerson(kind: 'auxiliary-employment' | 'ecommerce', clause: ClauseId) {
  return (input: RewardInput): Reward | null => {
    const k = kindYear(input, `reward-${kind}`);
    if (!k) return null;
    const basis = personBasis(input, k);
    if (basis.wage.isZero()) return null;
    const amount = basis.wage.mul(k.value);
    input.ex.explain(
      `rewards.${kind}`,
      `${k.value} × Σ_m disabled(m) × minWage(m) / 12`,
      `${k.value} × ${basis.text}`,
      formatYuan(amount),
      [clause],
      {
        interpretations: withI10(k, ['I4', 'I7', 'I8']),
        sources: k.sources,
        words: {
          case: 'perPerson',
          values: { multiple: k.value, basis: wordsNumber(basis.wage), result: toYuan(amount) },
        },
      },
    );
    return { kind, clause, persons: input.annual.avgDisabled, monthsOfMinWage: k.value, amount };
  };
}

/** J3.5 poverty-relief base: k × Σ_m disabled(m) × minWage(m) / 12 + k' × minWageAvg × families. */
function povertyReliefBase(input: RewardInput): Reward | null {
  const { employer, annual, ex } = input;
  const k = kindYear(input, 'reward-poverty-relief-base');
  if (!k) return null;
  const basis = personBasis(input, k);
  if (basis.wage.isZero() && employer.familiesSupported <= 0) return null;
  const { perPerson: personK, perFamily: familyK } = k.value;
  const persons = basis.wage.mul(personK);
  const families = prorate(k, Q.of(familyK).mul(annual.annualMinWage).mul(employer.familiesSupported));
  const amount = persons.add(families);
  ex.explain(
    'rewards.poverty-relief-base',
    `${personK} × Σ_m disabled(m) × minWage(m) / 12 + ${familyK} × minWageAvg × families`,
    `${personK} × ${basis.text} + ${familyK} × ${formatYuan(annual.annualMinWage)} × ${employer.familiesSupported}${partText(k)}`,
    formatYuan(amount),
    ['J3.5'],
    {
      interpretations: withI10(k, ['I4', 'I5', 'I7', 'I8']),
      sources: k.sources,
      words: {
        case: 'povertyRelief',
        values: {
          personMultiple: personK,
          basis: wordsNumber(basis.wage),
          familyMultiple: familyK,
          minWage: wordsNumber(annual.annualMinWage),
          families: employer.familiesSupported,
          result: toYuan(amount),
        },
      },
    },
  );
  return {
    kind: 'poverty-relief-base',
    clause: 'J3.5',
    persons: annual.avgDisabled,
    monthsOfMinWage: personK,
    families: employer.familiesSupported,
    amount,
  };
}

/** The reward rules in the order they are listed; each says when it applies (an attribute of the unit, a fact of the year). */
const REWARD_RULES: readonly { applies: (e: Employer) => boolean; rule: (input: RewardInput) => Reward | null }[] = [
  { applies: () => true, rule: overQuota },
  { applies: () => true, rule: concentratedOverRatio },
  { applies: (e) => e.auxiliaryEmployment, rule: perPerson('auxiliary-employment', 'J3.1') },
  { applies: (e) => e.ecommerce, rule: perPerson('ecommerce', 'J3.3') },
  { applies: (e) => e.povertyReliefBase, rule: povertyReliefBase },
];

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
  const input: RewardInput = { employer, months, annual, quota, concentrated, params, settings, ex };
  return REWARD_RULES.filter((r) => r.applies(employer)).flatMap((r) => r.rule(input) ?? []);
}

export function rewardTotal(rewards: readonly Reward[]): Q {
  return Q.sum(rewards.map((r) => r.amount));
}
