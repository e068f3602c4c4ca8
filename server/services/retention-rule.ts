/**
 * Retention of raw uploads. Pure. A raw upload holds every employee's name, ID and
 * certificate number; it is kept only as long as it may still be needed:
 *  - 'notice' (default): until the county's notice for the data year has been published and its
 *    公示期 plus a correction window has passed (the last published version counts) — before that the
 *    figures may still be questioned and the roster re-checked;
 *  - 'days': a fixed number of days after upload.
 * An upload with no data year (unreadable, or never processed) expires `orphanDays` after upload.
 * The correction window is not set by the policy text: it is a named setting (default 90 days).
 */
import { addDays } from '../rules/calendar';
import { parseStoredResult } from '../../reports/stored-result';

export interface RetentionPolicy {
  mode: 'notice' | 'days';
  correctionWindowDays: number;
  days: number;
  orphanDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  mode: 'notice',
  correctionWindowDays: 90,
  days: 365,
  orphanDays: 180,
};

/** A timestamp's date plus n days. */
const plusDays = (at: string, n: number) => addDays(at.slice(0, 10), n);

/** The first day on which the raw upload may be deleted, or null while it must be kept. */
export function expiresOn(
  u: { createdAt: string; year: number | null },
  noticePeriodEnd: string | null,
  p: RetentionPolicy,
): string | null {
  if (p.mode === 'days') return plusDays(u.createdAt, p.days);
  if (u.year === null) return plusDays(u.createdAt, p.orphanDays);
  return noticePeriodEnd ? plusDays(noticePeriodEnd, p.correctionWindowDays + 1) : null;
}

export function validPolicy(v: unknown): RetentionPolicy | null {
  const o = v as Partial<RetentionPolicy> | null;
  const int = (x: unknown, min: number, max: number) =>
    Number.isInteger(x) && (x as number) >= min && (x as number) <= max;
  if (!o || (o.mode !== 'notice' && o.mode !== 'days')) return null;
  if (!int(o.correctionWindowDays, 0, 3650) || !int(o.days, 1, 3650) || !int(o.orphanDays, 1, 3650)) return null;
  return { mode: o.mode, correctionWindowDays: o.correctionWindowDays!, days: o.days!, orphanDays: o.orphanDays! };
}

/**
 * A stored result with its personal data removed: every employee name it lists (exclusions, subsidy lists)
 * and every value quoted from the workbook in a problem are replaced wherever they occur, and ID-shaped
 * numbers are masked. The figures, explanations and statuses stay.
 */
export function scrubResult(resultJson: string): string {
  const stored = parseStoredResult(resultJson);
  const r = stored.fields as {
    exclusions?: { name?: string }[];
    counted?: { name?: string }[];
    subsidies?: { list?: { name?: string }[] }[];
  };
  const personal = new Set<string>();
  for (const e of r.exclusions ?? []) if (e.name) personal.add(e.name);
  for (const c of r.counted ?? []) if (c.name) personal.add(c.name);
  for (const s of r.subsidies ?? []) for (const x of s.list ?? []) if (x.name) personal.add(x.name);
  for (const p of stored.problems) {
    if (p.value) personal.add(p.value);
    if (p.employee) personal.add(p.employee);
  }
  let text = resultJson;
  for (const v of [...personal].filter((x) => x.length > 0).sort((a, b) => b.length - a.length))
    text = text.split(JSON.stringify(v).slice(1, -1)).join('（已删除）');
  return text.replace(
    /[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?:\d{2})?/g,
    '（已删除）',
  );
}
