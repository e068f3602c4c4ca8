/**
 * The value each parameter holds, by parameter id — the engine's side of the value shapes. The checking
 * side is the zod schema of each id in server/params/schema.ts: it is typed against this map, and
 * test/params/value-shapes.test.ts fails to compile if a schema's inferred type and this map disagree.
 * The engine stays pure (it imports only server/rules), so the map is written here and the schemas are
 * checked against it, not the other way round. Amounts and ratios are plain numbers here; the typed
 * accessors in lookup.ts turn them into exact decimals.
 */
import type { UnitType } from '../types';

export type ReductionReason = 'tiered-reduction' | 'small-enterprise' | 'startup-small-micro';

export interface RetirementSchedule {
  base: number;
  fromBirth?: string;
  everyMonths?: number;
  capMonths?: number;
}

export interface ParameterValues {
  'quota-ratio': number;
  'concentrated-ratio': number;
  'concentrated-min-persons': { general: number; blindMassage: number };
  'vat-refund-multiple': number;
  'wage-cap-multiple': number | null;
  'levy-reduction': { threshold: number; rateAtOrAbove: number; rateBelow: number };
  'small-enterprise-exemption': { maxStaff: number; unitTypes: UnitType[] };
  'startup-exemption': { maxStaff: number; years: number; unitTypes: UnitType[] };
  'land-use-tax-relief': { ratio: number; minPersons: number };
  'reward-over-quota': number;
  'reward-concentrated-over-ratio': number;
  'reward-auxiliary-employment': number;
  'reward-ecommerce': number;
  'reward-poverty-relief-base': { perPerson: number; perFamily: number };
  'one-off-awards': { auxiliaryCreation: [number, number]; povertyReliefBaseCreation: [number, number] };
  subsidies: {
    socialInsuranceYears: number;
    nearRetirementYears: number;
    trainingPerPerson: number;
    trainingSmallMicro: number;
    trainingWithinMonths: number;
  };
  'retirement-age': {
    minAge: number;
    men: RetirementSchedule;
    womenCadre: RetirementSchedule;
    womenWorker: RetirementSchedule;
  };
  'disability-weight': {
    weight: number;
    certGrades: number[];
    veteranGrades: number[];
    veteranGradeRange: [number, number];
  };
  'min-wage': number;
  'county-tier': number;
  'social-average-wage': number;
  'late-fee': { dailyRate: number; start: 'day-after-due' | 'due-date' };
  'tax-reduction-codes': Record<ReductionReason, string | null>;
}

/** A parameter's id; it names its value's type. */
export type ParamId = keyof ParameterValues;
