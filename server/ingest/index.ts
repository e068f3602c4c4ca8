/**
 * ingest(file) → employer + employees + problems. The one path the CLI, the web upload and the API
 * share: guard the file, stream it, parse the sheets, then the checks that need the employer.
 */
import { beijingToday } from '../i18n/format';
import type { ISODate } from '../rules/calendar';
import { supportedYears } from '../rules/parameters/lookup';
import type { Parameters } from '../rules/parameters/table';
import type { Employee, Employer } from '../rules/types';
import { EMPLOYEE_SHEET, EMPLOYER_FIELDS, EMPLOYER_FLAGS, EMPLOYER_SHEET, UPLOAD_FORM_SHEET } from './columns';
import { HEADER_SEARCH_ROWS, RosterParser } from './employee-sheet';
import { parseEmployerRows, type LabelledRow } from './employer-sheet';
import { inspectFile } from './file-guard';
import { DEFAULT_LIMITS, type IngestLimits } from './limits';
import type { Lang, MessageCode } from './messages';
import { ProblemList, type Problem, type ProblemTotals } from './problem';
import { readCsv } from './read-csv';
import { readXlsx, type SheetSink } from './read-workbook';

export interface IngestOptions {
  /** The name the user gave the file (the stored path may be a random name). */
  fileName: string;
  params: Parameters;
  lang?: Lang;
  today?: ISODate;
  limits?: Partial<IngestLimits>;
  /** For a CSV: employer fields by key (name, uscc, county, unitType, founded, year, …). */
  employerFields?: Record<string, string | undefined>;
  /** Where a CSV's employer fields come from: command-line flags (named in problems) or the web upload form (named by label). */
  employerSource?: 'cli' | 'form' | 'api';
  onProgress?: (rows: number) => void;
}

export interface Ingested {
  employer: Employer | null;
  employees: Employee[];
  /** The problems kept (at most PROBLEM_CAP), in the order found. */
  problems: Problem[];
  /** Every problem counted by code and severity, kept or not. */
  problemTotals: ProblemTotals;
  /** The list itself, for checks made after reading (they add to the same cap and totals). */
  problemList: ProblemList;
  hasErrors: boolean;
  rowsRead: number;
  kind: 'xlsx' | 'csv' | 'refused';
  /** Where each employer field was found (sheet cell or CSV flag), to point later checks at it. */
  employerCells: Map<string, string>;
  employerSheet: string;
}

/** The command-line flag of each employer field (a CSV's problems point at them). */
const CSV_FLAG = EMPLOYER_FLAGS;

/** Problems that refuse the whole package rather than a cell of it. */
const PACKAGE_REFUSALS = new Set(['file/zip-bomb', 'file/zip-mismatch', 'file/not-xlsx']);

export async function ingestFile(path: string, opts: IngestOptions): Promise<Ingested> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const problems = new ProblemList(opts.lang ?? 'zh');
  const today = opts.today ?? beijingToday();
  const years = supportedYears(opts.params);
  const sink: SheetSink = {
    employerRows: [],
    roster: new RosterParser(EMPLOYEE_SHEET, problems, today),
    sheetsSeen: [],
    employerSheetSeen: false,
    rosterSheetSeen: false,
    totalRows: 0,
  };

  const verdict = inspectFile(path, opts.fileName, limits);
  if (verdict.kind === 'refused') {
    problems.error(verdict.code, '', '', verdict.params);
    return {
      employer: null,
      employees: [],
      ...problemsOf(problems),
      hasErrors: true,
      rowsRead: 0,
      kind: 'refused',
      employerCells: new Map(),
      employerSheet: EMPLOYER_SHEET,
    };
  }

  let employerSheet = EMPLOYER_SHEET;
  if (verdict.kind === 'csv') {
    const form = opts.employerSource === 'form';
    employerSheet = form ? UPLOAD_FORM_SHEET : '单位信息（表单/命令行）';
    const fields = opts.employerFields ?? {};
    // a value is located where it was given: the form's or the request's field, or the command line's flag
    const where = (key: string) => (opts.employerSource === 'cli' || !opts.employerSource ? CSV_FLAG[key] : key);
    for (const f of EMPLOYER_FIELDS) {
      if (!f.required || fields[f.key]) continue;
      if (form) problems.error('csv/employer-field', employerSheet, f.key, { field: f.zh, formField: f.key });
      // the API's caller names a multipart form field, never a command-line flag
      else if (opts.employerSource === 'api')
        problems.error('csv/employer-request-field', employerSheet, '', { key: f.key });
      else problems.error('csv/employer-flag', employerSheet, CSV_FLAG[f.key], { flag: CSV_FLAG[f.key] });
    }
    sink.employerRows = EMPLOYER_FIELDS.filter((f) => fields[f.key] !== undefined && fields[f.key] !== '').map(
      (f, i): LabelledRow => ({ row: i + 1, label: f.zh, value: fields[f.key]!, cell: where(f.key) }),
    );
    await readCsv(path, sink, problems, limits, opts.onProgress);
  } else {
    await readXlsx(path, sink, problems, limits, opts.onProgress);
    const refusal = problems.items.find((p) => PACKAGE_REFUSALS.has(p.code));
    if (refusal) {
      // the package itself was refused while reading (a part inflating past what it declared, entries the
      // directory does not list): nothing read from it is used, and nothing opens it again
      const only = new ProblemList(problems.lang);
      only.error(refusal.code as MessageCode, refusal.sheet, refusal.cell, refusal.params, refusal.value);
      return {
        employer: null,
        employees: [],
        ...problemsOf(only),
        hasErrors: true,
        rowsRead: 0,
        kind: 'refused',
        employerCells: new Map(),
        employerSheet,
      };
    }
    if (sink.totalRows === 0 && !problems.hasCode('file/')) {
      // one clear message rather than a complaint per missing label and header
      const only = new ProblemList(problems.lang);
      only.error('file/empty', '', '');
      return {
        employer: null,
        employees: [],
        ...problemsOf(only),
        hasErrors: true,
        rowsRead: 0,
        kind: 'xlsx',
        employerCells: new Map(),
        employerSheet,
      };
    }
    if (!sink.employerSheetSeen) problems.error('sheet/missing', EMPLOYER_SHEET, '', { sheet: EMPLOYER_SHEET });
    if (!sink.rosterSheetSeen)
      problems.error('sheet/roster-not-found', EMPLOYEE_SHEET, '', {
        rows: HEADER_SEARCH_ROWS,
        sheets:
          problems.lang === 'en'
            ? sink.sheetsSeen.map((s) => `"${s}"`).join(', ')
            : sink.sheetsSeen.map((s) => `“${s}”`).join('、'),
      });
  }

  const employerCells = new Map<string, string>();
  const employer =
    sink.employerSheetSeen || verdict.kind === 'csv'
      ? parseEmployerRows(sink.employerRows, {
          sheet: employerSheet,
          problems,
          today,
          years,
          cells: employerCells,
          // a CSV's details come from a form, a request or flags: what is missing there was named above
          labelled: verdict.kind !== 'csv',
        })
      : null;
  if (employer) sink.roster.finish(employer, opts.params);
  return {
    employer,
    employees: sink.roster.employees,
    ...problemsOf(problems),
    hasErrors: problems.hasErrors || !employer,
    rowsRead: sink.roster.rowsRead,
    kind: verdict.kind,
    employerCells,
    employerSheet,
  };
}

function problemsOf(list: ProblemList): {
  problems: Problem[];
  problemTotals: ProblemTotals;
  problemList: ProblemList;
} {
  return { problems: list.items, problemTotals: list.totals, problemList: list };
}
