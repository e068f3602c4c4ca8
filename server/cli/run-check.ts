/** `quota check`: ingest → (problems | engine) → optional annotated workbook. */
import { shippedParameters } from '../params/load-parameters';
import { ingestFile } from '../ingest';
import { annotateWorkbook } from '../ingest/annotate';
import type { Lang } from '../ingest/messages';
import { check } from '../rules/check';
import type { Settings } from '../rules/interpretations';
import type { CheckResult, Problem } from '../rules/result';
import { basename } from 'node:path';

export type Outcome =
  | { kind: 'result'; result: CheckResult; annotated?: string }
  | { kind: 'problems'; problems: Problem[]; annotated?: string };

export interface RunOptions {
  lang: Lang;
  annotate?: string;
  collectionDate?: string;
  set: string[];
  employerFields: Record<string, string | undefined>;
  onProgress?: (rows: number) => void;
}

/** `--set key=value` → a settings override; numbers and null are parsed, the rest stays text. */
export function parseSettings(pairs: string[], collectionDate?: string): Partial<Settings> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i < 0) throw new RangeError(`--set expects key=value, got ${p}`);
    const k = p.slice(0, i), v = p.slice(i + 1);
    out[k] = v === 'null' ? null : /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  if (collectionDate) out.collectionDate = collectionDate;
  return out as Partial<Settings>;
}

export async function runCheck(file: string, opts: RunOptions): Promise<Outcome> {
  const params = shippedParameters();
  const ingested = await ingestFile(file, { fileName: basename(file), params, lang: opts.lang, employerFields: opts.employerFields, onProgress: opts.onProgress });
  let annotated: string | undefined;
  if (opts.annotate && ingested.kind === 'xlsx' && ingested.problems.length) {
    await annotateWorkbook(file, opts.annotate, ingested.problems, opts.lang);
    annotated = opts.annotate;
  }
  if (ingested.hasErrors || !ingested.employer) return { kind: 'problems', problems: ingested.problems, annotated };
  const result = check(ingested.employer, ingested.employees, params, parseSettings(opts.set, opts.collectionDate), ingested.problems);
  return { kind: 'result', result, annotated };
}
