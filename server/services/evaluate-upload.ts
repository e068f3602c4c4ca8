/**
 * Reading and evaluating one stored upload: the pipeline (./check-file.ts) → the result and the hashed
 * employee keys, as JSON text. The same code runs in the upload worker thread (server/workers/) and, with
 * UPLOAD_WORKERS=0, in the request process.
 */
import type { Lang } from '../ingest/messages';
import { checkFile } from './check-file';
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
  const checked = await checkFile(input.path, params, { fileName: input.fileName, lang: input.lang, origin: 'upload', expectedUscc: input.employerUscc, onProgress });
  const result: CheckResult | ProblemsResult = checked.result ?? { problems: checked.problems, problemTotals: checked.problemTotals };
  return {
    year: checked.ingested.employer?.year ?? null,
    hasErrors: checked.hasErrors,
    errorCount: checked.problemTotals.bySeverity.error,
    rowsRead: checked.ingested.rowsRead,
    resultJson: serializeResult(result),
    keysJson: JSON.stringify(checked.hasErrors ? [] : employeeKeys(checked.ingested.employees, input.secret)),
  };
}
