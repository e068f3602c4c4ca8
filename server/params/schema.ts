/**
 * Shapes of the parameter files and of each parameter's value. Used when the shipped YAML is loaded and
 * when an administrator adds a value through the product, so both are checked by the same rules.
 */
import { z } from 'zod';
import { isValidISODate } from '../rules/calendar';
import { isClauseId } from '../rules/clauses';
import type { ParameterValues, ParamId } from '../rules/parameters/values';
import { COUNTIES, UNIT_TYPES } from '../rules/types';

const isoDate = z.string().refine(isValidISODate, 'not a valid date (YYYY-MM-DD)');
/** A ratio (0.015 for 1.5 %): stored as a decimal, entered and shown as a percentage on the administration form. */
export const RATE = z.number().min(0).max(1);
const rate = RATE;
const positive = z.number().positive();
const unitTypes = z.array(z.enum(UNIT_TYPES)).min(1);
const schedule = z.object({
  base: z.number().int().positive(),
  fromBirth: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional(),
  everyMonths: z.number().int().positive().optional(),
  capMonths: z.number().int().nonnegative().optional(),
});

/**
 * Each parameter's value schema, one per id of ParameterValues (server/rules/parameters/values.ts), whose
 * value type the schema's output must be; test/params/value-shapes.test.ts checks the two are the same type.
 */
export const VALUE_SCHEMAS = {
  'quota-ratio': rate,
  'concentrated-ratio': rate,
  'concentrated-min-persons': z.object({
    general: z.number().int().positive(),
    blindMassage: z.number().int().positive(),
  }),
  'vat-refund-multiple': positive,
  'wage-cap-multiple': positive.nullable(),
  'levy-reduction': z.object({ threshold: rate, rateAtOrAbove: rate, rateBelow: rate }),
  'small-enterprise-exemption': z.object({ maxStaff: z.number().int().positive(), unitTypes }),
  'startup-exemption': z.object({
    maxStaff: z.number().int().positive(),
    years: z.number().int().positive(),
    unitTypes,
  }),
  'land-use-tax-relief': z.object({ ratio: rate, minPersons: z.number().int().positive() }),
  'reward-over-quota': positive,
  'reward-concentrated-over-ratio': positive,
  'reward-auxiliary-employment': positive,
  'reward-ecommerce': positive,
  'reward-poverty-relief-base': z.object({ perPerson: positive, perFamily: positive }),
  'one-off-awards': z.object({
    auxiliaryCreation: z.tuple([positive, positive]),
    povertyReliefBaseCreation: z.tuple([positive, positive]),
  }),
  subsidies: z.object({
    socialInsuranceYears: z.number().int().positive(),
    nearRetirementYears: z.number().int().positive(),
    trainingPerPerson: positive,
    trainingSmallMicro: positive,
    trainingWithinMonths: z.number().int().positive(),
  }),
  'retirement-age': z.object({
    minAge: z.number().int().positive(),
    men: schedule,
    womenCadre: schedule,
    womenWorker: schedule,
  }),
  'disability-weight': z.object({
    weight: z.number().int().positive(),
    certGrades: z.array(z.number().int()),
    veteranGrades: z.array(z.number().int()),
    veteranGradeRange: z.tuple([z.number().int(), z.number().int()]),
  }),
  'min-wage': positive,
  'county-tier': z.number().int().min(1).max(4),
  'social-average-wage': positive,
  'late-fee': z.object({ dailyRate: rate, start: z.enum(['day-after-due', 'due-date']) }),
  'tax-reduction-codes': z.object({
    'tiered-reduction': z.string().regex(/^\d+$/).nullable(),
    'small-enterprise': z.string().regex(/^\d+$/).nullable(),
    'startup-small-micro': z.string().regex(/^\d+$/).nullable(),
  }),
} satisfies { [K in ParamId]: z.ZodType<ParameterValues[K]> };

const paramValueSchema = z.object({
  from: isoDate,
  to: isoDate.optional(),
  key: z.union([z.string(), z.number()]).transform(String).optional(),
  value: z.unknown(),
  source: z.string().min(1, 'every value needs a source'),
  note: z.string().optional(),
});

export const paramFileSchema = z.object({
  id: z.string().min(1),
  title: z.object({ zh: z.string(), en: z.string() }),
  clauses: z.array(z.string().refine(isClauseId, 'unknown clause id')),
  unit: z.string().optional(),
  note: z.string().optional(),
  keyedBy: z.string().optional(),
  values: z.array(paramValueSchema),
});

/** Keys every install must cover (a missing county is an error at load). */
export const REQUIRED_KEYS: Record<string, readonly string[]> = {
  'county-tier': COUNTIES,
};

/** The value schema of parameter `id`, or undefined for an id that is not a parameter. */
export function schemaOf(id: string): z.ZodTypeAny | undefined {
  return Object.hasOwn(VALUE_SCHEMAS, id) ? VALUE_SCHEMAS[id as ParamId] : undefined;
}

/** The schema's findings for one value of parameter `id` (empty when it is valid); null for an unknown parameter. */
export function valueIssues(id: string, value: unknown): z.core.$ZodIssue[] | null {
  const schema = schemaOf(id);
  if (!schema) return null;
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues;
}

/** Returns problems with one value of parameter `id` (empty when it is valid). */
export function valueProblems(id: string, value: unknown): string[] {
  const issues = valueIssues(id, value);
  if (!issues) return [`${id}: unknown parameter`];
  return issues.map((i) => `${id}${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`);
}
