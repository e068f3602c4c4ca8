/**
 * docs/rules.md §9 interpretations as named settings. Each default is the rulebook's reading; each can be
 * overridden per evaluation (CLI flag, API field) and the settings used are named in the
 * explanation of every figure they affect.
 */
import type { ISODate } from './calendar';

export interface Settings {
  /** I1 — the day of each month on which an employee must be on staff to count. */
  referenceDay: 'month-end' | 'month-start';
  /** I2 — `required` is not rounded ('none'); 'half-up' rounds it to whole persons. */
  requiredRounding: 'none' | 'half-up';
  /** I3 — extra persons for rewards are whole persons ('floor') or fractional ('exact'). */
  extraPersons: 'floor' | 'exact';
  /** I4 — "per person per year" rewards prorated by person-months, or on the December head count. */
  perPersonBasis: 'person-months' | 'december-headcount';
  /** I5 — minimum wage for annual amounts: average over the 12 months, or December's. */
  annualMinWage: 'monthly-average' | 'december';
  /** I6 — how much one part-time or seasonal employee on staff counts in a month. */
  partTimeWeight: number;
  /** I7 — "不低于" amounts: the product computes the floor. The only reading implemented. */
  rewardAmounts: 'floor';
  /** I9 — collection date of the levy on data year Y; null = 30 June of Y+1. */
  collectionDate: ISODate | null;
  /** Which day's quota ratio applies to data year Y (the rulebook is silent: the ratio in force at year end). */
  quotaRatioDay: 'year-end' | 'collection-date';
  /** What-if: the wage assumed for each extra hire ('average' keeps avgWage unchanged). */
  whatIfWage: 'average' | 'minimum';
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  referenceDay: 'month-end',
  requiredRounding: 'none',
  extraPersons: 'floor',
  perPersonBasis: 'person-months',
  annualMinWage: 'monthly-average',
  partTimeWeight: 1,
  rewardAmounts: 'floor',
  collectionDate: null,
  quotaRatioDay: 'year-end',
  whatIfWage: 'average',
});

export const INTERPRETATION_TEXT = {
  I1: { zh: '每月以月末最后一日在职为准', en: 'an employee counts for a month if on staff on its reference day' },
  I2: {
    zh: '应安排人数不取整，差额人数以公式计算结果为准',
    en: 'required is not rounded; the shortfall may be fractional',
  },
  I3: {
    zh: '“超比例”指超过集中就业比例，多安置人数取整数',
    en: 'J3.1 extra persons are above the concentrated-employment ratio, whole persons',
  },
  I4: { zh: '“每安置1人每年”按人月折算', en: '"per person per year" is prorated by person-months' },
  I5: { zh: '年度金额使用当年月最低工资平均值', en: 'annual amounts use the average monthly minimum wage of the year' },
  I6: { zh: '非全日制及季节性职工在职月份按1人计', en: 'part-time and seasonal staff count 1 in each month on staff' },
  I7: { zh: '“不低于”金额按下限计算', en: '"not less than" amounts are computed at the floor' },
  I8: { zh: '金额精确计算，最后四舍五入到分', en: 'money is exact, rounded half-up to 0.01 元 once at the end' },
  I9: { zh: '保障金征收日默认为次年6月30日', en: 'the levy collection date is 30 June of Y+1 unless given' },
  I10: {
    zh: '奖励标准施行当年，只计算参照日在施行之日及以后的月份',
    en: 'in the year the reward multiples came into force, only the months whose reference day is on or after that day count',
  },
  I11: {
    zh: '滞纳金自缴款期限次日起至缴款之日止按日计算，首尾两日均计入',
    en: 'the late fee runs from the day after the due date through the payment date, both counted',
  },
  I12: {
    zh: '同一残疾人同月被两个以上单位计入时，默认由当月缴纳社会保险的单位计入；均缴或均未缴的，由入职较早的单位计入；仍相同的，由审核人员决定',
    en: 'a disabled person counted by two or more units in one month counts, by default, at the unit that paid social insurance for the month; if both or neither did, at the unit the person joined first; otherwise the officer decides',
  },
  I13: {
    zh: '残疾人证不在本市残疾人证库中的（持证人可能在外地登记），仍计入，并提示核实',
    en: 'a certificate not in the city register (its holder may be registered elsewhere) still counts, with a notice to check it',
  },
} as const;

export type InterpretationId = keyof typeof INTERPRETATION_TEXT;

/** Merges overrides onto the defaults, rejecting unknown keys and values of the wrong kind. */
export function resolveSettings(overrides: Partial<Settings> = {}): Settings {
  const out: Settings = { ...DEFAULT_SETTINGS };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in DEFAULT_SETTINGS)) throw new RangeError(`unknown setting: ${k}`);
    if (v === undefined) continue;
    (out as unknown as Record<string, unknown>)[k] = v;
  }
  if (!(out.partTimeWeight > 0 && out.partTimeWeight <= 1)) throw new RangeError('partTimeWeight must be in (0, 1]');
  return out;
}
