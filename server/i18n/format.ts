/**
 * The one formatter for figures and times (UX.md §2), used by pages, exports, reports, notices, the CLI
 * and the audit view: money 63,720.00 元 (万元 for bureau totals), counts, percentages 0.83 %, Chinese
 * official dates 2026年11月29日 and system times 2026-11-29 11:28 — always Beijing time (Asia/Shanghai,
 * UTC+8 all year, no daylight saving), whatever the server's own time zone.
 */
import type { Lang } from './t';

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** Groups the integer part with commas: 63720 → "63,720". */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** An amount in 元 as digits: 63720 → "63,720.00". Exact for any amount already held to the fen. */
export function amount(yuan: number): string {
  if (!Number.isFinite(yuan)) return '';
  const fen = Math.round(Math.abs(yuan) * 100);
  const sign = yuan < 0 && fen > 0 ? '−' : '';
  return `${sign}${group(String(Math.floor(fen / 100)))}.${String(fen % 100).padStart(2, '0')}`;
}

/** An amount with its unit: "63,720.00 元" / "63,720.00 yuan". */
export function yuan(value: number, lang: Lang = 'zh'): string {
  return `${amount(value)} ${lang === 'en' ? 'yuan' : '元'}`;
}

/** An amount held in fen (integer) as 元. */
export function yuanFromFen(fen: number, lang: Lang = 'zh'): string {
  return yuan(fen / 100, lang);
}

/** A total for the bureau: "6.37 万元" / "63.72 thousand yuan" (two decimals, unit always shown). */
export function wan(value: number, lang: Lang = 'zh'): string {
  if (!Number.isFinite(value)) return '';
  if (lang === 'en') return `${(Math.round(value / 10) / 100).toFixed(2)} thousand yuan`;
  return `${(Math.round(value / 100) / 100).toFixed(2)} 万元`;
}

/** A count of persons or months: whole numbers as they are, fractions with two decimals (12.50). */
export function count(n: number): string {
  if (!Number.isFinite(n)) return '';
  return Number.isInteger(n) ? group(String(n)) : n.toFixed(2);
}

/**
 * A number inside a formula in words, so that the formula reproduces its result with the numbers shown: exact
 * when it ends within eight decimals (0.3125, 88,303.45), at least `minDecimals` (2 for money, 2 for a fraction
 * of a person), and to eight decimals (`maxDecimals`) followed by "…" when it does not end (1,671.66666667…).
 */
export function exactNumber(n: number, minDecimals = 0, maxDecimals = 8): string {
  if (!Number.isFinite(n)) return '';
  const sign = n < 0 ? '−' : '';
  const [int, dec = ''] = Math.abs(n).toFixed(10).split('.');
  let digits = dec.replace(/0+$/, '');
  let whole = int;
  let more = '';
  if (digits.length > maxDecimals) {
    [whole, digits] = Math.abs(n).toFixed(maxDecimals).split('.');
    more = '…';
  }
  if (digits.length < minDecimals) digits = digits.padEnd(minDecimals, '0');
  const out = `${group(whole)}${digits ? `.${digits}` : ''}${more}`;
  return /[1-9]/.test(out) ? `${sign}${out}` : out;
}

/** A ratio as a percentage with two decimals: 0.0083 → "0.83 %". */
export function percent(ratio: number, decimals = 2): string {
  if (!Number.isFinite(ratio)) return '';
  return `${(ratio * 100).toFixed(decimals)} %`;
}

/** A moment as a Date: ISO strings (with or without Z; without a zone means UTC, as stored), Dates, epoch ms. */
function toDate(at: string | Date | number): Date | null {
  if (at instanceof Date) return Number.isNaN(at.getTime()) ? null : at;
  if (typeof at === 'number') return new Date(at);
  const s = at.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const iso = /[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s.replace(' ', 'T')}Z`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The Beijing wall clock of a moment, as ISO parts. */
function beijingParts(d: Date): { date: string; time: string } {
  const iso = new Date(d.getTime() + BEIJING_OFFSET_MS).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** A system record's time in Beijing: "2026-11-29 11:28". Empty for nothing. */
export function systemTime(at: string | Date | number | null | undefined): string {
  if (at === null || at === undefined || at === '') return '';
  const d = toDate(at);
  if (!d) return typeof at === 'string' ? at : '';
  const p = beijingParts(d);
  return `${p.date} ${p.time}`;
}

/** Today's date in Beijing, "2026-11-29" (the notice period, deadlines and future-date checks count Beijing days). */
export function beijingToday(now: Date = new Date()): string {
  return beijingParts(now).date;
}

/** The Beijing calendar date of a moment or of a date ("2026-11-29"). */
export function beijingDate(at: string | Date | number): string {
  if (typeof at === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(at.trim())) return at.trim();
  const d = toDate(at);
  return d ? beijingParts(d).date : '';
}

const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** An official document's date, no clock time: "2026年11月29日" / "29 November 2026". */
export function officialDate(at: string | Date | number | null | undefined, lang: Lang = 'zh'): string {
  if (at === null || at === undefined || at === '') return '';
  const iso = beijingDate(at);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return '';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return lang === 'en' ? `${d} ${EN_MONTHS[mo - 1]} ${y}` : `${y}年${mo}月${d}日`;
}

/** Months of a year as runs: 1–3月、7月 / January–March, July. */
export function monthRanges(months: readonly number[], lang: Lang = 'zh'): string {
  const sorted = [...new Set(months)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const m of sorted) {
    const last = runs.at(-1);
    if (last && m === last[1] + 1) last[1] = m;
    else runs.push([m, m]);
  }
  const name = (m: number) => (lang === 'en' ? EN_MONTHS[m - 1] : String(m));
  return runs
    .map(([a, b]) => (a === b ? name(a) : `${name(a)}–${name(b)}`) + (lang === 'en' ? '' : '月'))
    .join(lang === 'en' ? ', ' : '、');
}
