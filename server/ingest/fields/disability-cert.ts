/**
 * 《中华人民共和国残疾人证》 number: the holder's 18-character ID + category digit (1 视力 2 听力 3 言语
 * 4 肢体 5 智力 6 精神 7 多重) + grade digit (1–4). It must match the employee's ID number.
 */
import type { Certificate } from '../../rules/types';
import { heldAsNumber, normalizeId } from './resident-id';
import { fail, ok, type Cell, type Parsed } from './result';

export function parseDisabilityCert(c: Cell, idNumber: string | null): Parsed<Certificate & { number: string }> {
  if (heldAsNumber(c)) return fail('cell/cert-number-cell');
  const n = normalizeId(c);
  if (!/^\d{17}[\dX][1-7][1-4]$/.test(n)) return fail('cell/cert-format');
  if (idNumber !== null && n.slice(0, 18) !== idNumber) return fail('cell/cert-mismatch');
  return ok({ number: n, category: +n[18], grade: +n[19] });
}
