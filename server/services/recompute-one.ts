/**
 * Recomputing one stored result with the year's social average wage (docs/rules.md §6.1): its raw upload read
 * again through the one pipeline (./check-file.ts) with the same details as when it was uploaded — the unit as
 * registered, the upload form, the result's own settings and the problems the employer read. Runs in an upload
 * worker thread (server/workers/) or, with UPLOAD_WORKERS=0, in the calling process; it reads the file and
 * nothing else — the caller writes.
 */
import { checkFile, type CheckFileOptions, type WithheldInput } from './check-file';
import type { Parameters } from '../rules/parameters/table';
import type { CheckResult } from '../rules/result';
import { computedResult, serializeResult } from '../../reports/stored-result';
import { sameFigure } from './figure-diff';

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
    (d) => !sameFigure(d.figure, d.before, d.after),
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
  /**
   * The months other units keep after the officer's decisions on clashes (docs/rules.md §4.2): the result is
   * computed again without them, provisional or not. Without it, only a provisional result is recomputed.
   */
  withheld?: WithheldInput;
  /** The certificate register in force (docs/rules.md §4.3): a recompute checks against it as an upload does. */
  register?: CheckFileOptions['register'];
  /** The insurer's records of the unit (docs/rules.md §4.4). */
  insurance?: CheckFileOptions['insurance'];
  /**
   * Recomputed because a certificate register or insurance-records import was confirmed (§4.3, §4.4): the result
   * is computed again provisional or not, and one whose figures do not move keeps its version.
   */
  imported?: boolean;
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
  if (!before || (!input.withheld && !input.imported && !isProvisional(before))) return { status: 'skip' };
  const checked = await checkFile(input.path, params, {
    fileName: input.fileName,
    lang: 'zh',
    origin: 'upload',
    employerFields: input.employerFields,
    // a workbook naming another unit, or no longer read without errors, keeps its figures
    expectedUscc: input.uscc,
    // a result exists only where the workbook's county and unit type were the registered ones or gave way to
    // them (EMPLOYER_FACTS): read again, the registered ones win, as they did
    ...(input.employerFields.county && input.employerFields.unitType
      ? {
          registered: { county: input.employerFields.county, unitType: input.employerFields.unitType },
          employerFacts: 'registered' as const,
        }
      : {}),
    settings: before.settings as Record<string, never>,
    keepProblems: { problems: before.problems, problemTotals: before.problemTotals },
    ...(input.withheld ? { withheld: input.withheld } : {}),
    ...(input.register ? { register: input.register } : {}),
    ...(input.insurance ? { insurance: input.insurance } : {}),
  });
  const after = checked.result;
  if (checked.hasErrors || !after) return { status: 'unchanged' };
  const diff = resultDiff(before, after);
  if (input.imported && !diff.length) return { status: 'unchanged' };
  return {
    status: 'recomputed',
    resultJson: serializeResult(after),
    diff,
    county: before.employer.county,
    levyBeforeFen: fen(before.levy.payable),
    levyAfterFen: fen(after.levy.payable),
    rewardTotalFen: after.rewards.reduce((a, r) => a + fen(r.amount), 0),
    quotaStatus: after.quota.status,
  };
}
