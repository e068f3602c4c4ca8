/**
 * Reads the shipped parameter files (server/rules/parameters/*.yaml) into a validated `Parameters`
 * table. Adding next year's minimum wage is a one-line change to min-wage.yaml (or an administrator's
 * entry in the product) — never a code change.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { parse as ParseYaml } from 'yaml';
import { ROOT } from '../paths';
import type { ClauseId } from '../rules/clauses';
import { Parameters, ParameterFileError, type ParamDef, type ParamValue } from '../rules/parameters/table';
import { paramFileSchema, REQUIRED_KEYS, VALUE_SCHEMAS, valueProblems } from './schema';

export const PARAMETER_DIR = join(ROOT, 'server', 'rules', 'parameters');

/** The YAML parser, loaded on first use: the compiled app reads its parameters from the build instead. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parseYaml = (text: string) => (require('yaml') as { parse: typeof ParseYaml }).parse(text);

export function parseParameterFile(text: string, fileName: string): ParamDef {
  const raw = parseYaml(text);
  const r = paramFileSchema.safeParse(raw);
  if (!r.success)
    throw new ParameterFileError(r.error.issues.map((i) => `${fileName}: ${i.path.join('.')}: ${i.message}`));
  const problems = r.data.values.flatMap((v, i) =>
    valueProblems(r.data.id, v.value).map((p) => `${fileName} values[${i}]: ${p}`),
  );
  if (problems.length) throw new ParameterFileError(problems);
  return { ...r.data, clauses: r.data.clauses as ClauseId[], values: r.data.values as ParamValue[] };
}

/** The parameter files of a folder, as text by file name, in name order. */
function parameterTexts(dir: string): [string, string][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
}

/** What the parameter files say, hashed: the compiled cache below holds only for these very texts. */
export function parameterTextsHash(dir = PARAMETER_DIR): string {
  const h = createHash('sha256');
  for (const [f, text] of parameterTexts(dir)) h.update(`${f}\0${text}\0`);
  return h.digest('hex');
}

/** Every parameter file of the folder read and validated. */
export function parseParameterDir(dir = PARAMETER_DIR): ParamDef[] {
  return parameterTexts(dir).map(([f, text]) => parseParameterFile(text, f));
}

/**
 * The compiled app (dist/) keeps the shipped files as read and validated at build time in
 * dist/parameters.json (scripts/build.js), used while the files' texts are still those it was made from:
 * reading them again is then a hash, not a YAML parse and a validation (a third of start-up). A changed
 * file is read afresh, so a one-line change to the YAML still needs no build.
 */
export const PARAMETER_CACHE = join(ROOT, 'dist', 'parameters.json');
const COMPILED = !__filename.endsWith('.ts');

export function loadParameterDefs(dir = PARAMETER_DIR): ParamDef[] {
  if (COMPILED && dir === PARAMETER_DIR && existsSync(PARAMETER_CACHE)) {
    const cache = JSON.parse(readFileSync(PARAMETER_CACHE, 'utf8')) as { hash: string; defs: ParamDef[] };
    if (cache.hash === parameterTextsHash(dir)) return cache.defs;
  }
  return parseParameterDir(dir);
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
