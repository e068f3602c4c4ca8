/** Yes/no, whole numbers and closed lists. */
import { cellText, fail, ok, type Cell, type Parsed } from './result';

const YES = new Set(['是', 'y', 'yes', '1', 'true', '√', '✓', '对']);
const NO = new Set(['否', 'n', 'no', '0', 'false', '×', '✗', '不是']);

export function parseBool(c: Cell): Parsed<boolean> {
  if (typeof c === 'boolean') return ok(c);
  const s = cellText(c).toLowerCase();
  if (YES.has(s)) return ok(true);
  if (NO.has(s)) return ok(false);
  return fail('cell/bool');
}

export function parseInt0(c: Cell, min: number, max = Number.MAX_SAFE_INTEGER): Parsed<number> {
  const s = typeof c === 'number' ? String(c) : cellText(c).replace(/[,，]/g, '');
  if (!/^\d+(\.0+)?$/.test(s)) return fail('cell/integer', { min });
  const n = Math.trunc(Number(s));
  return n >= min && n <= max ? ok(n) : fail('cell/integer', { min });
}

const enumCache = new WeakMap<readonly string[], Map<unknown, Parsed<string>>>();

/** A value from a closed list; results are memoised per list and cell value (rosters repeat them). */
export function parseEnum<T extends string>(c: Cell, values: readonly T[]): Parsed<T> {
  let memo = enumCache.get(values);
  if (!memo) enumCache.set(values, (memo = new Map()));
  const key = c instanceof Date ? c.getTime() : c;
  const hit = memo.get(key);
  if (hit) return hit as Parsed<T>;
  const s = cellText(c).replace(/\s/g, '');
  const found = values.find((v) => v.normalize('NFKC') === s);
  const r: Parsed<T> = found ? ok(found) : fail('cell/enum', { allowed: values.join('、') });
  if (memo.size < 1000) memo.set(key, r);
  return r;
}
