/**
 * docs/rules.md §3.2 — finding the roster's header the way payroll and WPS exports lay it out: below a
 * title row (2025年度职工花名册) or blank rows, worded with the synonyms of columns.ts, or on two levels —
 * merged group cells (合同期限, 工资) over sub-headers (开始日期 / 结束日期, 1月 … 12月). Pure: rows of
 * cells in, the column each header cell names out.
 *
 * A merged cell holds its text in its first column only (and the streaming reader sees the merges only
 * after the rows), so a group's text is carried to the right over the blank cells that follow it.
 */
import { EMPLOYEE_INDEX, normalizeHeader, type FieldSpec } from './columns';
import { cellText, isBlank, type Cell } from './fields/result';

/** One header cell: where it is, what it says, and the field it names (undefined: not a known header). */
export interface HeaderCell {
  col: number;
  row: number;
  text: string;
  field: FieldSpec | undefined;
}

/** Words a group header ends with that a sub-header does not repeat: 合同期限 + 开始日期 = 合同开始日期. */
const GROUP_SUFFIX = /(期限|信息|情况|明细|记录|发放|时间|日期|（元）|\(元\))+$/;
/** A month alone (1月, 十二月份) is a month's wage — unless its group says the months are something else. */
const BARE_MONTH = /^(\d{1,2}|[一二三四五六七八九十]{1,3})月份?$/;
const NOT_WAGES = /社保|参保|保险|缴|考勤|出勤|天数|加班|公积金|个税|扣/;

/** The field a header names, alone or under its group's text (group + sub, sub + group, either without the group's suffix). */
export function resolveHeader(text: string, group: string | undefined): FieldSpec | undefined {
  const n = normalizeHeader(text);
  if (!n) return undefined;
  if (group) {
    const g = normalizeHeader(group);
    if (g && g !== n) {
      for (const stem of new Set([g, g.replace(GROUP_SUFFIX, '')]))
        for (const combined of [stem + n, n + stem]) {
          const f = EMPLOYEE_INDEX.get(combined);
          if (f) return f;
        }
      if (BARE_MONTH.test(n) && NOT_WAGES.test(g)) return undefined;
    }
  }
  return EMPLOYEE_INDEX.get(n);
}

/** Each column's group text: the nearest text at or to the left of it in the row above (a merged cell's reach). */
function carried(above: Cell[] | null, width: number): (string | undefined)[] {
  const out: (string | undefined)[] = new Array(width + 1);
  let last: string | undefined;
  for (let col = 1; col <= width; col++) {
    const c = above?.[col];
    if (typeof c === 'string' && c.trim()) last = c.trim();
    out[col] = last;
  }
  return out;
}

/** The header cells of one row, each read under the row above it (a title or a group row, or nothing). */
export function headerCells(cells: Cell[], row: number, above: Cell[] | null): HeaderCell[] {
  const groups = carried(above, cells.length);
  const out: HeaderCell[] = [];
  for (let col = 1; col < cells.length; col++) {
    const c = cells[col];
    if (isBlank(c)) continue;
    const text = typeof c === 'string' ? c.trim() : cellText(c);
    out.push({ col, row, text, field: typeof c === 'string' ? resolveHeader(c, groups[col]) : undefined });
  }
  return out;
}

/** A row is the header when it names at least two columns, one of them the name or the ID number. */
export function isHeader(cells: HeaderCell[]): boolean {
  const keys = new Set(cells.flatMap((c) => (c.field ? [c.field.key] : [])));
  return keys.size >= 2 && (keys.has('name') || keys.has('idNumber'));
}

/**
 * The header completed by the row below it when that row is a sub-header (text only, blank under the
 * name and the ID number); null when it is a data row.
 * A column with a sub-header takes it; a column without one keeps the upper header (a cell merged down).
 * A sub-header row of unknown names under a group (社保缴纳情况 over 1月 … 12月) is still the header's, and
 * its columns are reported as unknown rather than read as a row of data.
 */
export function withSubHeader(top: HeaderCell[], topCells: Cell[], next: Cell[], row: number): HeaderCell[] | null {
  if (next.some((c) => !isBlank(c) && typeof c !== 'string')) return null;
  const at = (key: string) => top.find((c) => c.field?.key === key)?.col;
  for (const key of ['name', 'idNumber']) {
    const col = at(key);
    if (col !== undefined && !isBlank(next[col] ?? null)) return null;
  }
  const sub = headerCells(next, row, topCells);
  // a sub-header names a column, or at least sits only under group cells (none under a column already named)
  const named = new Set(top.flatMap((c) => (c.field ? [c.col] : [])));
  if (!sub.length || !(sub.some((c) => c.field) || sub.every((c) => !named.has(c.col)))) return null;
  const byCol = new Map(top.map((c) => [c.col, c]));
  for (const c of sub) {
    const upper = byCol.get(c.col);
    if (c.field || !upper?.field) byCol.set(c.col, c);
  }
  return [...byCol.values()].sort((a, b) => a.col - b.col);
}
