/**
 * Reads the shipped parameter files (server/rules/parameters/*.yaml) into a validated `Parameters`
 * table. Adding next year's minimum wage is a one-line change to min-wage.yaml (or an administrator's
 * entry in the product) — never a code change.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ClauseId } from '../rules/clauses';
import { Parameters, ParameterFileError, type ParamDef, type ParamValue } from '../rules/parameters/table';
import { paramFileSchema, REQUIRED_KEYS, VALUE_SCHEMAS, valueProblems } from './schema';

export const PARAMETER_DIR = join(__dirname, '..', 'rules', 'parameters');

export function parseParameterFile(text: string, fileName: string): ParamDef {
  const raw = parse(text);
  const r = paramFileSchema.safeParse(raw);
  if (!r.success)
    throw new ParameterFileError(r.error.issues.map((i) => `${fileName}: ${i.path.join('.')}: ${i.message}`));
  const problems = r.data.values.flatMap((v, i) =>
    valueProblems(r.data.id, v.value).map((p) => `${fileName} values[${i}]: ${p}`),
  );
  if (problems.length) throw new ParameterFileError(problems);
  return { ...r.data, clauses: r.data.clauses as ClauseId[], values: r.data.values as ParamValue[] };
}

export function loadParameterDefs(dir = PARAMETER_DIR): ParamDef[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parseParameterFile(readFileSync(join(dir, f), 'utf8'), f));
}

export function buildParameters(defs: ParamDef[], extra: { id: string; value: ParamValue }[] = []): Parameters {
  const missing = Object.keys(VALUE_SCHEMAS).filter((id) => !defs.some((d) => d.id === id));
  if (missing.length) throw new ParameterFileError(missing.map((id) => `${id}: parameter file missing`));
  const base = new Parameters(defs, REQUIRED_KEYS);
  return extra.length ? base.withValues(extra, REQUIRED_KEYS) : base;
}

let cached: Parameters | null = null;
/** The shipped table, read once per process. */
export function shippedParameters(): Parameters {
  cached ??= buildParameters(loadParameterDefs());
  return cached;
}
