/**
 * SPEC §3.2 — sheet 职工名册, one row per employee. Pure and incremental: the streaming readers hand
 * it one row of cells at a time; it finds the header (even below title rows), maps columns in any
 * order, and turns each row into an Employee or into cell-precise problems — all of them, never
 * stopping at the first. Once a required column is missing its cells are not checked row by row.
 */
import { lastDayOfMonth, MONTHS, type ISODate } from '../rules/calendar';
import { Q } from '../rules/money';
import { minWage } from '../rules/parameters/lookup';
import type { Parameters } from '../rules/parameters/table';
import type { Certificate, Employee, Employer, EmploymentForm, FemalePost } from '../rules/types';
import { EMPLOYMENT_FORMS, FEMALE_POSTS } from '../rules/types';
import { CATEGORY_NAMES, EMPLOYEE_FIELDS, EMPLOYEE_INDEX, EXAMPLE_MARK, normalizeHeader, type FieldSpec } from './columns';
import { parseDate } from './fields/date';
import { parseDisabilityCert } from './fields/disability-cert';
import { parseMonthSet } from './fields/month-set';
import { parseMoneyFen } from './fields/money';
import { parseResidentId } from './fields/resident-id';
import { cellText, isBlank, type Cell, type Parsed } from './fields/result';
import { parseBool, parseEnum, parseInt0 } from './fields/scalar';
import { columnLetter, type ProblemList } from './problem';

/** How many rows from the top are searched for the header. */
export const HEADER_SEARCH_ROWS = 30;

export class RosterParser {
  readonly employees: Employee[] = [];
  headerRow: number | null = null;
  rowsRead = 0;
  private readonly colOf = new Map<string, number>();
  private readonly seenIds = new Map<string, number>();

