/**
 * The register of units (用人单位名录) as a file: one row per unit liable for a data year — credit code,
 * name, county, unit type, contact person and telephone — from an .xlsx (the sheet named 用人单位名录, else
 * the first visible sheet) or a CSV. Every row is checked as a roster's are: the credit code's check
 * character (GB 32100-2015, fields/uscc.ts), the county from the one county table, the unit type from the
 * closed list, and no credit code twice in the file. Problems are data naming the row and the column.
 */
import { COUNTIES, UNIT_TYPES } from '../rules/types';
import { normalizeHeader } from './columns';
import { cellText, isBlank, type Cell } from './fields/result';
import { parseEnum } from './fields/scalar';
import { parseUscc } from './fields/uscc';
import { DEFAULT_LIMITS, type IngestLimits } from './limits';
import { columnLetter } from './problem';
import { message, hasMessage as isIngestCode, type Lang } from './messages';
import { hasMessage, t } from '../i18n/t';
import { readTableRows } from './table-file';

export const REGISTER_SHEET = '用人单位名录';
/** A register is a city's units at most: a file of more rows is refused. */
export const MAX_REGISTER_ROWS = 20_000;

export const REGISTER_COLUMNS = [
  {
    key: 'uscc',
    zh: '统一社会信用代码',
    en: 'Unified social credit code',
    required: true,
    max: 18,
    aliases: ['信用代码'],
  },
  { key: 'name', zh: '单位名称', en: 'Unit name', required: true, max: 200, aliases: ['名称', 'name'] },
  { key: 'county', zh: '所在县（市、区）', en: 'County', required: true, max: 20, aliases: ['县市区', 'county'] },
  { key: 'unitType', zh: '单位类型', en: 'Unit type', required: true, max: 20, aliases: ['unittype', 'type'] },
  { key: 'contactName', zh: '联系人', en: 'Contact person', required: false, max: 100, aliases: ['contact'] },
  {
    key: 'contactPhone',
    zh: '联系电话',
    en: 'Contact telephone',
    required: false,
    max: 100,
    aliases: ['电话', 'phone'],
  },
] as const;

export type RegisterKey = (typeof REGISTER_COLUMNS)[number]['key'];

export interface RegisterRow {
  row: number;
  uscc: string;
  name: string;
  county: string;
  unitType: string;
  contactName: string | null;
  contactPhone: string | null;
}

/** A problem at a row and column (row 0: the file as a whole); `code` names the message. */
export interface RegisterProblem {
  row: number;
  column: string;
  field: RegisterKey | null;
  code: string;
  params?: Record<string, string | number>;
}

export interface RegisterFile {
  rows: RegisterRow[];
  problems: RegisterProblem[];
  /** the column letter each field was found in */
  columns: Partial<Record<RegisterKey, string>>;
}

const HEADERS = new Map<string, RegisterKey>(
  REGISTER_COLUMNS.flatMap((c) =>
    [c.zh, c.en, c.key, ...c.aliases].map((h) => [normalizeHeader(h), c.key] as [string, RegisterKey]),
  ),
);

const PHONE = /^[0-9+\-() 转,，、/]{5,40}$/;

