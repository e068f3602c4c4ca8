/**
 * GB 32100-2015 unified social credit code: 18 characters from 0-9 and A-Y without I, O, Z, S, V;
 * check character = 31 − (Σ value × weight mod 31), 31 → 0, weights 3^i mod 31.
 */
import { cellText, fail, ok, type Cell, type Parsed } from './result';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  const c = 31 - (sum % 31);
  return CHARSET[c === 31 ? 0 : c];
}

export function parseUscc(c: Cell): Parsed<string> {
  const code = cellText(c).replace(/\s/g, '').toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return fail('cell/uscc-format');
  const expected = usccCheckChar(code);
  if (code[17] !== expected) return fail('cell/uscc-checksum', { expected });
  return ok(code);
}
