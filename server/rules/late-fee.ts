/**
 * Late fee on unpaid levy (L72 art. 26, citing 《残疾人就业条例》: 自欠缴之日起，按日加收5‰的滞纳金) and the
 * back-billing of skipped years (docs/rules.md §13).
 *   I11: days = from the day after the due date through the payment date, both counted (= paid − due);
 *        fee = arrears × dailyRate × days, rounded once (I8). Paid on or before the due date: no fee.
 * The daily rate and the first day counted are data (`late-fee`), looked up on the due date.
 */
import { daysBetween, isValidISODate, type ISODate } from './calendar';
import type { Explanation } from './figure';
import { Explainer } from './figure';
import { formatPercent, formatYuan, Q, toYuan } from './money';
import { lateFeeRule, minWage } from './parameters/lookup';
import type { Parameters } from './parameters/table';
import { evaluate } from './evaluate';
import { resolveSettings, type Settings } from './interpretations';
import { referenceDay } from './monthly';
import type { Employer, MonthFacts } from './types';

export interface LateFee {
  arrears: number;
  due: ISODate;
  paid: ISODate;
  days: number;
  dailyRate: number;
  fee: number;
  source: string;
  explanation: Explanation;
}

function lateFeeExact(arrears: Q, due: ISODate, paid: ISODate, params: Parameters) {
  if (!isValidISODate(due)) throw new RangeError(`due date is not a valid date (YYYY-MM-DD): ${due}`);
  if (!isValidISODate(paid)) throw new RangeError(`payment date is not a valid date (YYYY-MM-DD): ${paid}`);
  if (arrears.lt(Q.ZERO)) throw new RangeError('the arrears cannot be negative');
  const rule = lateFeeRule(params, due);
  const late = daysBetween(due, paid);
  const days = late <= 0 ? 0 : late + (rule.value.start === 'due-date' ? 1 : 0);
  return { rule, days, fee: arrears.mul(rule.value.dailyRate).mul(days) };
}

export function lateFee(arrears: Q, due: ISODate, paid: ISODate, params: Parameters): LateFee {
  const { rule, days, fee } = lateFeeExact(arrears, due, paid, params);
  const ex = new Explainer();
  ex.explain(
    'lateFee',
    'arrears × dailyRate × days',
    `${formatYuan(arrears)} × ${formatPercent(rule.value.dailyRate, 3)} × ${days}`,
    formatYuan(fee),
    ['L72'],
    {
      interpretations: ['I11', 'I8'],
      sources: [rule.source],
      note: `${rule.value.start === 'due-date' ? due : 'day after ' + due} … ${paid}`,
    },
  );
  return {
    arrears: toYuan(arrears),
    due,
    paid,
    days,
    dailyRate: rule.value.dailyRate.toNumber(),
    fee: toYuan(fee),
    source: rule.source,
    explanation: ex.items[0],
  };
}

export interface ArrearsYear {
  /** The data year Y (levy collected in Y + 1). */
  year: number;
  /** The levy as the rules give it for Y (a stored result's levy.payable, or the levy as if nobody was placed). */
  levy: Q;
  /** Already paid towards it. */
  paid?: Q;
  /** Where the levy figure comes from: a verified result, or nobody placed because no verification was filed. */
  basis: 'verified' | 'nobody-placed';
  due: ISODate;
}

export interface ArrearsLine {
  year: number;
  basis: ArrearsYear['basis'];
  levy: number;
  paid: number;
  arrears: number;
  due: ISODate;
  days: number;
  dailyRate: number;
  lateFee: number;
  total: number;
  explanation: Explanation;
}

/** Each unpaid year's arrears and late fee through `paymentDate`; totals summed exactly, rounded once per figure. */
export function computeArrears(
  years: readonly ArrearsYear[],
  paymentDate: ISODate,
  params: Parameters,
): { lines: ArrearsLine[]; arrears: number; lateFee: number; total: number } {
  let sumArrears = Q.ZERO,
    sumFee = Q.ZERO;
  const lines = [...years]
    .sort((a, b) => a.year - b.year)
    .map((y) => {
      const arrears = y.levy.sub(y.paid ?? Q.ZERO).max(Q.ZERO);
      const exact = lateFeeExact(arrears, y.due, paymentDate, params);
      sumArrears = sumArrears.add(arrears);
      sumFee = sumFee.add(exact.fee);
      const lf = lateFee(arrears, y.due, paymentDate, params);
      return {
        year: y.year,
        basis: y.basis,
        levy: toYuan(y.levy),
        paid: toYuan(y.paid ?? Q.ZERO),
        arrears: toYuan(arrears),
        due: y.due,
        days: exact.days,
        dailyRate: exact.rule.value.dailyRate.toNumber(),
        lateFee: toYuan(exact.fee),
        total: toYuan(arrears.add(exact.fee)),
        explanation: lf.explanation,
      };
    });
  return { lines, arrears: toYuan(sumArrears), lateFee: toYuan(sumFee), total: toYuan(sumArrears.add(sumFee)) };
}

/**
 * The levy of a year with no verification: as if nobody was placed (docs/rules.md §11, 视为未安排), by the
 * same rules as any result — the staff of each month and the wage total, with no disabled person counted.
 */
export function levyAsIfNobodyPlaced(
  employer: Employer,
  staffByMonth: readonly Q[],
  wageTotal: Q,
  params: Parameters,
  overrides: Partial<Settings> = {},
): { levy: Q; full: Q; wageBase: Q; exemption: string | null; explanations: Explanation[] } {
  if (staffByMonth.length !== 12) throw new RangeError('staff is needed for each of the 12 months');
  const settings = resolveSettings(overrides);
  const months: MonthFacts[] = staffByMonth.map((staff, i) => {
    const day = referenceDay(employer.year, i + 1, settings);
    const mw = minWage(params, employer.county, day);
    return {
      month: i + 1,
      referenceDay: day,
      staff,
      disabled: 0,
      weighted: 0,
      staffWagesFen: 0,
      minWage: mw.value,
      minWageSource: mw.source,
    };
  });
  const f = evaluate({ ...employer, wageTotal }, months, params, settings);
  return {
    levy: f.levy.payable,
    full: f.levy.full,
    wageBase: f.levy.wageBase,
    exemption: f.levy.exemption,
    explanations: f.explainer.items.filter((e) => e.figure.startsWith('levy') || e.figure === 'annual.wageBase'),
  };
}
