/**
 * GB 11643-1999 citizen identity number: 6-digit address code, 8-digit birth date, 3-digit sequence
 * (odd = male), check character = ISO 7064 MOD 11-2 over the first 17 digits.
 */
import { isValidISODate, type ISODate } from '../../rules/calendar';
import { cellText, fail, ok, type Cell, type Parsed } from './result';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[sum % 11];
}

export interface ResidentId {
  idNumber: string;
  birthDate: ISODate;
  sex: 'M' | 'F';
}

const NORMAL_ID = /^\d{17}[\dX]$/;

export function normalizeId(c: Cell): string {
  if (typeof c === 'string' && NORMAL_ID.test(c)) return c; // already normal: no copy
  return cellText(c).replace(/\s/g, '').toUpperCase();
}

const births = new Map<number, { birth: ISODate; valid: boolean }>();
/** Birth dates repeat across a roster: one string (and one validity check) per distinct date. `id` has 17 digits first. */
function birthOf(id: string): { birth: ISODate; valid: boolean } {
  let key = 0;
  for (let i = 6; i < 14; i++) key = key * 10 + (id.charCodeAt(i) - 48);
  let b = births.get(key);
  if (!b) {
    const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
    b = { birth, valid: isValidISODate(birth) };
    if (births.size < 50_000) births.set(key, b);
  }
  return b;
}

/**
 * An ID or certificate number the spreadsheet holds as a number, or as the text of one written in
 * scientific notation ("1.10101E+17", what a CSV saved from Excel holds): Excel keeps 15 significant
 * digits, so the last digits are already lost. It is never read as a number: what is left could pass the
 * check digit by chance (about 1 in 11) and count the wrong person.
 */
export function heldAsNumber(c: Cell): boolean {
  return typeof c === 'number' || (typeof c === 'string' && /^\s*\d(?:\.\d+)?e\+?\d+\s*$/i.test(c));
}

export function parseResidentId(c: Cell): Parsed<ResidentId> {
  if (typeof c === 'number') return fail('cell/id-number-cell');
  const id = normalizeId(c);
  if (!NORMAL_ID.test(id)) return fail(heldAsNumber(c) ? 'cell/id-number-cell' : 'cell/id-format');
  const { birth, valid } = birthOf(id);
  if (!valid) return fail('cell/id-birth', { birth });
  const expected = residentIdCheckChar(id);
  if (id[17] !== expected) return fail('cell/id-checksum', { expected });
  return ok({ idNumber: id, birthDate: birth, sex: (id.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F' });
}
