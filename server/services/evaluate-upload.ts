/**
 * Reading and evaluating one stored upload: ingest → (problems | engine) → the result and the hashed
 * employee keys, as JSON text. The same code runs in the upload worker thread (server/workers/) and, with
 * UPLOAD_WORKERS=0, in the request process.
 */
import { ingestFile } from '../ingest';
import type { Lang } from '../ingest/messages';
import { ProblemList } from '../ingest/problem';
import { check } from '../rules/check';
import type { Parameters } from '../rules/parameters/table';
import type { CheckResult, Problem } from '../rules/result';
import { employeeKeys } from './employee-keys';

export interface EvaluateInput {
  path: string;
  fileName: string;
  lang: Lang;
  employerUscc: string;
  secret: string;
}

export interface EvaluateOutput {
  year: number | null;
  hasErrors: boolean;
  errorCount: number;
  rowsRead: number;
  resultJson: string;
  keysJson: string;
}

export async function evaluateUpload(input: EvaluateInput, params: Parameters, onProgress: (rows: number) => void): Promise<EvaluateOutput> {
  const ingested = await ingestFile(input.path, { fileName: input.fileName, params, lang: input.lang, onProgress });
  const problems: Problem[] = [...ingested.problems];
  if (ingested.employer && ingested.employer.uscc !== input.employerUscc) {
    const pl = new ProblemList(input.lang);
    pl.error('employer/other-uscc', ingested.employerSheet, ingested.employerCells.get('uscc') ?? '', { uscc: ingested.employer.uscc, expected: input.employerUscc });
    problems.push(...pl.items);
  }
  const hasErrors = ingested.hasErrors || problems.some((p) => p.severity === 'error');
  const result: CheckResult | { problems: Problem[] } = hasErrors || !ingested.employer
    ? { problems }
    : check(ingested.employer, ingested.employees, params, {}, problems);
  return {
    year: ingested.employer?.year ?? null,
    hasErrors,
    errorCount: problems.filter((p) => p.severity === 'error').length,
    rowsRead: ingested.rowsRead,
    resultJson: JSON.stringify(result),
    keysJson: JSON.stringify(hasErrors ? [] : employeeKeys(ingested.employees, input.secret)),
  };
}
