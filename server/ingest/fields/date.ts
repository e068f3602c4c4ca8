/**
 * docs/rules.md §3: dates may be real spreadsheet dates, serial numbers, ISO text (2025-03-01), 2025/3/1,
 * 2025.3.1, 20250301 (as text or typed as a number) or Chinese text (2025年3月1日), each also with a time
 * (2025/3/1 0:00:00, as WPS writes a date-time as text); full-width digits are folded first.
 */
import { isoDate, isValidISODate, type ISODate } from '../../rules/calendar';
import { cellText, fail, ok, type Cell, type Parsed } from './result';

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

const byTime = new Map<number, Parsed<ISODate>>();

export function parseDate(c: Cell): Parsed<ISODate> {
  if (c instanceof Date) {
    const t = c.getTime();
    if (Number.isNaN(t)) return fail('cell/date');
    // exceljs yields UTC midnight; a date-time keeps its date. Rosters repeat dates: one string each.
    let hit = byTime.get(t);
    if (!hit) {
      hit = ok(isoDate(c.getUTCFullYear(), c.getUTCMonth() + 1, c.getUTCDate()));
      if (byTime.size < 50_000) byTime.set(t, hit);
    }
    return hit;
  }
  if (typeof c === 'number') {
    // 20200301 typed into a General cell: the digits of a date, not a serial (serials stop at 2958465, 9999-12-31)
    if (Number.isInteger(c) && c >= 19000101 && c <= 29991231) return parseDate(String(c));
    if (!(c >= 1 && c < 2958466)) return fail('cell/date');
    const d = new Date(EXCEL_EPOCH + Math.floor(c) * 86_400_000);
    return ok(isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()));
  }
  const s = cellText(c);
  let m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(s);
  if (!m) m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) {
    // a date-time as text: keep the date part
    const t = /^(\d{4})-(\d{2})-(\d{2})[T ]\d{1,2}:\d{2}/.exec(s);
    if (t) m = t;
  }
  if (!m) return fail('cell/date');
  const iso = isoDate(+m[1], +m[2], +m[3]);
  return isValidISODate(iso) ? ok(iso) : fail('cell/date');
}
