/**
 * The one pipeline from a file to a result: ingest → (problems | engine). The command line
 * (server/cli/run-check.ts), the anonymous API (./api-check.ts) and the upload worker (./evaluate-upload.ts)
 * all call `checkFile` with the same options type; what differs between them is what they do with the answer.
 */
import { ingestFile, type Ingested } from '../ingest';
import type { Lang } from '../ingest/messages';
import { check } from '../rules/check';
import type { Settings } from '../rules/interpretations';
import { Q } from '../rules/money';
import type { Parameters } from '../rules/parameters/table';
import type { CheckResult, Problem, ProblemTotals } from '../rules/result';
import { withSocialAverageWage } from '../rules/social-average-wage';

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
  /** The employer's facts as registered with the bureau, reconciled with the workbook's (issue #11.10). */
  registered?: { county: string; unitType: string };
  /** A workbook county or unit type different from the registered one: an error at the cell, or the registered one wins (noted at the cell). */
  employerFacts?: 'error' | 'registered';
  onProgress?: (rows: number) => void;
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

export async function checkFile(path: string, params: Parameters, opts: CheckFileOptions): Promise<CheckedFile> {
  const ingested = await ingestFile(path, {
    fileName: opts.fileName,
    params,
    lang: opts.lang,
    employerFields: opts.employerFields,
    onProgress: opts.onProgress,
    // on the web a CSV's employer details come from the account and the upload form, named by their labels
    employerSource: opts.origin === 'upload' ? 'form' : 'cli',
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
  const result = check(ingested.employer, ingested.employees, used, opts.settings ?? {}, found, { alreadyPaid });
  return { ingested, result, ...found, hasErrors: false };
}
