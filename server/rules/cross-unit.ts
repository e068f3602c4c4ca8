/**
 * docs/rules.md §4.2 — one person, one unit, one month. L72 art. 8 counts a disabled person as employed by the
 * unit that employs them; 残联厅函〔2022〕63号 一、(三)–(四) counts by month and, where the unit paying the wage and
 * the unit paying social insurance differ, at the unit holding the labour contract (CDPF63). Where two units count
 * the same person in one month, one month goes to one unit. Which one, by default, the sources do not settle: the
 * named setting `crossUnitKeeper` (I12) reads it as the unit that paid social insurance for the month, else the
 * unit the person joined first, else the officer decides; 'officer' leaves every month to the officer.
 */
import type { ISODate } from './calendar';

export type CrossUnitKeeper = 'insured-then-earlier-entry' | 'officer';
export const CROSS_UNIT_KEEPERS: readonly CrossUnitKeeper[] = ['insured-then-earlier-entry', 'officer'];

/** What one unit says about the person. */
export interface UnitClaim {
  /** bit m − 1: social insurance paid for month m; null: every month employed */
  insuredMask: number | null;
  hired: ISODate;
}

const insuredIn = (c: UnitClaim, month: number) => c.insuredMask === null || (c.insuredMask & (1 << (month - 1))) !== 0;

/** Which unit keeps a month both count under the reading (I12): 'a', 'b', or null when the officer decides. */
export function suggestedKeeper(a: UnitClaim, b: UnitClaim, month: number, reading: CrossUnitKeeper): 'a' | 'b' | null {
  if (reading === 'officer') return null;
  const ia = insuredIn(a, month),
    ib = insuredIn(b, month);
  if (ia !== ib) return ia ? 'a' : 'b';
  if (a.hired !== b.hired) return a.hired < b.hired ? 'a' : 'b';
  return null;
}
