/** `quota check`: ingest → (problems | engine) → optional annotated workbook. */
import { shippedParameters } from '../params/load-parameters';
import { ingestFile } from '../ingest';
import { annotateWorkbook } from '../ingest/annotate';
import type { Lang } from '../ingest/messages';
import { check } from '../rules/check';
import { Q } from '../rules/money';
import { withSocialAverageWage } from '../rules/social-average-wage';
import type { Settings } from '../rules/interpretations';
import type { CheckResult, Problem, ProblemTotals } from '../rules/result';
import { basename } from 'node:path';

export type Outcome =
  | { kind: 'result'; result: CheckResult; annotated?: string; notAnnotated?: NotAnnotated }
  | { kind: 'problems'; problems: Problem[]; problemTotals: ProblemTotals; annotated?: string; notAnnotated?: NotAnnotated };

/** Why `--annotate` wrote nothing: no problem to mark, or a file that is not an .xlsx workbook. */
export type NotAnnotated = 'nothing-to-mark' | 'not-xlsx';

export interface RunOptions {
  lang: Lang;
  annotate?: string;
  collectionDate?: string;
  set: string[];
  employerFields: Record<string, string | undefined>;
  /** 元 per year: the year's social average wage, replacing any configured value (--social-average-wage). */
  socialAverageWage?: string;
  /** 元: already paid for the year (tax form column 11). */
  alreadyPaid?: string;
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

/** A plain amount in 元 (digits, at most two decimals). */
export function parseAmount(text: string, what: string): Q {
  if (!/^\d+(\.\d{1,2})?$/.test(text.trim())) throw new UsageError(`${what}：应为金额（元，最多两位小数），例如 96000 / ${what} expects an amount in 元 with at most two decimals, e.g. 96000 (got "${text}")`);
  return Q.parse(text.trim());
}

export class UsageError extends Error {
  constructor(message: string) { super(message); this.name = 'UsageError'; }
}

export async function runCheck(file: string, opts: RunOptions): Promise<Outcome> {
  const params = shippedParameters();
  const ingested = await ingestFile(file, { fileName: basename(file), params, lang: opts.lang, employerFields: opts.employerFields, onProgress: opts.onProgress });
  let annotated: string | undefined;
  let notAnnotated: NotAnnotated | undefined;
  if (opts.annotate) {
    if (ingested.kind !== 'xlsx') notAnnotated = 'not-xlsx';
    else if (!ingested.problems.length) notAnnotated = 'nothing-to-mark';
    else {
      await annotateWorkbook(file, opts.annotate, ingested.problems, opts.lang);
      annotated = opts.annotate;
    }
  }
  if (ingested.hasErrors || !ingested.employer) return { kind: 'problems', problems: ingested.problems, problemTotals: ingested.problemTotals, annotated, notAnnotated };
  const year = ingested.employer.year;
  const used = opts.socialAverageWage === undefined ? params
    : withSocialAverageWage(params, year, parseAmount(opts.socialAverageWage, '--social-average-wage'), `命令行 --social-average-wage ${opts.socialAverageWage}（${year}年度）/ given on the command line`);
  const alreadyPaid = opts.alreadyPaid === undefined ? undefined : parseAmount(opts.alreadyPaid, '--already-paid');
  const result = check(ingested.employer, ingested.employees, used, parseSettings(opts.set, opts.collectionDate), ingested, { alreadyPaid });
  return { kind: 'result', result, annotated, notAnnotated };
}
