/**
 * Recomputing one stored result with the year's social average wage (docs/rules.md §6.1): its raw upload read
 * again with the same details as when it was uploaded, then the same engine with the result's own settings.
 * Runs in an upload worker thread (server/workers/) or, with UPLOAD_WORKERS=0, in the calling process; it
 * reads the file and nothing else — the caller writes.
 */
import { ingestFile } from '../ingest';
import { check } from '../rules/check';
import type { Parameters } from '../rules/parameters/table';
import type { CheckResult } from '../rules/result';
import { computedResult, serializeResult } from '../../reports/stored-result';

export interface FigureDiff {
  figure: string;
  before: number | string;
  after: number | string;
}
const DIFF_FIGURES: [string, (r: CheckResult) => number | string][] = [
  ['annual.wageBase', (r) => r.annual.wageBase],
  ['levy.full', (r) => r.levy.full],
  ['levy.payable', (r) => r.levy.payable],
  ['quota.status', (r) => r.quota.status],
  ['taxForm.col8', (r) => r.taxForm?.col8 ?? r.annual.wageBase],
  ['taxForm.col10', (r) => r.taxForm?.col10 ?? 0],
  ['taxForm.col12', (r) => r.taxForm?.col12 ?? r.levy.payable],
];
export const resultDiff = (before: CheckResult, after: CheckResult): FigureDiff[] =>
  DIFF_FIGURES.map(([figure, get]) => ({ figure, before: get(before), after: get(after) })).filter(
    (d) => d.before !== d.after,
  );

export const isProvisional = (r: CheckResult) => r.warnings.some((w) => w.code === 'wage-cap-not-checked');

const fen = (yuan: number) => Math.round(yuan * 100);

export interface RecomputeInput {
  /** A local path holding the raw upload. */
  path: string;
  fileName: string;
  /** The stored result as JSON. */
  beforeJson: string;
  /** The unit as registered (and, for a CSV, as entered on the upload form): what the upload was read with. */
  employerFields: Record<string, string | undefined>;
  uscc: string;
}

export type RecomputeOutput =
  /** not provisional (any more): nothing to do */
  | { status: 'skip' }
  /** the workbook no longer reads as it did (or names another unit): the result keeps its figures */
  | { status: 'unchanged' }
  | {
      status: 'recomputed';
      resultJson: string;
      diff: FigureDiff[];
      county: string;
      levyBeforeFen: number;
      levyAfterFen: number;
      rewardTotalFen: number;
      quotaStatus: string;
    };

export async function recomputeOne(input: RecomputeInput, params: Parameters): Promise<RecomputeOutput> {
  const before = computedResult(input.beforeJson);
  if (!before || !isProvisional(before)) return { status: 'skip' };
  const ingested = await ingestFile(input.path, {
    fileName: input.fileName,
    params,
    employerFields: input.employerFields,
    employerSource: 'form',
  });
  if (ingested.hasErrors || !ingested.employer || ingested.employer.uscc !== input.uscc) return { status: 'unchanged' };
  const after = check(
    ingested.employer,
    ingested.employees,
    params,
    before.settings as Record<string, never>,
    before.problems,
  );
  return {
    status: 'recomputed',
    resultJson: serializeResult(after),
    diff: resultDiff(before, after),
    county: before.employer.county,
    levyBeforeFen: fen(before.levy.payable),
    levyAfterFen: fen(after.levy.payable),
    rewardTotalFen: after.rewards.reduce((a, r) => a + fen(r.amount), 0),
    quotaStatus: after.quota.status,
  };
}
