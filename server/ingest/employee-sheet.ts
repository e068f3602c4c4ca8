/**
 * docs/rules.md §3.2 — sheet 职工名册, one row per employee. Pure and incremental: the streaming readers hand
 * it one row of cells at a time; it finds the header (even below title rows), maps columns in any
 * order, and turns each row into an Employee or into cell-precise problems — all of them, never
 * stopping at the first. Once a required column is missing its cells are not checked row by row.
 */
import { isoDate, lastDayOfMonth, MONTHS, type ISODate } from '../rules/calendar';
import { minWage } from '../rules/parameters/lookup';
import type { Parameters } from '../rules/parameters/table';
import type { AssumedAttribute, Certificate, Employee, Employer, EmploymentForm, FemalePost } from '../rules/types';
import { EMPLOYMENT_FORMS, FEMALE_POSTS } from '../rules/types';
import { CATEGORY_NAMES, EMPLOYEE_FIELDS, EXAMPLE_MARK, type FieldSpec } from './columns';
import { parseDate } from './fields/date';
import { parseDisabilityCert } from './fields/disability-cert';
import { parseMonthSet } from './fields/month-set';
import { parseMoneyFen } from './fields/money';
import { parseResidentId, type ResidentId } from './fields/resident-id';
import { cellText, isBlank, type Cell, type Parsed } from './fields/result';
import { parseBool, parseEnum, parseInt0 } from './fields/scalar';
import { headerCells, isHeader, withSubHeader, type HeaderCell } from './header-row';
import { columnLetter, type ProblemList } from './problem';

type FieldParser = (c: Cell, id: ResidentId | undefined) => Parsed<unknown>;

/** `assumed` only when something was filled by its default, so a fully typed row reads as before. */
function assumedOf(contractStart: boolean, femalePost: boolean): { assumed?: readonly AssumedAttribute[] } {
  const list: AssumedAttribute[] = [];
  if (contractStart) list.push('contractStart');
  if (femalePost) list.push('femalePost');
  return list.length ? { assumed: Object.freeze(list) } : {};
}

const WAGE_KEYS = MONTHS.map((m) => `wage${String(m).padStart(2, '0')}`);
/** Free text: trimmed, not normalised — kept as written. */
const text: FieldParser = (c) => ({ ok: true, value: (typeof c === 'string' ? c.trim() : cellText(c)).slice(0, 100) });
const SPACE = /[\s\u3000]/;
const HAN_GAP = /(?<=[\u3400-\u9fff·•])[\s\u3000]+(?=[\u3400-\u9fff·•])/g;
/**
 * A name as written, less the spaces payroll exports pad two-character names with to line them up
 * (“张\u3000三”, “王  芳”): a space between two Chinese characters is layout, not part of the name; other runs of
 * spaces (“Ali  Hasan”) become one.
 */
function personName(c: Cell): string {
  const s = typeof c === 'string' ? c.trim() : cellText(c);
  if (!SPACE.test(s)) return s.length > 100 ? s.slice(0, 100) : s;
  return s
    .replace(HAN_GAP, '')
    .replace(/[\s\u3000]+/g, ' ')
    .slice(0, 100);
}
const money: FieldParser = (c) => parseMoneyFen(c);

