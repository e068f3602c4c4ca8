/**
 * Reading and evaluating one stored upload: ingest → (problems | engine) → the result and the hashed
 * employee keys, as JSON text. The same code runs in the upload worker thread (server/workers/) and, with
 * UPLOAD_WORKERS=0, in the request process.
 */
import { ingestFile } from '../ingest';
import type { Lang } from '../ingest/messages';
import { check } from '../rules/check';
import type { Parameters } from '../rules/parameters/table';
import type { CheckResult, ProblemsResult } from '../rules/result';
import { employeeKeys } from './employee-keys';
import { serializeResult } from '../../reports/stored-result';

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
  const list = ingested.problemList;
  if (ingested.employer && ingested.employer.uscc !== input.employerUscc) {
    list.error('employer/other-uscc', ingested.employerSheet, ingested.employerCells.get('uscc') ?? '', { uscc: ingested.employer.uscc, expected: input.employerUscc });
  }
  const hasErrors = ingested.hasErrors || list.hasErrors;
  const result: CheckResult | ProblemsResult = hasErrors || !ingested.employer
    ? { problems: list.items, problemTotals: list.totals }
    : check(ingested.employer, ingested.employees, params, {}, { problems: list.items, problemTotals: list.totals });
  return {
    year: ingested.employer?.year ?? null,
    hasErrors,
    errorCount: list.totals.bySeverity.error,
    rowsRead: ingested.rowsRead,
    resultJson: serializeResult(result),
    keysJson: JSON.stringify(hasErrors ? [] : employeeKeys(ingested.employees, input.secret)),
  };
}
