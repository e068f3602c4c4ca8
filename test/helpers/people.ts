/** Test data makers: valid resident IDs (GB 11643), credit codes (GB 32100) and certificate numbers. */
import { residentIdCheckChar } from '../../server/ingest/fields/resident-id';
import { usccCheckChar } from '../../server/ingest/fields/uscc';

let seq = 0;

/** A valid 18-character ID for a birth date and sex; `n` picks the sequence (odd digit = male). */
export function makeId(birth: string, sex: 'M' | 'F', area = '330481', n?: number): string {
  const s = n ?? seq++;
  const base = (s % 500) * 2 + (sex === 'M' ? 1 : 0);
  const first17 = area + birth.replace(/-/g, '') + String(base % 1000).padStart(3, '0');
  return first17 + residentIdCheckChar(first17);
}

export function makeUscc(body: string): string {
  const first17 = ('91330481' + body).slice(0, 17).padEnd(17, '0');
  return first17 + usccCheckChar(first17);
}

export function makeCert(id: string, category: number, grade: number): string {
  return `${id}${category}${grade}`;
}

export function resetIds(): void {
  seq = 0;
}
