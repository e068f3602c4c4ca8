import type { MessageCode } from '../messages';

/** What a field parser returns: a value, or the problem code (and message parameters) to report. */
export type Parsed<T> =
  { ok: true; value: T } | { ok: false; code: MessageCode; params?: Record<string, string | number> };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = (code: MessageCode, params?: Record<string, string | number>): Parsed<never> => ({
  ok: false,
  code,
  params,
});

/** A cell as the readers hand it over: already reduced from rich text, formulas and links. */
export type Cell = string | number | boolean | Date | null;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Cell text, full width folded to half width (NFKC), trimmed. ASCII text skips the normalisation. */
export function cellText(c: Cell): string {
  if (c === null) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  const s = String(c);
  return (PRINTABLE_ASCII.test(s) ? s : s.normalize('NFKC')).trim();
}

export function isBlank(c: Cell): boolean {
  return c === null || (typeof c === 'string' && c.trim() === '');
}
