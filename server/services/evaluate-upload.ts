/**
 * Reading and evaluating one stored upload: the pipeline (./check-file.ts) → the result and the hashed
 * employee keys, as JSON text. The same code runs in the upload worker thread (server/workers/) and, with
 * UPLOAD_WORKERS=0, in the request process.
 */
import type { Lang } from '../ingest/messages';
import { checkFile, type CheckFileOptions } from './check-file';
import type { Parameters } from '../rules/parameters/table';
import type { CheckResult, ProblemsResult } from '../rules/result';
import { countedPersons, employeeKeys } from './employee-keys';
import { serializeResult, substanceOf } from '../../reports/stored-result';

export interface EvaluateInput {
  path: string;
  fileName: string;
  lang: Lang;
  employerUscc: string;
  secret: string;
  /** For a CSV: the employer fields (from the account and the upload form). */
  employerFields?: Record<string, string | undefined>;
  /** The employer's facts as registered with the bureau, reconciled with the workbook's. */
  registered?: { county: string; unitType: string };
  /**
   * When the workbook's county or unit type differ from the registered ones: 'error' (the
   * default) refuses the workbook with the cell to correct; 'registered' computes with the registered facts
   * and says so next to the cell.
   */
  employerFacts?: EmployerFactsRule;
  /** The 残联's certificate register in force (docs/rules.md §4.3), or null: none imported. */
  register?: CheckFileOptions['register'];
  /** The insurer's payment records of the unit (docs/rules.md §4.4), or null. */
  insurance?: CheckFileOptions['insurance'];
}

export type EmployerFactsRule = 'error' | 'registered';

export interface EvaluateOutput {
  year: number | null;
  hasErrors: boolean;
  errorCount: number;
  rowsRead: number;
  resultJson: string;
  keysJson: string;
  /** The disabled employees the result counts (`CountedPerson[]`, ./employee-keys.ts), as JSON. */
  personsJson: string;
  /** What the result says, as a fingerprint (`substanceOf`); null for a workbook with errors. */
  substance: string | null;
}

export async function evaluateUpload(
  input: EvaluateInput,
  params: Parameters,
  onProgress: (rows: number) => void,
): Promise<EvaluateOutput> {
  const checked = await checkFile(input.path, params, {
    fileName: input.fileName,
    lang: input.lang,
    origin: 'upload',
    expectedUscc: input.employerUscc,
    onProgress,
    employerFields: input.employerFields,
    registered: input.registered,
    employerFacts: input.employerFacts,
    register: input.register,
    insurance: input.insurance,
  });
  const result: CheckResult | ProblemsResult = checked.result ?? {
    problems: checked.problems,
    problemTotals: checked.problemTotals,
  };
  const resultJson = serializeResult(result);
  const keysJson = JSON.stringify(checked.hasErrors ? [] : employeeKeys(checked.ingested.employees, input.secret));
  const personsJson = JSON.stringify(
    checked.result ? countedPersons(checked.result.counted, checked.ingested.employees, input.secret) : [],
  );
  return {
    personsJson,
    year: checked.ingested.employer?.year ?? null,
    hasErrors: checked.hasErrors,
    errorCount: checked.problemTotals.bySeverity.error,
    rowsRead: checked.ingested.rowsRead,
    resultJson,
    keysJson,
    // computed here, in the worker, from the text as stored: submitting compares fingerprints, not results
    substance: substanceOf(resultJson, keysJson),
  };
}
