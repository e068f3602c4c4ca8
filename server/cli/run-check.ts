/** `quota check`: the pipeline (server/services/check-file.ts) → optional annotated workbook. */
import { shippedParameters } from '../params/load-parameters';
import { annotateWorkbook } from '../ingest/annotate';
import type { Lang } from '../ingest/messages';
import { Q } from '../rules/money';
import { checkFile } from '../services/check-file';
import type { Settings } from '../rules/interpretations';
import type { CheckResult, Problem, ProblemTotals } from '../rules/result';
import { basename } from 'node:path';

export type Outcome =
  | { kind: 'result'; result: CheckResult; annotated?: string; notAnnotated?: NotAnnotated }
  | {
      kind: 'problems';
      problems: Problem[];
      problemTotals: ProblemTotals;
      annotated?: string;
      notAnnotated?: NotAnnotated;
    };

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
    const k = p.slice(0, i),
      v = p.slice(i + 1);
    out[k] = v === 'null' ? null : /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  if (collectionDate) out.collectionDate = collectionDate;
  return out as Partial<Settings>;
}

/** A plain amount in 元 (digits, at most two decimals). */
export function parseAmount(text: string, what: string): Q {
  if (!/^\d+(\.\d{1,2})?$/.test(text.trim()))
    throw new UsageError(
      `${what}：应为金额（元，最多两位小数），例如 96000 / ${what} expects an amount in 元 with at most two decimals, e.g. 96000 (got "${text}")`,
    );
  return Q.parse(text.trim());
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export async function runCheck(file: string, opts: RunOptions): Promise<Outcome> {
  if (opts.socialAverageWage !== undefined) parseAmount(opts.socialAverageWage, '--social-average-wage');
  if (opts.alreadyPaid !== undefined) parseAmount(opts.alreadyPaid, '--already-paid');
  const checked = await checkFile(file, shippedParameters(), {
    fileName: basename(file),
    lang: opts.lang,
    origin: 'cli',
    employerFields: opts.employerFields,
    onProgress: opts.onProgress,
    settings: parseSettings(opts.set, opts.collectionDate),
    socialAverageWage: opts.socialAverageWage,
    alreadyPaid: opts.alreadyPaid,
  });
  let annotated: string | undefined;
  let notAnnotated: NotAnnotated | undefined;
  if (opts.annotate) {
    if (checked.ingested.kind !== 'xlsx') notAnnotated = 'not-xlsx';
    else if (!checked.problems.length) notAnnotated = 'nothing-to-mark';
    else {
      await annotateWorkbook(file, opts.annotate, checked.problems, opts.lang);
      annotated = opts.annotate;
    }
  }
  if (!checked.result)
    return {
      kind: 'problems',
      problems: checked.problems,
      problemTotals: checked.problemTotals,
      annotated,
      notAnnotated,
    };
  return { kind: 'result', result: checked.result, annotated, notAnnotated };
}
