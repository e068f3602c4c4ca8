/** Query-string values the bureau and public pages share: a year, the data year shown by default, a date. */
import { isValidISODate } from '../rules/calendar';
import { todayInChina } from '../services/notices';

export const queryYear = (v: unknown): number | undefined => (/^\d{4}$/.test(String(v ?? '')) ? Number(v) : undefined);

/** The year asked for, or the last full year — the one employers report on during this one. */
export const dataYearOf = (v: unknown): number => queryYear(v) ?? Number(todayInChina().slice(0, 4)) - 1;

/** The date asked for (YYYY-MM-DD), or today in 嘉兴. */
export const queryDate = (v: unknown): string => (typeof v === 'string' && isValidISODate(v) ? v : todayInChina());
