/**
 * The one pipeline from a file to a result: ingest → (problems | engine). The command line
 * (server/cli/run-check.ts), the anonymous API (./api-check.ts), the upload worker (./evaluate-upload.ts) and the
 * recompute of a stored result (./recompute-one.ts) all call `checkFile` with the same options type; what differs between them is what they do with the answer.
 */
import { ingestFile, type Ingested } from '../ingest';
import type { Lang } from '../ingest/messages';
import { check } from '../rules/check';
import type { Settings } from '../rules/interpretations';
import { Q } from '../rules/money';
import type { Parameters } from '../rules/parameters/table';
import type { CheckResult, Problem, ProblemReport, ProblemTotals } from '../rules/result';
import { withSocialAverageWage } from '../rules/social-average-wage';
import { employeeKeyOf } from './employee-keys';
import type { RegisterEntry } from '../rules/certificate-register';

/** Where a check was asked for: names the source of a value given with the request. */
export type CheckOrigin = 'cli' | 'api' | 'upload';

export interface CheckFileOptions {
  /** The name the user gave the file (the path may be a random name). */
  fileName: string;
  lang: Lang;
  origin: CheckOrigin;
  /** For a CSV roster: the employer fields by key (EMPLOYER_FIELDS in server/ingest/columns.ts). */
  employerFields?: Record<string, string | undefined>;
  maxFileBytes?: number;
  /** Interpretation settings that differ from the defaults (`--set`, `--collection-date`). */
  settings?: Partial<Settings>;
  /** 元 per year, validated text: the data year's social average wage, replacing any configured value. */
  socialAverageWage?: string | null;
  /** 元, validated text: levy already paid for the year (tax form column 11). */
  alreadyPaid?: string | null;
  /** An upload must be the logged-in employer's own workbook: its 统一社会信用代码. */
  expectedUscc?: string;
  /** The employer's facts as registered with the bureau, reconciled with the workbook's. */
  registered?: { county: string; unitType: string };
  /** A workbook county or unit type different from the registered one: an error at the cell, or the registered one wins (noted at the cell). */
  employerFacts?: 'error' | 'registered';
  onProgress?: (rows: number) => void;
  /**
   * The problems stored with a result being computed again (a recompute): the result keeps them as the employer
   * read them, in the language they were read in, instead of those found now. Errors found now still stop the
   * computation.
   */
  keepProblems?: ProblemReport;
  /**
   * Months of disabled employees that another unit keeps after the officer's decision (docs/rules.md §4.2, X1),
   * by employee key (./employee-keys.ts, with the secret the keys were made with).
   */
  withheld?: WithheldInput;
  /** The 残联's certificate register in force (docs/rules.md §4.3); without it the result says none was checked. */
  register?: { secret: string; entries: [string, RegisterEntry][]; importId?: number } | null;
  /**
   * The insurer's payment records of the unit (docs/rules.md §4.4): [key, year, months paid as bits]. Records
   * that hold nothing for the workbook's year do not cover it: its months are then the workbook's.
   */
  insurance?: { secret: string; paid: [string, number, number][] } | null;
}

/** Key → months; plain data, so it crosses into a worker thread. */
export interface WithheldInput {
  secret: string;
  months: Record<string, number[]>;
}

const REGISTERED_FACTS = [
  { key: 'county', label: '所在县（市、区）' },
  { key: 'unitType', label: '单位类型' },
] as const;

export interface CheckedFile {
  ingested: Ingested;
  /** The engine's result, or null when the file has errors (nothing is computed then). */
  result: CheckResult | null;
  /** Every problem kept (including those found after reading), and the totals by code. */
  problems: Problem[];
  problemTotals: ProblemTotals;
  hasErrors: boolean;
}

const SOCIAL_AVERAGE_WAGE_SOURCE: Record<CheckOrigin, (given: string, year: number) => string> = {
  cli: (given, year) => `命令行 --social-average-wage ${given}（${year}年度）/ given on the command line`,
  api: (given, year) => `请求参数 socialAverageWage ${Q.parse(given).toFixed(2)}（${year}年度）/ given in the request`,
  upload: (given, year) => `上传时填写 ${Q.parse(given).toFixed(2)}（${year}年度）/ given with the upload`,
};

