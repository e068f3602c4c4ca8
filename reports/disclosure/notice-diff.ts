/**
 * What a correction changed (SPEC §7: "a correction publishes a new version that says what changed"):
 * entries added, removed, and changed field by field, keyed by the unified social credit code. Pure.
 */
import type { NoticeBody, NoticeRow } from './build-notice';

export const COMPARED_FIELDS = ['name', 'unitType', 'avgStaff', 'required', 'actual', 'ratio', 'status', 'amount'] as const;
type Field = (typeof COMPARED_FIELDS)[number];

export interface NoticeChange {
  added: { uscc: string; name: string }[];
  removed: { uscc: string; name: string }[];
  changed: { uscc: string; name: string; fields: { field: Field; before: unknown; after: unknown }[] }[];
}

const rowsOf = (b: NoticeBody) => new Map(b.sections.flatMap((s) => s.rows).map((r) => [r.uscc, r] as [string, NoticeRow]));

export function diffNotices(before: NoticeBody, after: NoticeBody): NoticeChange {
  const a = rowsOf(before);
  const b = rowsOf(after);
  const out: NoticeChange = { added: [], removed: [], changed: [] };
  for (const [uscc, r] of b) if (!a.has(uscc)) out.added.push({ uscc, name: r.name });
  for (const [uscc, r] of a) if (!b.has(uscc)) out.removed.push({ uscc, name: r.name });
  for (const [uscc, r] of b) {
    const old = a.get(uscc);
    if (!old) continue;
    const fields = COMPARED_FIELDS.filter((f) => old[f] !== r[f]).map((field) => ({ field, before: old[field], after: r[field] }));
    if (fields.length) out.changed.push({ uscc, name: r.name, fields });
  }
  return out;
}

export const isEmptyChange = (c: NoticeChange) => !c.added.length && !c.removed.length && !c.changed.length;
