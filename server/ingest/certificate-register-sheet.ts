/**
 * The 残联's certificate register for the city (残疾人证库) as a file, docs/rules.md §4.3: one row per certificate —
 * 残疾人证号, 残疾类别, 残疾等级, 发证日期, 有效期至, 状态 (正常 / 注销) and 注销日期 — from an .xlsx (the sheet named
 * 残疾人证库, else the first visible sheet) or a CSV. Every cell is checked as a roster's are: the number's form and
 * its ID's check character, the category and grade (and that they agree with the number's last two digits), the
 * dates, the status with its date; no certificate twice. Problems are data naming the row and the column. The
 * number is handed on only to be hashed: the caller keeps no number.
 */
import type { ISODate } from '../rules/calendar';
import { normalizeHeader } from './columns';
import { parseDate } from './fields/date';
import { normalizeId, residentIdCheckChar } from './fields/resident-id';
import { cellText, isBlank, type Cell } from './fields/result';
import { DEFAULT_LIMITS, type IngestLimits } from './limits';
import { columnLetter } from './problem';
import { readTableRows } from './table-file';

export const CERT_REGISTER_SHEET = '残疾人证库';
/** A city's certificates: a file of more rows is refused. */
export const MAX_CERT_REGISTER_ROWS = 200_000;

export const CERT_REGISTER_COLUMNS = [
  { key: 'number', zh: '残疾人证号', en: 'Certificate number', required: true, aliases: ['证号', '残疾证号'] },
  { key: 'category', zh: '残疾类别', en: 'Category', required: true, aliases: ['类别'] },
  { key: 'grade', zh: '残疾等级', en: 'Grade', required: true, aliases: ['等级'] },
  { key: 'issued', zh: '发证日期', en: 'Issued on', required: true, aliases: ['发证时间'] },
  { key: 'validTo', zh: '有效期至', en: 'Valid to', required: false, aliases: ['有效期', '有效期限'] },
  { key: 'status', zh: '状态', en: 'Status', required: true, aliases: ['证件状态'] },
  { key: 'cancelledOn', zh: '注销日期', en: 'Cancelled on', required: false, aliases: ['注销时间'] },
] as const;

export type CertRegisterKey = (typeof CERT_REGISTER_COLUMNS)[number]['key'];

const CATEGORIES = ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'];
const GRADES = ['一级', '二级', '三级', '四级'];

export interface CertRegisterRow {
  row: number;
  /** the 20-character number: to be hashed, never kept */
  number: string;
  category: number;
  grade: number;
  issued: ISODate;
  validTo: ISODate | null;
  cancelledOn: ISODate | null;
}

export interface CertRegisterProblem {
  row: number;
  column: string;
  field: CertRegisterKey | null;
  code: string;
  params?: Record<string, string | number>;
}

export interface CertRegisterFile {
  rows: CertRegisterRow[];
  problems: CertRegisterProblem[];
  columns: Partial<Record<CertRegisterKey, string>>;
}

const HEADERS = new Map<string, CertRegisterKey>(
  CERT_REGISTER_COLUMNS.flatMap((c) =>
    [c.zh, c.en, c.key, ...c.aliases].map((h) => [normalizeHeader(h), c.key] as [string, CertRegisterKey]),
  ),
);

/** 1–7 or 视力 … 多重 (with or without 残疾) */
function category(text: string): number | null {
  if (/^[1-7]$/.test(text)) return Number(text);
  const i = CATEGORIES.indexOf(text.replace(/残疾$/, ''));
  return i < 0 ? null : i + 1;
}
/** 1–4 or 一级 … 四级 */
function grade(text: string): number | null {
  if (/^[1-4]$/.test(text)) return Number(text);
  const t = text.replace(/^(\d)级$/, '$1');
  if (/^[1-4]$/.test(t)) return Number(t);
  const i = GRADES.indexOf(text);
  return i < 0 ? null : i + 1;
}

