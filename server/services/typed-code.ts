/**
 * A number or code as people type it from paper: a Chinese input method gives full-width digits and
 * letters and a full-width dash (－), a word processor turns a hyphen into an en or em dash, and codes
 * are copied with spaces in them. The public checks of certificates and receipts compare the
 * normalised form, so "330481－2025－0001" and "330481 - 2025 - 0001" find the same certificate.
 */
const DASHES = /[\u2010-\u2015\u2212\u30FC\uFE58\uFE63\uFF0D]/g;
const SPACES = /[\s\u3000]+/g;

export function normaliseTypedCode(typed: string): string {
  return typed.normalize('NFKC').replace(DASHES, '-').replace(SPACES, '');
}
