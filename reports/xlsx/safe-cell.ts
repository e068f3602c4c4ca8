/**
 * Formula injection guard for every text cell of an .xlsx or .csv export (issue #5.6): text that a
 * spreadsheet would run as a formula (starting with = + - @, or a tab / carriage return before one) is
 * prefixed with an apostrophe so it is shown, never evaluated. Numbers pass through unchanged.
 */
const DANGEROUS = /^[=+\-@\t\r]/;

export function safeText(value: string): string {
  return DANGEROUS.test(value) ? `'${value}` : value;
}

export function safeCell<T>(value: T): T | string {
  return typeof value === 'string' ? safeText(value) : value;
}

/** One CSV field: neutralised, then quoted when it holds a comma, quote or line break. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const s = safeText(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
