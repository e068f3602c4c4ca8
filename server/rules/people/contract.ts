/**
 * docs/rules.md §4 step 2.3 (L72 art. 8, L52): "依法与用人单位签订1年以上（含1年）劳动合同（服务协议）".
 * One year means open-ended, or contract_end ≥ contract_start + 1 year − 1 day (2025-01-01 … 2025-12-31 is one year).
 * "+ 1 year" follows 民法典 art. 202 (see addYears): 2024-02-29 … 2025-02-27 is one year.
 */
import { addDays, addYears, type ISODate } from '../calendar';

const oneYearEnds = new Map<ISODate, ISODate>();
/** start + 1 year − 1 day; rosters repeat start dates, so each is worked out once. */
function oneYearEnd(start: ISODate): ISODate {
  let end = oneYearEnds.get(start);
  if (end === undefined) {
    end = addDays(addYears(start, 1), -1);
    if (oneYearEnds.size < 50_000) oneYearEnds.set(start, end);
  }
  return end;
}

export function contractAtLeastOneYear(start: ISODate, end: ISODate | null): boolean {
  return end === null || end >= oneYearEnd(start);
}

export function contractCovers(start: ISODate, end: ISODate | null, day: ISODate): boolean {
  return start <= day && (end === null || end >= day);
}

export function employedOn(hired: ISODate, left: ISODate | null, day: ISODate): boolean {
  return hired <= day && (left === null || left >= day);
}