  constructor(readonly sheet: string, private readonly problems: ProblemList, private readonly today: ISODate) {}

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
    if (this.headerRow === null) this.problems.error('header/not-found', this.sheet, 'A1', { rows: HEADER_SEARCH_ROWS });
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
      if (this.colOf.has(f.key)) this.problems.notice('header/duplicate-column', this.sheet, `${columnLetter(col)}${row}`, { column: f.zh });
      else this.colOf.set(f.key, col);
    }
    cells.forEach((c, col) => {
      if (!isBlank(c) && !(typeof c === 'string' && EMPLOYEE_INDEX.has(normalizeHeader(c)))) {
        this.problems.notice('header/unknown-column', this.sheet, `${columnLetter(col)}${row}`, { column: cellText(c).slice(0, 60) });
      }
    });
    for (const f of EMPLOYEE_FIELDS) {
      if (f.required && !this.colOf.has(f.key)) this.problems.error('header/missing-column', this.sheet, `A${row}`, { column: f.zh, en: f.en });
    }
    return true;
  }

  private parseRow(cells: Cell[], row: number): void {
    if (cells.every(isBlank)) return;
    const get = (key: string): Cell => {
      const col = this.colOf.get(key);
      return col === undefined ? null : cells[col] ?? null;
    };
    const at = (key: string) => `${columnLetter(this.colOf.get(key) ?? 1)}${row}`;
    if (cellText(get('name')).startsWith(EXAMPLE_MARK.normalize('NFKC'))) {
      this.problems.notice('row/example-skipped', this.sheet, at('name'));
      return;
    }
    let bad = false;
    const field = <T>(key: string, parse: (c: Cell) => Parsed<T>): T | null => {
      const spec = EMPLOYEE_FIELDS.find((f) => f.key === key)!;
      if (!this.colOf.has(key)) return null;
      const c = get(key);
      if (isBlank(c)) {
        if (spec.required) { this.problems.error('cell/required', this.sheet, at(key), { column: spec.zh }); bad = true; }
        return null;
      }
      const r = parse(c);
      if (!r.ok) {
        this.problems.error(r.code, this.sheet, at(key), { column: spec.zh, ...r.params }, cellText(c));
        bad = true;
        return null;
      }
      return r.value;
    };

    const name = field('name', (c) => ({ ok: true, value: cellText(c).slice(0, 100) }));
    const id = field('idNumber', parseResidentId);
    if (id) {
      const first = this.seenIds.get(id.idNumber);
      if (first !== undefined) { this.problems.error('row/duplicate-id', this.sheet, at('idNumber'), { firstRow: first }); bad = true; }
      else this.seenIds.set(id.idNumber, row);
    }
    const cert = field('disabilityCert', (c) => parseDisabilityCert(c, id?.idNumber ?? null));
    const veteranGrade = field('veteranGrade', (c) => {
      const r = parseInt0(c, 1, 8);
      return r.ok ? r : { ok: false as const, code: 'cell/veteran-grade' as const };
    });
    const hired = field('hired', parseDate);
    const left = field('left', parseDate);
    const contractStart = field('contractStart', parseDate);
    const contractEnd = field('contractEnd', parseDate);
    const form = field('employmentForm', (c) => parseEnum<EmploymentForm>(c, EMPLOYMENT_FORMS)) ?? '全日制';
    const dispatchHere = field('dispatchCountedHere', parseBool) ?? false;
    const insured = field('insuredMonths', parseMonthSet);
    const monthly = field('monthlyWage', (c) => parseMoneyFen(c));
    const perMonth = MONTHS.map((m) => field(`wage${String(m).padStart(2, '0')}`, (c) => parseMoneyFen(c)));
    const post = field('femalePost', (c) => parseEnum<FemalePost>(c, FEMALE_POSTS)) ?? '工人';
    const category = cellText(get('category'));

    if (hired && left && left < hired) { this.problems.error('row/left-before-hired', this.sheet, at('left'), { left, hired }); bad = true; }
    const start = contractStart ?? hired;
    if (start && contractEnd && contractEnd < start) { this.problems.error('row/contract-end-before-start', this.sheet, at('contractEnd'), { end: contractEnd, start }); bad = true; }
    if (hired && hired > this.today) this.problems.warn('cell/future-date', this.sheet, at('hired'), { column: '入职日期', date: hired });
    if (dispatchHere && form !== '劳务派遣') this.problems.notice('row/dispatch-flag-ignored', this.sheet, at('dispatchCountedHere'));
    if (cert && category) {
      const idx = CATEGORY_NAMES.findIndex((n) => category.includes(n));
      if (idx >= 0 && idx + 1 !== cert.category) {
        this.problems.warn('cell/cert-category-mismatch', this.sheet, at('category'), { category, certCategory: `${cert.category}（${CATEGORY_NAMES[cert.category - 1]}）` });
      }
    }
    if (bad || !name || !id || !hired || monthly === null) return;

    const certificate: Certificate | null = cert ? { category: cert.category, grade: cert.grade } : null;
    this.employees.push({
      row, name, idNumber: id.idNumber, birthDate: id.birthDate, sex: id.sex,
      cert: certificate, veteranGrade, hired, left, contractStart: start!, contractEnd,
      form, dispatchCountedHere: form === '劳务派遣' && dispatchHere, insuredMonths: insured,
      wagesFen: perMonth.map((w) => w ?? monthly), femalePost: post,
    });
  }

  /**
   * Checks that need the employer (its county and year): a wage below the county minimum for a
   * non-disabled employee is a plausible mistake — a warning, reported once per employee.
   */
  finish(employer: Employer, params: Parameters): void {
    const y = employer.year;
    for (const e of this.employees) {
      if (e.cert || e.veteranGrade !== null) continue;
      for (const m of MONTHS) {
        const day = lastDayOfMonth(y, m);
        if (e.hired > day || (e.left !== null && e.left < day)) continue;
        const min = minWage(params, employer.county, day).value;
        if (min.mul(100).gt(Q.of(e.wagesFen[m - 1]))) {
          const col = this.colOf.get('monthlyWage')!;
          this.problems.warn('row/wage-below-minimum', this.sheet, `${columnLetter(col)}${e.row}`, { month: m, wage: (e.wagesFen[m - 1] / 100).toFixed(2), minWage: min.toFixed(2) });
          break;
        }
      }
    }
  }
}