/** Checks the rows of a register (cells[1] = column A), the header row first. Pure. */
export function parseRegisterRows(rows: { cells: Cell[]; row: number }[]): RegisterFile {
  const problems: RegisterProblem[] = [];
  const at = rows.findIndex((r) =>
    r.cells.some((c) => typeof c === 'string' && HEADERS.get(normalizeHeader(c)) === 'uscc'),
  );
  if (at === -1)
    return { rows: [], columns: {}, problems: [{ row: 0, column: '', field: null, code: 'register/no-header' }] };
  const col = new Map<RegisterKey, number>();
  rows[at].cells.forEach((c, i) => {
    const key = typeof c === 'string' ? HEADERS.get(normalizeHeader(c)) : undefined;
    if (key && !col.has(key)) col.set(key, i);
  });
  const missing = REGISTER_COLUMNS.filter((c) => c.required && !col.has(c.key));
  if (missing.length)
    return {
      rows: [],
      columns: {},
      problems: missing.map((c) => ({
        row: rows[at].row,
        column: '',
        field: c.key,
        code: 'register/missing-column',
        params: { header: c.zh },
      })),
    };
  const out: RegisterRow[] = [];
  const seen = new Map<string, number>();
  for (const r of rows.slice(at + 1)) {
    if (REGISTER_COLUMNS.every((c) => isBlank(r.cells[col.get(c.key) ?? -1] ?? null))) continue;
    const cell = (k: RegisterKey) => r.cells[col.get(k) ?? -1] ?? null;
    const problem = (k: RegisterKey, code: string, params?: Record<string, string | number>) =>
      problems.push({ row: r.row, column: col.has(k) ? columnLetter(col.get(k)!) : '', field: k, code, params });
    const value: Partial<Record<RegisterKey, string>> = {};
    let bad = false;
    for (const c of REGISTER_COLUMNS) {
      // names keep their own characters (full-width brackets stay as written); codes and lists are folded
      const raw = cell(c.key);
      const text =
        (c.key === 'name' || c.key === 'contactName') && typeof raw === 'string' ? raw.trim() : cellText(raw);
      if (!text) {
        if (c.required) {
          problem(c.key, 'register/required');
          bad = true;
        }
        continue;
      }
      if (c.key !== 'uscc' && text.length > c.max) {
        problem(c.key, 'register/too-long', { max: c.max });
        bad = true;
        continue;
      }
      if (c.key === 'uscc') {
        const p = parseUscc(cell(c.key));
        if (!p.ok) {
          problem(c.key, p.code, p.params);
          bad = true;
          continue;
        }
        value.uscc = p.value;
      } else if (c.key === 'county' || c.key === 'unitType') {
        const p = parseEnum(cell(c.key), c.key === 'county' ? COUNTIES : UNIT_TYPES);
        if (!p.ok) {
          problem(c.key, c.key === 'county' ? 'register/county' : 'register/unit-type', {
            allowed: (c.key === 'county' ? COUNTIES : UNIT_TYPES).join('、'),
          });
          bad = true;
          continue;
        }
        value[c.key] = p.value;
      } else if (c.key === 'contactPhone' && !PHONE.test(text)) {
        problem(c.key, 'register/phone');
        bad = true;
      } else value[c.key] = text;
    }
    if (value.uscc) {
      const first = seen.get(value.uscc);
      if (first !== undefined) {
        problem('uscc', 'register/duplicate', { first });
        bad = true;
      } else seen.set(value.uscc, r.row);
    }
    if (!bad)
      out.push({
        row: r.row,
        uscc: value.uscc!,
        name: value.name!,
        county: value.county!,
        unitType: value.unitType!,
        contactName: value.contactName ?? null,
        contactPhone: value.contactPhone ?? null,
      });
  }
  if (!out.length && !problems.length) problems.push({ row: 0, column: '', field: null, code: 'register/empty' });
  const columns = Object.fromEntries([...col].map(([k, i]) => [k, columnLetter(i)]));
  return { rows: out, problems, columns };
}

/** Reads a register file (the file guard first: size, format, zip bombs), then checks its rows. */
export async function readRegisterFile(
  path: string,
  fileName: string,
  limits: IngestLimits = DEFAULT_LIMITS,
): Promise<RegisterFile> {
  const whole = (code: string, params?: Record<string, string | number>): RegisterFile => ({
    rows: [],
    columns: {},
    problems: [{ row: 0, column: '', field: null, code, params }],
  });
  const read = await readTableRows(
    path,
    fileName,
    { sheet: REGISTER_SHEET, maxRows: MAX_REGISTER_ROWS, tooMany: 'register/too-many-rows' },
    limits,
  );
  if ('refused' in read) return whole(read.refused.code, read.refused.params);
  return parseRegisterRows(read.rows);
}

/** A problem in words: the register's own message, or the ingest's for a credit code or a file problem. */
export function registerProblemText(p: RegisterProblem, lang: Lang): string {
  const key = `register.problem.${p.code}`;
  if (hasMessage(key)) return t(key, lang, p.params ?? {});
  return isIngestCode(p.code) ? message(p.code, p.params ?? {}, lang) : p.code;
}
