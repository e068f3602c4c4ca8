/** `quota check`: the pipeline (server/services/check-file.ts) → optional annotated workbook. */
import { shippedParameters } from '../params/load-parameters';
import { annotateWorkbook } from '../ingest/annotate';
import type { Lang } from '../ingest/messages';
import { checkFile } from '../services/check-file';
import type { CheckResult, Problem, ProblemTotals } from '../rules/result';
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readCertRegisterFile } from '../ingest/certificate-register-sheet';
import type { RegisterEntry } from '../rules/certificate-register';
import { employeeKeyOf } from '../services/employee-keys';
import { parseAmount, parseSettings, UsageError } from './arguments';

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
  /** A 残联 certificate register file to check the certificates against (--certificate-register, §4.3). */
  certificateRegister?: string;
  onProgress?: (rows: number) => void;
}

/** The register file as the check takes it: its good rows, keyed with a secret of this run only. */
async function registerOf(path: string): Promise<{ secret: string; entries: [string, RegisterEntry][] }> {
  const file = await readCertRegisterFile(path, basename(path));
  if (!file.rows.length)
    throw new UsageError(
      `--certificate-register：证库文件无可用记录（${file.problems[0]?.code ?? 'empty'}）/ the register file has no usable row`,
    );
  const secret = randomBytes(32).toString('hex');
  return {
    secret,
    entries: file.rows.map((r) => [
      employeeKeyOf(r.number.slice(0, 18), secret),
      { category: r.category, grade: r.grade, issued: r.issued, validTo: r.validTo, cancelledOn: r.cancelledOn },
    ]),
  };
}

export { parseAmount, parseSettings, UsageError };

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
    register: opts.certificateRegister ? await registerOf(opts.certificateRegister) : null,
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
