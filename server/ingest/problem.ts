/**
 * Validation problems are data, not exceptions (frictionless-style): a stable code with its parameters,
 * where it is (sheet, row, column, A1 cell), the employee it concerns (masked), what was found, and a
 * message rendered from the code and parameters in the reader's language.
 *
 * A list keeps at most `cap` problems (errors first, so a flood of notices cannot hide an error) and
 * counts every problem by code and severity, so a hostile roster cannot make an unbounded result.
 */
import { maskName } from '../i18n/labels';
import {
  countProblem,
  emptyTotals,
  totalsOf,
  type Problem,
  type ProblemParams,
  type ProblemTotals,
  type StoredProblem,
} from '../rules/result';
import { hasMessage, message, type Lang, type MessageCode } from './messages';

export { emptyTotals, totalsOf };
export type { Problem, ProblemTotals, StoredProblem };

/** How many problems a result keeps; the rest are only counted. */
export const PROBLEM_CAP = 1000;

export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** The message of a problem in a language, from its code and parameters (a stored one without them keeps its text). */
export function renderProblem(p: StoredProblem, lang: Lang): Problem {
  if (hasMessage(p.code) && (p.params !== undefined || p.message === undefined))
    return { ...p, message: message(p.code, p.params ?? {}, lang) };
  return { ...p, message: p.message ?? p.code };
}

/** A problem as stored: without its rendered message, which the viewer's language decides. */
export function storedProblem(p: Problem | StoredProblem): StoredProblem {
  const { message: _rendered, ...rest } = p;
  return rest;
}

const A1 = /^([A-Z]{1,3})(\d+)$/;

export class ProblemList {
  /** Everything found, counted; `items` keeps at most `cap` of them. */
  readonly totals: ProblemTotals = emptyTotals();
  /** The name as written of the employee the problems being added concern, set by the roster parser row by row. */
  private employeeName: unknown;
  /** Its masked form, made when a problem first needs it (most rows have none). */
  private masked: string | undefined;
  private readonly errors: { seq: number; p: Problem }[] = [];
  private readonly others: { seq: number; p: Problem }[] = [];
  private seq = 0;
  private cached: Problem[] | null = null;

  constructor(
    readonly lang: Lang = 'zh',
    readonly cap: number = PROBLEM_CAP,
  ) {}

  /** Sets the employee (by name as written; only its masked form is kept) for the problems that follow. */
  forEmployee(name: unknown): void {
    this.employeeName = name;
    this.masked = undefined;
  }

  /** The employee the problems being added concern, masked; undefined for none. */
  get employee(): string | undefined {
    const name = this.employeeName;
    if (this.masked === undefined && typeof name === 'string' && name.trim()) this.masked = maskName(name.trim());
    return this.masked;
  }

  add(
    severity: Problem['severity'],
    code: MessageCode,
    sheet: string,
    cell: string,
    params: ProblemParams = {},
    value?: unknown,
  ): void {
    const p: Problem = { sheet, cell, severity, code, message: '' };
    const a1 = A1.exec(cell);
    if (a1) {
      p.row = Number(a1[2]);
      p.column = a1[1];
    }
    if (Object.keys(params).length) p.params = params;
    const employee = this.employee;
    if (employee) p.employee = employee;
    if (value !== undefined && value !== null && value !== '') p.value = String(value).slice(0, 200);
    countProblem(this.totals, p);
    // errors are kept first: up to `cap` errors, and other problems only in the room errors leave
    const bucket = severity === 'error' ? this.errors : this.others;
    if (severity === 'error') {
      if (this.errors.length >= this.cap) return;
      if (this.errors.length + this.others.length >= this.cap) this.others.pop();
    } else if (this.errors.length + this.others.length >= this.cap) return;
    p.message = message(code, params, this.lang);
    bucket.push({ seq: this.seq++, p });
    this.totals.kept = this.errors.length + this.others.length;
    this.cached = null;
  }

  error(code: MessageCode, sheet: string, cell: string, params?: ProblemParams, value?: unknown): void {
    this.add('error', code, sheet, cell, params, value);
  }

  warn(code: MessageCode, sheet: string, cell: string, params?: ProblemParams, value?: unknown): void {
    this.add('warning', code, sheet, cell, params, value);
  }

  notice(code: MessageCode, sheet: string, cell: string, params?: ProblemParams, value?: unknown): void {
    this.add('notice', code, sheet, cell, params, value);
  }

  /** The kept problems in the order they were found. */
  get items(): Problem[] {
    if (!this.cached) {
      this.cached = [...this.errors, ...this.others].sort((a, b) => a.seq - b.seq).map((x) => x.p);
    }
    return this.cached;
  }

  get hasErrors(): boolean {
    return this.totals.bySeverity.error > 0;
  }

  /** Whether a problem with a code starting so was found (kept or only counted). */
  hasCode(prefix: string): boolean {
    return Object.keys(this.totals.byCode).some((c) => c.startsWith(prefix));
  }
}
