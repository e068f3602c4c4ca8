/**
 * The insurer's social-insurance payment records (docs/rules.md §4.4) as a file: one row per person, unit and year —
 * 身份证号, 统一社会信用代码, 年度, 缴费月份 (1-12, 1-6,9-12) — from an .xlsx (the first visible sheet) or a CSV. Every
 * cell is checked (the ID's check character, the credit code's, the year, the months); no person twice for one
 * unit and year. Problems name the row and the column. The ID number is handed on only to be hashed.
 */
import { normalizeHeader } from './columns';
import { parseMonthSet } from './fields/month-set';
import { parseResidentId } from './fields/resident-id';
import { cellText, isBlank, type Cell } from './fields/result';
import { parseUscc } from './fields/uscc';
import { DEFAULT_LIMITS, type IngestLimits } from './limits';
import { columnLetter } from './problem';
import { readTableRows } from './table-file';

export const MAX_INSURANCE_ROWS = 2_000_000;

export const INSURANCE_COLUMNS = [
  { key: 'idNumber', zh: '身份证号', en: 'ID number', aliases: ['公民身份号码', '身份证号码'] },
  { key: 'uscc', zh: '统一社会信用代码', en: 'Unified social credit code', aliases: ['单位信用代码', '信用代码'] },
  { key: 'year', zh: '年度', en: 'Year', aliases: ['缴费年度'] },
  { key: 'months', zh: '缴费月份', en: 'Months paid', aliases: ['社保缴纳月份', '月份'] },
] as const;

export type InsuranceKey = (typeof INSURANCE_COLUMNS)[number]['key'];

export interface InsuranceRow {
  row: number;
  /** to be hashed, never kept */
  idNumber: string;
  uscc: string;
  year: number;
  months: readonly number[];
}

export interface InsuranceProblem {
  row: number;
  column: string;
  field: InsuranceKey | null;
  code: string;
  params?: Record<string, string | number>;
}

export interface InsuranceFile {
  rows: InsuranceRow[];
  problems: InsuranceProblem[];
}

const HEADERS = new Map<string, InsuranceKey>(
  INSURANCE_COLUMNS.flatMap((c) =>
    [c.zh, c.en, c.key, ...c.aliases].map((h) => [normalizeHeader(h), c.key] as [string, InsuranceKey]),
  ),
);

export function parseInsuranceRows(rows: { cells: Cell[]; row: number }[]): InsuranceFile {
  const whole = (code: string): InsuranceFile => ({ rows: [], problems: [{ row: 0, column: '', field: null, code }] });
  const at = rows.findIndex((r) =>
    r.cells.some((c) => typeof c === 'string' && HEADERS.get(normalizeHeader(c)) === 'idNumber'),
  );
  if (at === -1) return whole('insrec/no-header');
  const col = new Map<InsuranceKey, number>();
  rows[at].cells.forEach((c, i) => {
    const key = typeof c === 'string' ? HEADERS.get(normalizeHeader(c)) : undefined;
    if (key && !col.has(key)) col.set(key, i);
  });
  const missing = INSURANCE_COLUMNS.filter((c) => !col.has(c.key));
  if (missing.length)
    return {
      rows: [],
      problems: missing.map((c) => ({
        row: rows[at].row,
        column: '',
        field: c.key,
        code: 'insrec/missing-column',
        params: { header: c.zh },
      })),
    };
  const problems: InsuranceProblem[] = [];
  const out: InsuranceRow[] = [];
  const seen = new Map<string, number>();
  for (const r of rows.slice(at + 1)) {
    const cell = (k: InsuranceKey) => r.cells[col.get(k) ?? -1] ?? null;
    if (INSURANCE_COLUMNS.every((c) => isBlank(cell(c.key)))) continue;
    let bad = false;
    const problem = (k: InsuranceKey, code: string, params?: Record<string, string | number>) => {
      problems.push({ row: r.row, column: columnLetter(col.get(k)!), field: k, code, params });
      bad = true;
    };
    const filled = (k: InsuranceKey) => (isBlank(cell(k)) ? (problem(k, 'insrec/required'), false) : true);
    let idNumber = '',
      uscc = '',
      year = 0;
    let months: readonly number[] = [];
    if (filled('idNumber')) {
      const p = parseResidentId(cell('idNumber'));
      if (p.ok) idNumber = p.value.idNumber;
      else problem('idNumber', p.code, p.params);
    }
    if (filled('uscc')) {
      const p = parseUscc(cell('uscc'));
      if (p.ok) uscc = p.value;
      else problem('uscc', p.code, p.params);
    }
    if (filled('year')) {
      const y = Number(cellText(cell('year')).replace(/年$/, ''));
      if (Number.isInteger(y) && y >= 2000 && y <= 2100) year = y;
      else problem('year', 'insrec/year');
    }
    if (filled('months')) {
      const p = parseMonthSet(cell('months'));
      if (p.ok) months = p.value;
      else problem('months', 'insrec/months');
    }
    if (!bad) {
      const k = `${idNumber}|${uscc}|${year}`;
      const first = seen.get(k);
      if (first !== undefined) problem('idNumber', 'insrec/duplicate', { first });
      else seen.set(k, r.row);
    }
    if (!bad) out.push({ row: r.row, idNumber, uscc, year, months });
  }
  if (!out.length && !problems.length) return whole('insrec/empty');
  return { rows: out, problems };
}

export async function readInsuranceFile(
  path: string,
  fileName: string,
  limits: IngestLimits = DEFAULT_LIMITS,
): Promise<InsuranceFile> {
  const whole = (code: string, params?: Record<string, string | number>): InsuranceFile => ({
    rows: [],
    problems: [{ row: 0, column: '', field: null, code, params }],
  });
  const read = await readTableRows(
    path,
    fileName,
    { maxRows: MAX_INSURANCE_ROWS, tooMany: 'insrec/too-many-rows' },
    limits,
  );
  if ('refused' in read) return whole(read.refused.code, read.refused.params);
  return parseInsuranceRows(read.rows);
}