/** Field key → parser; the certificate is checked against the ID parsed earlier in the same row. */
const PARSERS: Record<string, FieldParser> = {
  text,
  name: (c) => ({ ok: true, value: personName(c) }),
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

/** A totals row: 合计 / 总计 / 小计 / 共计 where the name (or a 序号 column before it) is, and no ID number. */
const TOTALS = /^(合计|总计|小计|共计)/;

export class RosterParser {
  readonly employees: Employee[] = [];
  /** The last row of the header (the sub-header of a two-level one); null while searching, -1 when not found. */
  headerRow: number | null = null;
  rowsRead = 0;
  /**
   * While probing, a sheet whose header is not within the first rows is not reported: the reader is looking
   * for the roster among sheets with other names, and moves on to the next.
   */
  probing = false;
  private readonly colOf = new Map<string, number>();
  private readonly seenIds = new Map<string, number>();
  /** The row above the one being looked at (a title or a header's group row), while searching. */
  private above: Cell[] | null = null;
  /** A header found, waiting for the next row: its sub-header, or the first data row. */
  private pending: { cells: Cell[]; row: number; header: HeaderCell[] } | null = null;
  /** No 月工资 column: the twelve monthly wage columns are the wages (docs/rules.md §3.2). */
  private monthsOnly = false;
  /** In monthsOnly mode, the months left blank of each employee (by row), checked once the year is known. */
  private readonly blankMonths = new Map<number, number[]>();
  /** A 合计 / 总计 row was passed: what follows without an ID number is a footer (制表人, 备注). */
  private pastTotals = false;

  constructor(
    public sheet: string,
    private readonly problems: ProblemList,
    private readonly today: ISODate,
  ) {}

  /** Feed one row (cells[1] = column A). */
  push(cells: Cell[], row: number): void {
    if (this.headerRow === null) {
      if (this.pending) {
        const { cells: top, row: topRow, header } = this.pending;
        this.pending = null;
        const two = withSubHeader(header, top, cells, row);
        this.useHeader(two ?? header, topRow, two ? row : topRow);
        if (two) return;
      } else {
        const header = headerCells(cells, row, this.above);
        if (isHeader(header)) {
          this.pending = { cells, row, header };
          return;
        }
        this.above = cells.some((c) => !isBlank(c)) ? cells : null;
        if (row >= HEADER_SEARCH_ROWS) {
          if (!this.probing) this.problems.error('header/not-found', this.sheet, 'A1', { rows: HEADER_SEARCH_ROWS });
          this.headerRow = -1;
        }
        return;
      }
    }
    if (this.headerRow === null || this.headerRow < 0) return;
    this.rowsRead++;
    this.parseRow(cells, row);
  }

  /** Call after the last row: a header waiting for its next row is the header; a header never found is reported. */
  end(): void {
    if (this.pending) {
      const { row, header } = this.pending;
      this.pending = null;
      this.useHeader(header, row, row);
    }
    if (this.headerRow === null && !this.probing)
      this.problems.error('header/not-found', this.sheet, 'A1', { rows: HEADER_SEARCH_ROWS });
  }

  /** Whether the header was found (so far); a probe that found none leaves the parser as new. */
  get found(): boolean {
    return this.headerRow !== null && this.headerRow >= 0;
  }

  /** Forgets a probed sheet without a header, to look at the next one. */
  reset(): void {
    this.headerRow = null;
    this.above = null;
    this.pending = null;
  }

  private useHeader(header: HeaderCell[], top: number, bottom: number): void {
    this.headerRow = bottom;
    for (const c of header) {
      if (!c.field) {
        this.problems.notice('header/unknown-column', this.sheet, `${columnLetter(c.col)}${c.row}`, {
          column: c.text.slice(0, 60),
        });
      } else if (this.colOf.has(c.field.key)) {
        this.problems.notice('header/duplicate-column', this.sheet, `${columnLetter(c.col)}${c.row}`, {
          column: c.field.zh,
        });
      } else this.colOf.set(c.field.key, c.col);
    }
    // the header's rows, as a row reference ("3:3", "2:3"): a missing column is located there, not at a cell
    const rows = `${top}:${bottom}`;
    const months = WAGE_KEYS.filter((k) => this.colOf.has(k));
    this.monthsOnly = !this.colOf.has('monthlyWage') && months.length === 12;
    for (const f of EMPLOYEE_FIELDS) {
      if (!f.required || this.colOf.has(f.key) || (f.key === 'monthlyWage' && this.monthsOnly)) continue;
      if (f.key === 'monthlyWage' && months.length > 0) {
        const missing = MONTHS.filter((m) => !this.colOf.has(WAGE_KEYS[m - 1]));
        this.problems.error('header/missing-wage-months', this.sheet, rows, {
          column: f.zh,
          months: missing.join(this.problems.lang === 'en' ? ', ' : '、'),
        });
      } else this.problems.error('header/missing-column', this.sheet, rows, { column: f.zh });
    }
    this.compile();
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
    if (this.skippedAsTotals(cells, row, nameCol)) return;
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

  /** A 合计 / 总计 row, and after one the rows without an ID number (制表人, 备注), are left out with a notice. */
  private skippedAsTotals(cells: Cell[], row: number, nameCol: number | undefined): boolean {
    const idCol = this.colOf.get('idNumber');
    if (idCol !== undefined && !isBlank(cells[idCol] ?? null)) return false;
    const last = nameCol ?? 1;
    for (let col = 1; col <= last && col < cells.length; col++) {
      const c = cells[col];
      if (typeof c === 'string' && TOTALS.test(c.replace(/[\s\u3000]/g, ''))) {
        this.problems.notice('row/totals-skipped', this.sheet, `${columnLetter(col)}${row}`, {}, c.trim());
        this.pastTotals = true;
        return true;
      }
    }
    if (!this.pastTotals) return false;
    this.problems.notice('row/after-totals-skipped', this.sheet, `${columnLetter(nameCol ?? 1)}${row}`);
    return true;
  }

  private checkRow(cells: Cell[], row: number): void {
    // values by field position; a cell reference is built only when a problem needs it
    const v = this.values;
    v.fill(undefined);
    let bad = false;
    for (const f of this.compiled) {
      const c = cells[f.col] ?? null;
      if (c === null || (typeof c === 'string' && isBlank(c))) {
        if (this.monthsOnly && f.spec.kind === 'money' && f.spec.key !== 'monthlyWage') {
          const m = WAGE_KEYS.indexOf(f.spec.key) + 1;
          const list = this.blankMonths.get(row) ?? [];
          list.push(m);
          this.blankMonths.set(row, list);
        }
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
    if (bad || !v[FIELD.name] || !id || !hired || (monthly === undefined && !this.monthsOnly)) return;

    let wagesFen: readonly number[];
    if (monthly === undefined) {
      // the twelve monthly columns alone: a month left blank is checked once the year is known (finish)
      wagesFen = Object.freeze(WAGE_FIELDS.map((k) => (v[k] as number | undefined) ?? 0));
    } else {
      wagesFen = sameWages(monthly);
      for (const i of WAGE_FIELDS)
        if (v[i] !== undefined) {
          wagesFen = Object.freeze(WAGE_FIELDS.map((k) => (v[k] as number | undefined) ?? monthly));
          break;
        }
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
      ...assumedOf(v[FIELD.contractStart] === undefined, id.sex === 'F' && v[FIELD.femalePost] === undefined),
    });
  }

  /**
   * With the twelve monthly columns alone, a month of Y in which the employee was employed (on any of its
   * days) needs its wage: left blank it is an error at that cell and the employee is not counted.
   */
  private checkBlankMonths(y: number): void {
    const dropped = new Set<number>();
    for (const e of this.employees) {
      const blank = this.blankMonths.get(e.row);
      if (!blank) continue;
      for (const m of blank) {
        const first = isoDate(y, m, 1);
        if (e.hired > lastDayOfMonth(y, m) || (e.left !== null && e.left < first)) continue;
        this.problems.forEmployee(e.name);
        this.problems.error('row/month-wage-missing', this.sheet, this.ref(WAGE_KEYS[m - 1], e.row), {
          month: m,
          column: EMPLOYEE_FIELDS[WAGE_FIELDS[m - 1]].zh,
        });
        this.problems.forEmployee(undefined);
        dropped.add(e.row);
      }
    }
    if (!dropped.size) return;
    const kept = this.employees.filter((e) => !dropped.has(e.row));
    this.employees.length = 0;
    this.employees.push(...kept);
  }

  /**
   * Checks that need the employer (its county and year): a wage below the county minimum for a
   * non-disabled employee is a plausible mistake — a warning, reported once per employee.
   */
  finish(employer: Employer, params: Parameters): void {
    const y = employer.year;
    if (this.blankMonths.size) this.checkBlankMonths(y);
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
          const col = this.colOf.get('monthlyWage') ?? this.colOf.get(WAGE_KEYS[m - 1])!;
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
