/** docs/rules.md §10 — the machine-readable result (`quota check --json`, `POST /api/check`). */
import type { Explanation, Warning } from './figure';
import type { Subsidy } from './subsidies';
import type { ExclusionReason } from './types';

export type ProblemParams = Record<string, string | number>;

/**
 * A problem found in a workbook: a stable code with its parameters, where it is, and the message the code
 * and parameters give in the requested language (docs/rules.md §10).
 */
export interface Problem {
  sheet: string;
  /** A1 reference ('' when the problem is about the file or a whole sheet; a CLI flag for CSV employer fields). */
  cell: string;
  /** Row number and column letter of `cell`, when it is a cell. */
  row?: number;
  column?: string;
  severity: 'error' | 'warning' | 'notice';
  code: string;
  params?: ProblemParams;
  /** The employee of the row, masked (张*). */
  employee?: string;
  message: string;
  /** What was found in the cell, as written (at most 200 characters). */
  value?: string;
}

/** A problem as stored with a result: the message is rendered when it is shown, in the reader's language. */
export type StoredProblem = Omit<Problem, 'message'> & { message?: string };

/** Every problem counted, of which `kept` are listed (the list is capped). */
export interface ProblemTotals {
  count: number;
  kept: number;
  byCode: Record<string, number>;
  bySeverity: Record<Problem['severity'], number>;
}

export function emptyTotals(): ProblemTotals {
  return { count: 0, kept: 0, byCode: {}, bySeverity: { error: 0, warning: 0, notice: 0 } };
}

export function countProblem(t: ProblemTotals, p: StoredProblem): void {
  t.count++;
  t.byCode[p.code] = (t.byCode[p.code] ?? 0) + 1;
  t.bySeverity[p.severity]++;
}

/** The problems found in a workbook: those kept (capped) and the totals of all of them. */
export interface ProblemReport {
  problems: Problem[];
  problemTotals: ProblemTotals;
}

/** Totals of a list that was never capped (every problem in it is kept). */
export function totalsOf(problems: readonly StoredProblem[]): ProblemTotals {
  const t = emptyTotals();
  for (const p of problems) countProblem(t, p);
  t.kept = problems.length;
  return t;
}

export interface MonthResult {
  month: number;
  staff: number;
  disabled: number;
  weighted: number;
  minWage: number;
  concentrated: boolean;
  vatRefundCeiling: number;
}

export interface RewardResult {
  kind: string;
  clause: string;
  persons: number;
  monthsOfMinWage: number;
  families?: number;
  amount: number;
}

export interface WhatIfResult {
  assumptions: { fullYear: boolean; hireWage: string };
  hiresToZeroLevy: { weight1: number | null; weight2: number | null };
  hiresToConcentrated: number | null;
  steps: {
    hires: number;
    weight: number;
    levyPayable: number;
    levySaved: number;
    rewardTotal: number;
    rewardGained: number;
    concentratedMonths: number;
    status: string;
  }[];
}

export interface CheckResult {
  employer: { name: string; uscc: string; county: string; unitType: string; year: number };
  months: MonthResult[];
  annual: {
    avgStaff: number;
    avgDisabled: number;
    avgWeighted: number;
    ratio: number;
    wageTotal: number;
    avgWage: number;
    wageBase: number;
    minWageAvg: number;
  };
  quota: {
    ratio: number;
    required: number;
    shortfall: number;
    excess: number;
    status: 'short' | 'exempt' | 'met' | 'exceeded';
  };
  levy: {
    full: number;
    rate: number;
    payable: number;
    collectionYear: number;
    collectionDate: string;
    exemption: string | null;
  };
  concentrated: { months: number[]; vatRefundCeiling: number; landUseTaxRelief: boolean };
  rewards: RewardResult[];
  subsidies: Subsidy[];
  exclusions: { row: number; name: string; months: number[]; reason: ExclusionReason }[];
  /** Each counted disabled employee: row, name, weight and the months counted (what the 审核确认书 lists). */
  counted: { row: number; name: string; weight: number; months: number[] }[];
  /**
   * The certificates against the 残联's register (docs/rules.md §4.3): checked or not, and per disabled employee
   * what it says — valid, not in the register, expired or cancelled from a date, or another grade. Optional: a
   * result stored before it has none.
   */
  /** Whether the insurer's payment records were checked (docs/rules.md §4.4); optional: older results lack it. */
  insuranceRecords?: { checked: boolean };
  certificateRegister?: {
    checked: boolean;
    findings: {
      row: number;
      name: string;
      finding: 'valid' | 'not-in-register' | 'expired' | 'cancelled' | 'grade-differs';
      from?: string;
      workbookGrade?: number;
      registerGrade?: number;
    }[];
  };
  problems: Problem[];
  problemTotals: ProblemTotals;
  warnings: Warning[];
  explanations: Explanation[];
  whatIf: WhatIfResult;
  settings: Record<string, unknown>;
  taxForm: TaxFormResult;
}

/** 《残疾人就业保障金缴费申报表》 columns 4–12 (docs/rules.md §10); money in 元 to the fen, col5 and col7 unrounded. */
export interface TaxFormResult {
  col4: number;
  col5: number;
  col6: number;
  col7: number;
  col8: number;
  col9: number;
  col10: number;
  reductionCode: string | null;
  reduction: 'tiered-reduction' | 'small-enterprise' | 'startup-small-micro' | null;
  col11: number;
  col12: number;
  /** col8, col9, col10 and col12 rest on an unchecked wage cap (no social average wage for the year). */
  provisional: boolean;
}

/** What a workbook with errors yields: problems, nothing computed (docs/rules.md §10; CLI exit 2, HTTP 422). */
export interface ProblemsResult {
  problems: Problem[];
  problemTotals: ProblemTotals;
}
