/**
 * docs/rules.md §3.2 — sheet 职工名册, one row per employee. Pure and incremental: the streaming readers hand
 * it one row of cells at a time; it finds the header (even below title rows), maps columns in any
 * order, and turns each row into an Employee or into cell-precise problems — all of them, never
 * stopping at the first. Once a required column is missing its cells are not checked row by row.
 */
import { lastDayOfMonth, MONTHS, type ISODate } from '../rules/calendar';
import { minWage } from '../rules/parameters/lookup';
import type { Parameters } from '../rules/parameters/table';
import type { Certificate, Employee, Employer, EmploymentForm, FemalePost } from '../rules/types';
import { EMPLOYMENT_FORMS, FEMALE_POSTS } from '../rules/types';
import {
  CATEGORY_NAMES,
  EMPLOYEE_FIELDS,
  EMPLOYEE_INDEX,
  EXAMPLE_MARK,
  normalizeHeader,
  type FieldSpec,
} from './columns';
import { parseDate } from './fields/date';
import { parseDisabilityCert } from './fields/disability-cert';
import { parseMonthSet } from './fields/month-set';
import { parseMoneyFen } from './fields/money';
import { parseResidentId, type ResidentId } from './fields/resident-id';
import { cellText, isBlank, type Cell, type Parsed } from './fields/result';
import { parseBool, parseEnum, parseInt0 } from './fields/scalar';
import { columnLetter, type ProblemList } from './problem';

type FieldParser = (c: Cell, id: ResidentId | undefined) => Parsed<unknown>;

const WAGE_KEYS = MONTHS.map((m) => `wage${String(m).padStart(2, '0')}`);
/** Free text (names): trimmed, not normalised — a name is kept as written. */
const text: FieldParser = (c) => ({ ok: true, value: (typeof c === 'string' ? c.trim() : cellText(c)).slice(0, 100) });
const money: FieldParser = (c) => parseMoneyFen(c);

/** Field key → parser; the certificate is checked against the ID parsed earlier in the same row. */
const PARSERS: Record<string, FieldParser> = {
  text,
  name: text,
  category: text,
  idNumber: (c) => parseResidentId(c),
  disabilityCert: (c, id) => parseDisabilityCert(c, id?.idNumber ?? null),
  veteranGrade: (c) => {
    const r = parseInt0(c, 1, 8);
    return r.ok ? r : { ok: false, code: 'cell/veteran-grade' };
  },
  hired: parseDate,
  left: parseDate,
  contractStart: parseDate,
  contractEnd: parseDate,
  employmentForm: (c) => parseEnum<EmploymentForm>(c, EMPLOYMENT_FORMS),
  dispatchCountedHere: parseBool,
  insuredMonths: parseMonthSet,
  monthlyWage: money,
  ...Object.fromEntries(WAGE_KEYS.map((k) => [k, money])),
  femalePost: (c) => parseEnum<FemalePost>(c, FEMALE_POSTS),
};

const wageArrays = new Map<number, readonly number[]>();
/** Twelve equal monthly wages, shared (frozen) between the many employees paid the same. */
function sameWages(fen: number): readonly number[] {
  let a = wageArrays.get(fen);
  if (!a) {
    a = Object.freeze(new Array<number>(12).fill(fen));
    if (wageArrays.size < 10_000) wageArrays.set(fen, a);
  }
  return a;
}

/** Where each roster field's value sits in a row's values (the order of EMPLOYEE_FIELDS). */
const FIELD: Record<string, number> = Object.fromEntries(EMPLOYEE_FIELDS.map((f, i) => [f.key, i]));
const WAGE_FIELDS = WAGE_KEYS.map((k) => FIELD[k]);

/** How many rows from the top are searched for the header. */
export const HEADER_SEARCH_ROWS = 30;

export class RosterParser {
  readonly employees: Employee[] = [];
  headerRow: number | null = null;
  rowsRead = 0;
  private readonly colOf = new Map<string, number>();
  private readonly seenIds = new Map<string, number>();

  constructor(
    readonly sheet: string,
    private readonly problems: ProblemList,
    private readonly today: ISODate,
  ) {}

  /** Feed one row (cells[1] = column A). */
  push(cells: Cell[], row: number): void {
    if (this.headerRow === null) {
      if (!this.tryHeader(cells, row) && row >= HEADER_SEARCH_ROWS) {
        this.problems.error('header/not-found', this.sheet, 'A1', { rows: HEADER_SEARCH_ROWS });
        this.headerRow = -1;
      }
      return;
    }
    if (this.headerRow < 0) return;
    this.rowsRead++;
    this.parseRow(cells, row);
  }

