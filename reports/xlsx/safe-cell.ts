/**
 * Formula injection guard for every text cell of an .xlsx or .csv export: text that a
 * spreadsheet would run as a formula (starting with = + - @ or their full-width forms, possibly after white space or line breaks) is
 * prefixed with an apostrophe so it is shown, never evaluated. Numbers pass through unchanged.
 */
/**
 * A formula start, also behind leading white space or line breaks (spreadsheets trim them), and in its
 * full-width forms (＝ ＋ － ＠, which some spreadsheets accept as the ASCII sign).
 */
const DANGEROUS = /^[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;

/** A plain ASCII number such as "-300" is a value, not a formula: a spreadsheet shows it as written. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

export function safeText(value: string): string {
  return DANGEROUS.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
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
