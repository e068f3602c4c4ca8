/**
 * What a correction changed (docs/rules.md §7: "a correction publishes a new version that says what changed"):
 * entries added, removed, and changed field by field, keyed by the unified social credit code. Pure.
 * A correction with no change is empty and cannot be published.
 */
import { noticeEntries, type NoticeBody, type NoticeRow } from './build-notice';

export const COMPARED_FIELDS = [
  'name',
  'unitType',
  'avgStaff',
  'required',
  'actual',
  'ratio',
  'status',
  'levy',
  'reward',
] as const;
type Field = (typeof COMPARED_FIELDS)[number];

export interface NoticeChange {
  added: { uscc: string; name: string }[];
  removed: { uscc: string; name: string }[];
  changed: { uscc: string; name: string; fields: { field: Field; before: unknown; after: unknown }[] }[];
}

type Compared = NoticeRow & { reward: number };

const rowsOf = (b: NoticeBody) => {
  const reward = new Map(b.rewards.rows.map((r) => [r.uscc, r.reward]));
  return new Map(
    noticeEntries(b).map((r) => [r.uscc, { ...r, reward: reward.get(r.uscc) ?? 0 }] as [string, Compared]),
  );
};

/**
 * Values compared, never their text: money (levy, reward) in whole fen; persons and ratios as numbers within
 * what float storage keeps (0.6 read back from PostgreSQL as 0.6000000238 is 0.6); words as they are.
 */
function sameValue(field: Field, a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (field === 'levy' || field === 'reward') return Math.round(a * 100) === Math.round(b * 100);
    return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

export function diffNotices(before: NoticeBody, after: NoticeBody): NoticeChange {
  const a = rowsOf(before);
  const b = rowsOf(after);
  const out: NoticeChange = { added: [], removed: [], changed: [] };
  for (const [uscc, r] of b) if (!a.has(uscc)) out.added.push({ uscc, name: r.name });
  for (const [uscc, r] of a) if (!b.has(uscc)) out.removed.push({ uscc, name: r.name });
  for (const [uscc, r] of b) {
    const old = a.get(uscc);
    if (!old) continue;
    const fields = COMPARED_FIELDS.filter((f) => !sameValue(f, old[f], r[f])).map((field) => ({
      field,
      before: old[field],
      after: r[field],
    }));
    if (fields.length) out.changed.push({ uscc, name: r.name, fields });
  }
  return out;
}

export const isEmptyChange = (c: NoticeChange | null) =>
  !c || (!c.added.length && !c.removed.length && !c.changed.length);
