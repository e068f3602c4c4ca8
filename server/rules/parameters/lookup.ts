/**
 * Typed accessors over the parameter table: one function per parameter, so rule files never spell a
 * parameter id or a value shape themselves.
 */
import type { ISODate } from '../calendar';
import { Q } from '../money';
import type { County } from '../types';
import type { InForce, Parameters } from './table';
import type { ParameterValues } from './values';

export type { ReductionReason, RetirementSchedule } from './values';

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
  const tier = p.at('county-tier', day, county);
  const wage = p.at('min-wage', day, String(tier.value));
  return { value: q(wage.value), source: `${wage.source}（${county}执行第${tier.value}档）`, from: wage.from };
}

export const quotaRatio = (p: Parameters, day: ISODate) => sourced(p.at('quota-ratio', day), q);
export const concentratedRatio = (p: Parameters, day: ISODate) => {
  const v = p.maybeAt('concentrated-ratio', day);
  return v && sourced(v, q);
};
export const concentratedMinPersons = (p: Parameters, day: ISODate) => p.maybeAt('concentrated-min-persons', day);
export const vatRefundMultiple = (p: Parameters, day: ISODate) => {
  const v = p.maybeAt('vat-refund-multiple', day);
  return v && sourced(v, q);
};
export const wageCapMultiple = (p: Parameters, day: ISODate) =>
  sourced(p.at('wage-cap-multiple', day), (v) => (v === null ? null : q(v)));
export const socialAverageWage = (p: Parameters, year: number) => {
  const v = p.maybeAt('social-average-wage', `${year}-12-31`);
  return v && sourced(v, q);
};

export interface ReductionTiers {
  threshold: Q;
  rateAtOrAbove: Q;
  rateBelow: Q;
}
export const levyReduction = (p: Parameters, day: ISODate): Sourced<ReductionTiers> | null => {
  const v = p.maybeAt('levy-reduction', day);
  return (
    v &&
    sourced(v, (t) => ({ threshold: q(t.threshold), rateAtOrAbove: q(t.rateAtOrAbove), rateBelow: q(t.rateBelow) }))
  );
};

export const smallEnterpriseExemption = (p: Parameters, day: ISODate) => p.maybeAt('small-enterprise-exemption', day);
export const startupExemption = (p: Parameters, day: ISODate) => p.maybeAt('startup-exemption', day);
export const landUseTaxRelief = (p: Parameters, day: ISODate) =>
  sourced(p.at('land-use-tax-relief', day), (v) => ({
    ratio: q(v.ratio),
    minPersons: v.minPersons,
  }));

/** The over-quota reward's multiple of the minimum wage (J3.2), for the template's worked example. */
export const overQuotaRewardMultiple = (p: Parameters, day: ISODate) => p.at('reward-over-quota', day);
export const oneOffAwards = (p: Parameters, day: ISODate) => p.at('one-off-awards', day);
export const subsidyTerms = (p: Parameters, day: ISODate) => p.at('subsidies', day);

export type RetirementRule = ParameterValues['retirement-age'];
export const retirementRule = (p: Parameters, day: ISODate) => p.at('retirement-age', day);

/** Data years the product evaluates: 2016 through the latest year with a minimum wage (docs/rules.md §8.7). */
export function supportedYears(p: Parameters): { first: number; last: number } {
  return { first: 2016, last: p.latestFromYear('min-wage') };
}

export type WeightRule = ParameterValues['disability-weight'];
export const disabilityWeight = (p: Parameters, day: ISODate) => p.at('disability-weight', day);

export interface LateFeeRule {
  dailyRate: Q;
  start: ParameterValues['late-fee']['start'];
}
export const lateFeeRule = (p: Parameters, day: ISODate): Sourced<LateFeeRule> =>
  sourced(p.at('late-fee', day), (v) => ({
    dailyRate: q(v.dailyRate),
    start: v.start,
  }));

export const taxReductionCodes = (p: Parameters, day: ISODate) => p.maybeAt('tax-reduction-codes', day);
