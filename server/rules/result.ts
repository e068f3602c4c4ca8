/** SPEC §10 — the machine-readable result (`quota check --json`, `POST /api/check`). */
import type { Explanation, Warning } from './figure';
import type { Subsidy } from './subsidies';
import type { ExclusionReason } from './types';

export interface Problem {
  sheet: string;
  cell: string;
  severity: 'error' | 'warning' | 'notice';
  code: string;
  message: string;
  value?: string;
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
    hires: number; weight: number; levyPayable: number; levySaved: number;
    rewardTotal: number; rewardGained: number; concentratedMonths: number; status: string;
  }[];
}

export interface CheckResult {
  employer: { name: string; uscc: string; county: string; unitType: string; year: number };
  months: MonthResult[];
  annual: {
    avgStaff: number; avgDisabled: number; avgWeighted: number; ratio: number;
    wageTotal: number; avgWage: number; wageBase: number; minWageAvg: number;
  };
  quota: { ratio: number; required: number; shortfall: number; excess: number; status: 'short' | 'exempt' | 'met' | 'exceeded' };
  levy: { full: number; rate: number; payable: number; collectionYear: number; collectionDate: string; exemption: string | null };
  concentrated: { months: number[]; vatRefundCeiling: number; landUseTaxRelief: boolean };
  rewards: RewardResult[];
  subsidies: Subsidy[];
  exclusions: { row: number; name: string; months: number[]; reason: ExclusionReason }[];
  problems: Problem[];
  warnings: Warning[];
  explanations: Explanation[];
  whatIf: WhatIfResult;
  settings: Record<string, unknown>;
  taxForm: TaxFormResult;
}

/** 《残疾人就业保障金缴费申报表》 columns 4–12 (docs/rules.md §10); money in 元 to the fen, col5 and col7 unrounded. */
export interface TaxFormResult {
  col4: number; col5: number; col6: number; col7: number; col8: number; col9: number; col10: number;
  reductionCode: string | null;
  reduction: 'tiered-reduction' | 'small-enterprise' | 'startup-small-micro' | null;
  col11: number; col12: number;
  /** col8, col9, col10 and col12 rest on an unchecked wage cap (no social average wage for the year). */
  provisional: boolean;
}

/** What a workbook with errors yields: problems, nothing computed (SPEC §10; CLI exit 2, HTTP 422). */
export interface ProblemsResult {
  problems: Problem[];
}