/**
 * The register's entries as a map, built once per register (its import) in this thread: the register changes when
 * the administrator confirms another, while every upload reads it.
 */
let registerCache: { importId: number; secret: string; map: Map<string, RegisterEntry> } | null = null;
function registerMap(reg: NonNullable<CheckFileOptions['register']>): Map<string, RegisterEntry> {
  if (reg.importId === undefined) return new Map(reg.entries);
  // a job sent without the entries (the worker has them: upload-pool.ts) is served from the cache
  if (registerCache?.importId === reg.importId && registerCache.secret === reg.secret) return registerCache.map;
  registerCache = { importId: reg.importId, secret: reg.secret, map: new Map(reg.entries) };
  return registerCache.map;
}

export async function checkFile(path: string, params: Parameters, opts: CheckFileOptions): Promise<CheckedFile> {
  const ingested = await ingestFile(path, {
    fileName: opts.fileName,
    params,
    lang: opts.lang,
    employerFields: opts.employerFields,
    onProgress: opts.onProgress,
    // on the web a CSV's employer details come from the account and the upload form, named by their labels;
    // the API's from its form fields, named by their keys; the command line's from its flags
    employerSource: opts.origin === 'upload' ? 'form' : opts.origin,
    ...(opts.maxFileBytes !== undefined ? { limits: { maxFileBytes: opts.maxFileBytes } } : {}),
  });
  const list = ingested.problemList;
  if (opts.expectedUscc !== undefined && ingested.employer && ingested.employer.uscc !== opts.expectedUscc) {
    list.error('employer/other-uscc', ingested.employerSheet, ingested.employerCells.get('uscc') ?? '', {
      uscc: ingested.employer.uscc,
      expected: opts.expectedUscc,
    });
  } else if (opts.registered && ingested.employer && ingested.kind === 'xlsx') {
    for (const f of REGISTERED_FACTS) {
      const found = ingested.employer[f.key] as string,
        registered = opts.registered[f.key];
      if (found === registered) continue;
      const cell = ingested.employerCells.get(f.key) ?? '';
      if ((opts.employerFacts ?? 'error') === 'error')
        list.error('employer/fact-mismatch', ingested.employerSheet, cell, { column: f.label, found, registered });
      else {
        (ingested.employer as unknown as Record<string, string>)[f.key] = registered;
        list.notice('employer/fact-registered', ingested.employerSheet, cell, { column: f.label, found, registered });
      }
    }
  }
  const hasErrors = ingested.hasErrors || list.hasErrors || !ingested.employer;
  const found = { problems: list.items, problemTotals: list.totals };
  if (hasErrors || !ingested.employer) return { ingested, result: null, ...found, hasErrors: true };
  const year = ingested.employer.year;
  const used = opts.socialAverageWage
    ? withSocialAverageWage(
        params,
        year,
        Q.parse(opts.socialAverageWage.trim()),
        SOCIAL_AVERAGE_WAGE_SOURCE[opts.origin](opts.socialAverageWage, year),
      )
    : params;
  const alreadyPaid = opts.alreadyPaid ? Q.parse(opts.alreadyPaid.trim()) : undefined;
  const w = opts.withheld;
  const withheld =
    w && Object.keys(w.months).length
      ? {
          keyOf: (e: { idNumber: string }) => employeeKeyOf(e.idNumber, w.secret),
          months: new Map(Object.entries(w.months)),
        }
      : undefined;
  const reg = opts.register;
  const register = reg
    ? { keyOf: (e: { idNumber: string }) => employeeKeyOf(e.idNumber, reg.secret), entries: registerMap(reg) }
    : undefined;
  const ins = opts.insurance;
  const paid = ins ? ins.paid.filter(([, y]) => y === year) : [];
  const insurance =
    ins && paid.length
      ? {
          keyOf: (e: { idNumber: string }) => employeeKeyOf(e.idNumber, ins.secret),
          paid: new Map(paid.map(([k, , mask]) => [k, mask])),
        }
      : undefined;
  const result = check(ingested.employer, ingested.employees, used, opts.settings ?? {}, opts.keepProblems ?? found, {
    alreadyPaid,
    withheld,
    register,
    insurance,
  });
  return { ingested, result, ...found, hasErrors: false };
}