  /** Call after the last row: reports a header never found. */
  end(): void {
    if (this.headerRow === null)
      this.problems.error('header/not-found', this.sheet, 'A1', { rows: HEADER_SEARCH_ROWS });
  }

  private tryHeader(cells: Cell[], row: number): boolean {
    const matches: [number, FieldSpec][] = [];
    cells.forEach((c, col) => {
      const f = typeof c === 'string' ? EMPLOYEE_INDEX.get(normalizeHeader(c)) : undefined;
      if (f) matches.push([col, f]);
    });
    const keys = new Set(matches.map(([, f]) => f.key));
    if (matches.length < 2 || !(keys.has('name') || keys.has('idNumber'))) return false;
    this.headerRow = row;
    for (const [col, f] of matches) {
      if (this.colOf.has(f.key))
        this.problems.notice('header/duplicate-column', this.sheet, `${columnLetter(col)}${row}`, { column: f.zh });
      else this.colOf.set(f.key, col);
    }
    cells.forEach((c, col) => {
      if (!isBlank(c) && !(typeof c === 'string' && EMPLOYEE_INDEX.has(normalizeHeader(c)))) {
        this.problems.notice('header/unknown-column', this.sheet, `${columnLetter(col)}${row}`, {
          column: cellText(c).slice(0, 60),
        });
      }
    });
    for (const f of EMPLOYEE_FIELDS) {
      if (f.required && !this.colOf.has(f.key))
        this.problems.error('header/missing-column', this.sheet, `A${row}`, { column: f.zh, en: f.en });
    }
    this.compile();
    return true;
  }

  private ref(key: string, row: number): string {
    return `${columnLetter(this.colOf.get(key) ?? 1)}${row}`;
  }

  /** One parser per mapped column, compiled once at the header (the hot path runs per row). */
  private compiled: { spec: FieldSpec; field: number; col: number; letter: string; parse: FieldParser }[] = [];
  /** The current row's parsed values by field position, reused from row to row (no object per row). */
  private readonly values: unknown[] = new Array(EMPLOYEE_FIELDS.length).fill(undefined);

  private compile(): void {
    this.compiled = EMPLOYEE_FIELDS.filter((f) => this.colOf.has(f.key)).map((spec) => {
      const col = this.colOf.get(spec.key)!;
      return { spec, field: FIELD[spec.key], col, letter: columnLetter(col), parse: PARSERS[spec.key] ?? PARSERS.text };
    });
  }

  private parseRow(cells: Cell[], row: number): void {
    const nameCol = this.colOf.get('name');
    const nameCell = nameCol === undefined ? null : cells[nameCol];
    // a row with a name is not blank: the whole row is looked at only when the name is missing
    if (!(typeof nameCell === 'string' && nameCell.trim() !== '') && cells.every(isBlank)) return;
    if (typeof nameCell === 'string' && nameCell.trimStart().startsWith(EXAMPLE_MARK)) {
      this.problems.notice('row/example-skipped', this.sheet, `${columnLetter(nameCol!)}${row}`);
      return;
    }
    this.problems.forEmployee(nameCell);
    try {
      this.checkRow(cells, row);
    } finally {
      this.problems.forEmployee(undefined);
    }
  }

