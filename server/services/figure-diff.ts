/**
 * Whether a figure changed between two versions: values compared, never their text. Money is compared in
 * whole fen (the unit it is rounded to); counts and averages of persons as numbers, with the tolerance of how
 * they are stored (a float column keeps about seven significant digits on PostgreSQL, so 0.6 may come back
 * as 0.6000000238); statuses as codes.
 */
const MONEY = /payable|total|Ceiling|full|wageBase|taxForm\.col(4|8|9|10|11|12)$/;

export const isMoneyFigure = (figure: string) => MONEY.test(figure);

/** Relative tolerance for persons: finer than any figure shown (two decimals), coarser than float storage. */
const PERSONS_TOLERANCE = 1e-6;

export function sameFigure(figure: string, a: number | string, b: number | string): boolean {
  const x = typeof a === 'string' && a.trim() !== '' && !Number.isNaN(Number(a)) ? Number(a) : a;
  const y = typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b)) ? Number(b) : b;
  if (typeof x === 'number' && typeof y === 'number') {
    if (isMoneyFigure(figure)) return Math.round(x * 100) === Math.round(y * 100);
    return Math.abs(x - y) <= PERSONS_TOLERANCE * Math.max(1, Math.abs(x), Math.abs(y));
  }
  return x === y;
}
