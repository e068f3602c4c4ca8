/**
 * docs/rules.md §4.1 — legal working age (R24, 全国人大常委会关于实施渐进式延迟法定退休年龄的决定).
 *
 * "从2025年1月1日起，男职工和原法定退休年龄为五十五周岁的女职工，法定退休年龄每四个月延迟一个月，
 *  分别逐步延迟至六十三周岁和五十八周岁；原法定退休年龄为五十周岁的女职工，法定退休年龄每二个月延迟一个月，
 *  逐步延迟至五十五周岁。"
 *
 * delay = min(cap, ⌊(b − fromBirth) / every⌋ + 1) months for birth month b ≥ fromBirth.
 * A person is of working age in month m when m is not before the month of their 16th birthday and
 * not after the month in which they reach the retirement age.
 */
import { monthIndex, monthIndexOf, type ISODate } from '../calendar';
import type { RetirementRule, RetirementSchedule } from '../parameters/lookup';
import type { FemalePost } from '../types';

export interface RetirementAge {
  years: number;
  delayMonths: number;
  /** Month index of the last month of working age. */
  lastMonth: number;
  /** Month index of the 16th birthday. */
  firstMonth: number;
}

function scheduleFor(rule: RetirementRule, sex: 'M' | 'F', post: FemalePost): RetirementSchedule {
  if (sex === 'M') return rule.men;
  return post === '干部' ? rule.womenCadre : rule.womenWorker;
}

function delayMonths(schedule: RetirementSchedule, birthMonth: number): number {
  if (!schedule.fromBirth || !schedule.everyMonths || schedule.capMonths === undefined) return 0;
  const start = monthIndexOf(`${schedule.fromBirth}-01`);
  if (birthMonth < start) return 0;
  return Math.min(schedule.capMonths, Math.floor((birthMonth - start) / schedule.everyMonths) + 1);
}

export function retirementAge(
  rule: RetirementRule,
  birthDate: ISODate,
  sex: 'M' | 'F',
  post: FemalePost,
): RetirementAge {
  const birthMonth = monthIndexOf(birthDate);
  const schedule = scheduleFor(rule, sex, post);
  const delay = delayMonths(schedule, birthMonth);
  return {
    years: schedule.base,
    delayMonths: delay,
    lastMonth: birthMonth + schedule.base * 12 + delay,
    firstMonth: birthMonth + rule.minAge * 12,
  };
}

export function isWorkingAge(
  rule: RetirementRule,
  birthDate: ISODate,
  sex: 'M' | 'F',
  post: FemalePost,
  year: number,
  month: number,
): boolean {
  const r = retirementAge(rule, birthDate, sex, post);
  const m = monthIndex(year, month);
  return m >= r.firstMonth && m <= r.lastMonth;
}
