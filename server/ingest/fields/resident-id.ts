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

export function normalizeId(c: Cell): string {
  return cellText(c).replace(/\s/g, '').toUpperCase();
}

export function parseResidentId(c: Cell): Parsed<ResidentId> {
  const id = normalizeId(c);
  if (!/^\d{17}[\dX]$/.test(id)) return fail('cell/id-format');
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isValidISODate(birth)) return fail('cell/id-birth', { birth });
  const expected = residentIdCheckChar(id);
  if (id[17] !== expected) return fail('cell/id-checksum', { expected });
  return ok({ idNumber: id, birthDate: birth, sex: (id.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F' });
}