/** Checks the rows of a certificate register (cells[1] = column A), the header row first. Pure. */
export function parseCertRegisterRows(rows: { cells: Cell[]; row: number }[]): CertRegisterFile {
  const problems: CertRegisterProblem[] = [];
  const whole = (code: string): CertRegisterFile => ({
    rows: [],
    columns: {},
    problems: [{ row: 0, column: '', field: null, code }],
  });
  const at = rows.findIndex((r) =>
    r.cells.some((c) => typeof c === 'string' && HEADERS.get(normalizeHeader(c)) === 'number'),
  );
  if (at === -1) return whole('certreg/no-header');
  const col = new Map<CertRegisterKey, number>();
  rows[at].cells.forEach((c, i) => {
    const key = typeof c === 'string' ? HEADERS.get(normalizeHeader(c)) : undefined;
    if (key && !col.has(key)) col.set(key, i);
  });
  const missing = CERT_REGISTER_COLUMNS.filter((c) => c.required && !col.has(c.key));
  if (missing.length)
    return {
      rows: [],
      columns: {},
      problems: missing.map((c) => ({
        row: rows[at].row,
        column: '',
        field: c.key,
        code: 'certreg/missing-column',
        params: { header: c.zh },
      })),
    };
  const out: CertRegisterRow[] = [];
  const seen = new Map<string, number>();
  for (const r of rows.slice(at + 1)) {
    const cell = (k: CertRegisterKey) => r.cells[col.get(k) ?? -1] ?? null;
    if (CERT_REGISTER_COLUMNS.every((c) => isBlank(cell(c.key)))) continue;
    let bad = false;
    const problem = (k: CertRegisterKey, code: string, params?: Record<string, string | number>) => {
      problems.push({ row: r.row, column: col.has(k) ? columnLetter(col.get(k)!) : '', field: k, code, params });
      bad = true;
    };
    const required = (k: CertRegisterKey) => {
      if (isBlank(cell(k))) {
        problem(k, 'certreg/required');
        return false;
      }
      return true;
    };
    let number = '';
    if (required('number')) {
      number = normalizeId(cell('number'));
      if (typeof cell('number') === 'number') problem('number', 'certreg/number-cell');
      else if (!/^\d{17}[\dX][1-7][1-4]$/.test(number)) problem('number', 'certreg/number-format');
      else if (residentIdCheckChar(number.slice(0, 17)) !== number[17]) problem('number', 'certreg/number-check');
    }
    const cat = required('category') ? category(cellText(cell('category'))) : null;
    if (!isBlank(cell('category')) && cat === null) problem('category', 'certreg/category');
    const gr = required('grade') ? grade(cellText(cell('grade'))) : null;
    if (!isBlank(cell('grade')) && gr === null) problem('grade', 'certreg/grade');
    if (!bad && cat !== null && gr !== null && (Number(number[18]) !== cat || Number(number[19]) !== gr))
      problem('number', 'certreg/number-mismatch', { category: cat, grade: gr });
    let issued: ISODate | null = null;
    if (required('issued')) {
      const p = parseDate(cell('issued'));
      if (p.ok) issued = p.value;
      else problem('issued', 'certreg/date');
    }
    let validTo: ISODate | null = null;
    const vt = cellText(cell('validTo'));
    if (vt && !/^(长期|永久|无)$/.test(vt)) {
      const p = parseDate(cell('validTo'));
      if (p.ok) validTo = p.value;
      else problem('validTo', 'certreg/date');
    }
    // 注销 with its date: in the 注销日期 column, or written after the status (注销 2025-04-15)
    let cancelledOn: ISODate | null = null;
    if (required('status')) {
      const st = cellText(cell('status'));
      const m = /^注销\s*[（(]?\s*(.+?)\s*[）)]?$/.exec(st);
      if (st === '正常') {
        if (!isBlank(cell('cancelledOn'))) problem('cancelledOn', 'certreg/cancelled-date-normal');
      } else if (st === '注销' || m) {
        const p = parseDate(isBlank(cell('cancelledOn')) ? (m?.[1] ?? null) : cell('cancelledOn'));
        if (p.ok) cancelledOn = p.value;
        else problem(isBlank(cell('cancelledOn')) ? 'status' : 'cancelledOn', 'certreg/cancelled-date');
      } else problem('status', 'certreg/status');
    }
    if (issued && validTo && validTo < issued) problem('validTo', 'certreg/valid-before-issued');
    if (number && !bad) {
      const first = seen.get(number.slice(0, 18));
      if (first !== undefined) problem('number', 'certreg/duplicate', { first });
      else seen.set(number.slice(0, 18), r.row);
    }
    if (!bad) out.push({ row: r.row, number, category: cat!, grade: gr!, issued: issued!, validTo, cancelledOn });
  }
  if (!out.length && !problems.length) return whole('certreg/empty');
  const columns = Object.fromEntries([...col].map(([k, i]) => [k, columnLetter(i)]));
  return { rows: out, problems, columns };
}

/** Reads a certificate register file (the file guard first: size, format, zip bombs), then checks its rows. */
export async function readCertRegisterFile(
  path: string,
  fileName: string,
  limits: IngestLimits = DEFAULT_LIMITS,
): Promise<CertRegisterFile> {
  const whole = (code: string, params?: Record<string, string | number>): CertRegisterFile => ({
    rows: [],
    columns: {},
    problems: [{ row: 0, column: '', field: null, code, params }],
  });
  const read = await readTableRows(
    path,
    fileName,
    { sheet: CERT_REGISTER_SHEET, maxRows: MAX_CERT_REGISTER_ROWS, tooMany: 'certreg/too-many-rows' },
    limits,
  );
  if ('refused' in read) return whole(read.refused.code, read.refused.params);
  return parseCertRegisterRows(read.rows);
}