  private checkRow(cells: Cell[], row: number): void {
    // values by field position; a cell reference is built only when a problem needs it
    const v = this.values;
    v.fill(undefined);
    let bad = false;
    for (const f of this.compiled) {
      const c = cells[f.col] ?? null;
      if (c === null || (typeof c === 'string' && isBlank(c))) {
        if (f.spec.required) {
          this.problems.error('cell/required', this.sheet, `${f.letter}${row}`, { column: f.spec.zh });
          bad = true;
        }
        continue;
      }
      const r = f.parse(c, v[FIELD.idNumber] as ResidentId | undefined);
      if (!r.ok) {
        this.problems.error(r.code, this.sheet, `${f.letter}${row}`, { column: f.spec.zh, ...r.params }, cellText(c));
        bad = true;
        continue;
      }
      v[f.field] = r.value;
    }

    const id = v[FIELD.idNumber] as ResidentId | undefined;
    if (id) {
      const first = this.seenIds.get(id.idNumber);
      if (first !== undefined) {
        this.problems.error('row/duplicate-id', this.sheet, this.ref('idNumber', row), { firstRow: first });
        bad = true;
      } else this.seenIds.set(id.idNumber, row);
    }
    const cert = v[FIELD.disabilityCert] as (Certificate & { number: string }) | undefined;
    const hired = v[FIELD.hired] as ISODate | undefined;
    const left = (v[FIELD.left] as ISODate | undefined) ?? null;
    const contractEnd = (v[FIELD.contractEnd] as ISODate | undefined) ?? null;
    const start = (v[FIELD.contractStart] as ISODate | undefined) ?? hired;
    const form = (v[FIELD.employmentForm] as EmploymentForm | undefined) ?? '全日制';
    const dispatchHere = (v[FIELD.dispatchCountedHere] as boolean | undefined) ?? false;
    const monthly = v[FIELD.monthlyWage] as number | undefined;
    const category = v[FIELD.category] as string | undefined;

    if (hired && left && left < hired) {
      this.problems.error('row/left-before-hired', this.sheet, this.ref('left', row), { left, hired });
      bad = true;
    }
    if (start && contractEnd && contractEnd < start) {
      this.problems.error('row/contract-end-before-start', this.sheet, this.ref('contractEnd', row), {
        end: contractEnd,
        start,
      });
      bad = true;
    }
    if (hired && hired > this.today)
      this.problems.warn('cell/future-date', this.sheet, this.ref('hired', row), { column: '入职日期', date: hired });
    if (dispatchHere && form !== '劳务派遣')
      this.problems.notice('row/dispatch-flag-ignored', this.sheet, this.ref('dispatchCountedHere', row));
    if (cert && category) {
      const idx = CATEGORY_NAMES.findIndex((n) => category.includes(n));
      if (idx >= 0 && idx + 1 !== cert.category) {
        this.problems.warn('cell/cert-category-mismatch', this.sheet, this.ref('category', row), {
          category,
          certCategory: `${cert.category}（${CATEGORY_NAMES[cert.category - 1]}）`,
        });
      }
    }
    if (bad || !v[FIELD.name] || !id || !hired || monthly === undefined) return;

    let wagesFen = sameWages(monthly);
    for (const i of WAGE_FIELDS)
      if (v[i] !== undefined) {
        wagesFen = Object.freeze(WAGE_FIELDS.map((k) => (v[k] as number | undefined) ?? monthly));
        break;
      }
    this.employees.push({
      row,
      name: v[FIELD.name] as string,
      idNumber: id.idNumber,
      birthDate: id.birthDate,
      sex: id.sex,
      cert: cert ? { category: cert.category, grade: cert.grade } : null,
      veteranGrade: (v[FIELD.veteranGrade] as number | undefined) ?? null,
      hired,
      left,
      contractStart: start!,
      contractEnd,
      form,
      dispatchCountedHere: form === '劳务派遣' && dispatchHere,
      insuredMonths: (v[FIELD.insuredMonths] as readonly number[] | undefined) ?? null,
      wagesFen,
      femalePost: (v[FIELD.femalePost] as FemalePost | undefined) ?? '工人',
    });
  }

  /**
   * Checks that need the employer (its county and year): a wage below the county minimum for a
   * non-disabled employee is a plausible mistake — a warning, reported once per employee.
   */
  finish(employer: Employer, params: Parameters): void {
    const y = employer.year;
    // the county minimum of each month, looked up once (not once per employee and month)
    const months = MONTHS.map((m) => {
      const day = lastDayOfMonth(y, m);
      const min = minWage(params, employer.county, day).value;
      return { m, day, min, minFen: Number(min.mul(100).ceil().n) };
    });
    // twelve equal wages at or above every month's minimum cannot be below it in any month
    const highestMinFen = Math.max(...months.map((x) => x.minFen));
    for (const e of this.employees) {
      if (e.cert || e.veteranGrade !== null) continue;
      const w = e.wagesFen;
      if (w[0] >= highestMinFen && wageArrays.get(w[0]) === w) continue;
      for (const { m, day, min, minFen } of months) {
        if (e.hired > day || (e.left !== null && e.left < day)) continue;
        if (e.wagesFen[m - 1] < minFen) {
          const col = this.colOf.get('monthlyWage')!;
          this.problems.forEmployee(e.name);
          this.problems.warn('row/wage-below-minimum', this.sheet, `${columnLetter(col)}${e.row}`, {
            month: m,
            wage: (e.wagesFen[m - 1] / 100).toFixed(2),
            minWage: min.toFixed(2),
          });
          this.problems.forEmployee(undefined);
          break;
        }
      }
    }
  }
}
