/**
 * docs/rules.md §3.1 — sheet 单位信息: label in column A, value in column B. Pure: rows in, employer or
 * problems out. The CSV route feeds the command-line / form fields through the same function.
 */
import { Q } from '../rules/money';
import { BLANK_ATTRIBUTE, type Employer } from '../rules/types';
import { EMPLOYER_FIELDS, EMPLOYER_INDEX, normalizeHeader, type FieldSpec } from './columns';
import { parseDate } from './fields/date';
import { parseMoneyFen } from './fields/money';
import { cellText, isBlank, type Cell, type Parsed } from './fields/result';
import { parseBool, parseEnum, parseInt0 } from './fields/scalar';
import { parseUscc } from './fields/uscc';
import type { ProblemList } from './problem';

export interface LabelledRow {
  row: number;
  label: Cell;
  value: Cell;
  /** Where the value sits ("B3"); the CSV route names the flag instead. */
  cell: string;
}

export interface EmployerContext {
  sheet: string;
  problems: ProblemList;
  today: string;
  years: { first: number; last: number };
  /** Filled with field key → the cell its value came from ("B3", or the CSV flag). */
  cells?: Map<string, string>;
  /** The rows are a sheet's label/value rows, so a missing label is named as one (default: true). */
  labelled?: boolean;
}

function parseEmployerField(f: FieldSpec, c: Cell, ctx: EmployerContext): Parsed<unknown> {
  switch (f.kind) {
    case 'uscc':
      return parseUscc(c);
    case 'enum':
      return parseEnum(c, f.values!);
    case 'date':
      return parseDate(c);
    case 'money':
      return parseMoneyFen(c, 1e12);
    case 'bool':
      return parseBool(c);
    case 'int':
      return parseInt0(c, 0);
    case 'year': {
      const y = parseInt0(c, 1900, 2999);
      if (!y.ok) return { ok: false, code: 'cell/year' };
      if (y.value < ctx.years.first || y.value > ctx.years.last)
        return { ok: false, code: 'cell/year-unsupported', params: { year: y.value, ...ctx.years } };
      return y;
    }
    default: {
      const t = cellText(c);
      return { ok: true, value: t.slice(0, 200) };
    }
  }
}

export function parseEmployerRows(rows: LabelledRow[], ctx: EmployerContext): Employer | null {
  const values = new Map<string, unknown>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (isBlank(r.label)) continue;
    const f = EMPLOYER_INDEX.get(normalizeHeader(cellText(r.label)));
    if (!f || seen.has(f.key)) continue;
    seen.add(f.key);
    ctx.cells?.set(f.key, r.cell);
    if (isBlank(r.value)) {
      if (f.required) ctx.problems.error('cell/required', ctx.sheet, r.cell, { column: f.zh });
      continue;
    }
    const parsed = parseEmployerField(f, r.value, ctx);
    if (!parsed.ok) {
      ctx.problems.error(parsed.code, ctx.sheet, r.cell, { column: f.zh, ...parsed.params }, cellText(r.value));
      continue;
    }
    if (f.kind === 'date' && (parsed.value as string) > ctx.today)
      ctx.problems.warn('cell/future-date', ctx.sheet, r.cell, { column: f.zh, date: parsed.value as string });
    values.set(f.key, parsed.value);
  }
  for (const f of EMPLOYER_FIELDS) {
    if (f.required && !seen.has(f.key) && ctx.labelled !== false)
      ctx.problems.error('employer/missing-label', ctx.sheet, 'A1', { label: f.zh });
  }
  if (EMPLOYER_FIELDS.some((f) => f.required && !values.has(f.key))) return null;
  return Object.fromEntries(EMPLOYER_FIELDS.map((f) => [f.key, attributeValue(f, values.get(f.key))])) as Employer;
}

/** What a field's read value (undefined when blank) is in the Employer, by the field's kind. */
function attributeValue(f: FieldSpec, v: unknown): unknown {
  if (v === undefined) return f.kind in BLANK_ATTRIBUTE ? BLANK_ATTRIBUTE[f.kind as keyof typeof BLANK_ATTRIBUTE] : v;
  // the reader holds an amount as integer 分
  return f.kind === 'money' ? Q.of(v as number, 100) : v;
}
