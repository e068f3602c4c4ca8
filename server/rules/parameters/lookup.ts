/**
 * Typed accessors over the parameter table: one function per parameter, so rule files never spell a
 * parameter id or a value shape themselves.
 */
import type { ISODate } from '../calendar';
import { Q } from '../money';
import type { County, UnitType } from '../types';
import type { InForce, Parameters } from './table';

export interface Sourced<T> {
  value: T;
  source: string;
  from: ISODate;
}

function sourced<T, U>(v: InForce<T>, map: (t: T) => U): Sourced<U> {
  return { value: map(v.value), source: v.source, from: v.from };
}

const q = (x: number) => Q.of(x);

export function minWage(p: Parameters, county: County, day: ISODate): Sourced<Q> {
  const tier = p.at<number>('county-tier', day, county);
  const wage = p.at<number>('min-wage', day, String(tier.value));
  return { value: q(wage.value), source: `${wage.source}（${county}执行第${tier.value}档）`, from: wage.from };
}

export const quotaRatio = (p: Parameters, day: ISODate) => sourced(p.at<number>('quota-ratio', day), q);
export const concentratedRatio = (p: Parameters, day: ISODate) => {
  const v = p.maybeAt<number>('concentrated-ratio', day);
  return v && sourced(v, q);
};
export const concentratedMinPersons = (p: Parameters, day: ISODate) =>
  p.maybeAt<{ general: number; blindMassage: number }>('concentrated-min-persons', day);
export const vatRefundMultiple = (p: Parameters, day: ISODate) => {
  const v = p.maybeAt<number>('vat-refund-multiple', day);
  return v && sourced(v, q);
};
export const wageCapMultiple = (p: Parameters, day: ISODate) =>
  sourced(p.at<number | null>('wage-cap-multiple', day), (v) => (v === null ? null : q(v)));
export const socialAverageWage = (p: Parameters, year: number) => {
  const v = p.maybeAt<number>('social-average-wage', `${year}-12-31`);
  return v && sourced(v, q);
};

export interface ReductionTiers {
  threshold: Q;
  rateAtOrAbove: Q;
  rateBelow: Q;
}
export const levyReduction = (p: Parameters, day: ISODate): Sourced<ReductionTiers> | null => {
  const v = p.maybeAt<{ threshold: number; rateAtOrAbove: number; rateBelow: number }>('levy-reduction', day);
  return (
    v &&
    sourced(v, (t) => ({ threshold: q(t.threshold), rateAtOrAbove: q(t.rateAtOrAbove), rateBelow: q(t.rateBelow) }))
  );
};

export interface ExemptionRule {
  maxStaff: number;
  unitTypes: UnitType[];
  years?: number;
}
export const smallEnterpriseExemption = (p: Parameters, day: ISODate) =>
  p.maybeAt<ExemptionRule>('small-enterprise-exemption', day);
export const startupExemption = (p: Parameters, day: ISODate) =>
  p.maybeAt<Required<ExemptionRule>>('startup-exemption', day);
export const landUseTaxRelief = (p: Parameters, day: ISODate) =>
  sourced(p.at<{ ratio: number; minPersons: number }>('land-use-tax-relief', day), (v) => ({
    ratio: q(v.ratio),
    minPersons: v.minPersons,
  }));

export interface RewardMultiples {
  overRatio: number;
  overQuota: number;
  auxiliaryEmployment: number;
  ecommerce: number;
  povertyReliefPerson: number;
  povertyReliefFamily: number;
}
export const rewardMultiples = (p: Parameters, day: ISODate) => p.at<RewardMultiples>('rewards', day);
export const oneOffAwards = (p: Parameters, day: ISODate) =>
  p.at<{ auxiliaryCreation: [number, number]; povertyReliefBaseCreation: [number, number] }>('one-off-awards', day);
export interface SubsidyTerms {
  socialInsuranceYears: number;
  nearRetirementYears: number;
  trainingPerPerson: number;
  trainingSmallMicro: number;
  trainingWithinMonths: number;
}
export const subsidyTerms = (p: Parameters, day: ISODate) => p.at<SubsidyTerms>('subsidies', day);

export interface RetirementSchedule {
  base: number;
  fromBirth?: string;
  everyMonths?: number;
  capMonths?: number;
}
export interface RetirementRule {
  minAge: number;
  men: RetirementSchedule;
  womenCadre: RetirementSchedule;
  womenWorker: RetirementSchedule;
}
export const retirementRule = (p: Parameters, day: ISODate) => p.at<RetirementRule>('retirement-age', day);

/** Data years the product evaluates: 2016 through the latest year with a minimum wage (docs/rules.md §8.7). */
export function supportedYears(p: Parameters): { first: number; last: number } {
  return { first: 2016, last: p.latestFromYear('min-wage') };
}

export interface WeightRule {
  weight: number;
  certGrades: number[];
  veteranGrades: number[];
  veteranGradeRange: [number, number];
}
export const disabilityWeight = (p: Parameters, day: ISODate) => p.at<WeightRule>('disability-weight', day);

export interface LateFeeRule {
  dailyRate: Q;
  start: 'day-after-due' | 'due-date';
}
export const lateFeeRule = (p: Parameters, day: ISODate): Sourced<LateFeeRule> =>
  sourced(p.at<{ dailyRate: number; start: LateFeeRule['start'] }>('late-fee', day), (v) => ({
    dailyRate: q(v.dailyRate),
    start: v.start,
  }));

export type ReductionReason = 'tiered-reduction' | 'small-enterprise' | 'startup-small-micro';
export const taxReductionCodes = (p: Parameters, day: ISODate) =>
  p.maybeAt<Record<ReductionReason, string | null>>('tax-reduction-codes', day);
