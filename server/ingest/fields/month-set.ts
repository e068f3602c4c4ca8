/** Insured months: "1-12", "1-6,9-12", "1～6、9～12", "3" → sorted months 1–12. */
import { cellText, fail, ok, type Cell, type Parsed } from './result';

const cache = new Map<string, Parsed<readonly number[]>>();

/** Most rosters repeat a handful of values ("1-12"): parsed once each. The arrays are frozen: shared between rows. */
export function parseMonthSet(c: Cell): Parsed<readonly number[]> {
  const key = typeof c === 'string' ? c : String(c);
  const hit = cache.get(key);
  if (hit) return hit;
  const r = parseMonthSetUncached(c);
  if (cache.size < 1000) cache.set(key, r);
  return r;
}

function parseMonthSetUncached(c: Cell): Parsed<readonly number[]> {
  const s = cellText(c).replace(/月/g, '');
  if (!s) return fail('cell/insured-months');
  const months = new Set<number>();
  for (const part of s.split(/[,，、;；\s]+/).filter(Boolean)) {
    const m = /^(\d{1,2})(?:\s*[-~～–—至]\s*(\d{1,2}))?$/.exec(part);
    if (!m) return fail('cell/insured-months');
    const a = +m[1],
      b = m[2] !== undefined ? +m[2] : a;
    if (a < 1 || b > 12 || a > b) return fail('cell/insured-months');
    for (let i = a; i <= b; i++) months.add(i);
  }
  return ok(Object.freeze([...months].sort((x, y) => x - y)));
}
