/**
 * Calendar arithmetic on ISO dates ('YYYY-MM-DD') without time zones. Dates are compared as strings.
 * Months are counted as y * 12 + (m - 1) ("month index") where a rule counts in months (R24).
 */
export type ISODate = string;

export function isValidISODate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const y = +m[1],
    mo = +m[2],
    d = +m[3];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function isoDate(y: number, m: number, d: number): ISODate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function parts(date: ISODate): { y: number; m: number; d: number } {
  return { y: +date.slice(0, 4), m: +date.slice(5, 7), d: +date.slice(8, 10) };
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function lastDayOfMonth(y: number, m: number): ISODate {
  return isoDate(y, m, daysInMonth(y, m));
}

export function addDays(date: ISODate, days: number): ISODate {
  const { y, m, d } = parts(date);
  const t = Date.UTC(y, m - 1, d) + days * 86_400_000;
  const dt = new Date(t);
  return isoDate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

/**
 * The same day `years` later, per 民法典 art. 202 (a period in years ends on the corresponding day of the
 * last month; without such a day, on that month's last day): 2024-02-29 + 1 year = 2025-02-28, so
 * "start + 1 year − 1 day" of 2024-02-29 is 2025-02-27 (docs/rules.md §4 step 2.3).
 */
export function addYears(date: ISODate, years: number): ISODate {
  const { y, m, d } = parts(date);
  return isoDate(y + years, m, Math.min(d, daysInMonth(y + years, m)));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: ISODate, to: ISODate): number {
  const a = parts(from),
    b = parts(to);
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
}

export function monthIndex(y: number, m: number): number {
  return y * 12 + (m - 1);
}

export function monthIndexOf(date: ISODate): number {
  const { y, m } = parts(date);
  return monthIndex(y, m);
}

function monthOfIndex(idx: number): { y: number; m: number } {
  return { y: Math.floor(idx / 12), m: (idx % 12) + 1 };
}

export function formatMonthIndex(idx: number): string {
  const { y, m } = monthOfIndex(idx);
  return `${y}-${String(m).padStart(2, '0')}`;
}

export const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;
