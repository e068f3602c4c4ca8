/** Notices and their objections. Drafts are edited; published rows are never updated (see the migration's trigger). */
import type { Knex } from 'knex';
import type { NoticeBody } from '../../reports/disclosure/build-notice';
import type { NoticeChange } from '../../reports/disclosure/notice-diff';

export interface NoticeRow {
  id: number;
  county: string;
  year: number;
  status: 'draft' | 'published';
  version: number | null;
  title: string;
  /** 'both' since a notice carries the levy and the reward lists; levy | reward | none on older notices */
  amount_column: string;
  body_json: string;
  replaces_id: number | null;
  change_json: string | null;
  change_note: string | null;
  doc_no: string | null;
  publisher: string | null;
  objection_contact: string | null;
  contact_person: string | null;
  telephone: string | null;
  address: string | null;
  office_hours: string | null;
  period_start: string | null;
  period_end: string | null;
  created_by: number;
  created_at: string;
  updated_at: string;
  published_by: number | null;
  published_at: string | null;
}

export interface Notice extends NoticeRow {
  /** As stored: a body written in the older layout is brought to the current one by the notices service. */
  body: NoticeBody;
  change: NoticeChange | null;
}

const parse = (r: NoticeRow | undefined): Notice | undefined =>
  r && {
    ...r,
    body: JSON.parse(r.body_json) as NoticeBody,
    change: r.change_json ? (JSON.parse(r.change_json) as NoticeChange) : null,
  };

const idOf = (row: unknown) => (typeof row === 'object' && row !== null ? (row as { id: number }).id : (row as number));

export const findNotice = async (db: Knex, id: number) => parse(await db('notices').where({ id }).first());

/** Without the body: lists stay small whatever the notice size. */
const LIST_COLUMNS = [
  'id',
  'county',
  'year',
  'status',
  'version',
  'title',
  'replaces_id',
  'doc_no',
  'period_start',
  'period_end',
  'published_at',
  'created_at',
  'updated_at',
];
export type NoticeSummary = Pick<
  NoticeRow,
  | 'id'
  | 'county'
  | 'year'
  | 'status'
  | 'version'
  | 'title'
  | 'replaces_id'
  | 'doc_no'
  | 'period_start'
  | 'period_end'
  | 'published_at'
  | 'created_at'
  | 'updated_at'
>;

export async function listNotices(
  db: Knex,
  f: { county?: string; year?: number; status?: 'draft' | 'published' },
): Promise<NoticeSummary[]> {
  const q = db('notices').select(LIST_COLUMNS);
  if (f.county) q.where({ county: f.county });
  if (f.year) q.where({ year: f.year });
  if (f.status) q.where({ status: f.status });
  return q.orderBy([
    { column: 'year', order: 'desc' },
    { column: 'county' },
    { column: 'version', order: 'desc' },
    { column: 'id', order: 'desc' },
  ]);
}

export const findDraft = async (db: Knex, county: string, year: number) =>
  parse(await db('notices').where({ county, year, status: 'draft' }).first());

/** The notice that replaced this one, if any. */
export async function findReplacement(db: Knex, id: number): Promise<NoticeSummary | undefined> {
  return db('notices').select(LIST_COLUMNS).where({ replaces_id: id, status: 'published' }).first();
}

export async function insertDraft(
  db: Knex | Knex.Transaction,
  n: Pick<
    NoticeRow,
    | 'county'
    | 'year'
    | 'title'
    | 'amount_column'
    | 'body_json'
    | 'replaces_id'
    | 'change_json'
    | 'created_by'
    | 'doc_no'
    | 'period_start'
    | 'period_end'
  >,
): Promise<number> {
  const now = new Date().toISOString();
  const [row] = await db('notices')
    .insert({ ...n, status: 'draft', created_at: now, updated_at: now })
    .returning('id');
  return idOf(row);
}

/** Updates a draft only; returns false when the row is not (or no longer) a draft. */
export async function updateDraft(
  db: Knex | Knex.Transaction,
  id: number,
  patch: Partial<
    Pick<
      NoticeRow,
      'amount_column' | 'body_json' | 'change_json' | 'doc_no' | 'period_start' | 'period_end' | 'change_note'
    >
  >,
): Promise<boolean> {
  return (
    (await db('notices')
      .where({ id, status: 'draft' })
      .update({ ...patch, updated_at: new Date().toISOString() })) === 1
  );
}

export async function deleteDraft(db: Knex | Knex.Transaction, id: number): Promise<boolean> {
  return (await db('notices').where({ id, status: 'draft' }).del()) === 1;
}

export async function publishDraft(
  trx: Knex.Transaction,
  id: number,
  p: Pick<
    NoticeRow,
    'publisher' | 'objection_contact' | 'contact_person' | 'telephone' | 'address' | 'office_hours' | 'published_by'
  >,
): Promise<number | null> {
  const n = await trx('notices').where({ id, status: 'draft' }).first('county', 'year');
  if (!n) return null;
  const last = await trx('notices').where({ county: n.county, year: n.year }).max('version as v').first();
  const version = Number(last?.v ?? 0) + 1;
  const now = new Date().toISOString();
  const done = await trx('notices')
    .where({ id, status: 'draft' })
    .update({ ...p, status: 'published', version, published_at: now, updated_at: now });
  return done === 1 ? version : null;
}

export interface ObjectionRow {
  id: number;
  notice_id: number;
  entry_uscc: string;
  entry_name: string;
  name: string;
  contact: string;
  reason: string;
  /** 受理 → 核实 → 答复 */
  status: 'open' | 'accepted' | 'verified' | 'answered';
  accepted_by: number | null;
  accepted_at: string | null;
  findings: string | null;
  verified_by: number | null;
  verified_at: string | null;
  outcome: 'upheld' | 'partly' | 'rejected' | null;
  answer: string | null;
  answered_by: number | null;
  answered_at: string | null;
  created_at: string;
}

export async function insertObjection(
  db: Knex | Knex.Transaction,
  o: Pick<ObjectionRow, 'notice_id' | 'entry_uscc' | 'entry_name' | 'name' | 'contact' | 'reason'>,
): Promise<number> {
  const [row] = await db('objections')
    .insert({ ...o, status: 'open', created_at: new Date().toISOString() })
    .returning('id');
  return idOf(row);
}

export const listObjections = (db: Knex, noticeId: number): Promise<ObjectionRow[]> =>
  db('objections').where({ notice_id: noticeId }).orderBy('id');
/** Moves an objection one step on (受理, 核实, 答复); false when it is not at the step before. */
export async function advanceObjection(
  db: Knex | Knex.Transaction,
  id: number,
  by: number,
  step:
    | { to: 'accepted' }
    | { to: 'verified'; findings: string }
    | { to: 'answered'; answer: string; outcome: 'upheld' | 'partly' | 'rejected' },
): Promise<boolean> {
  const now = new Date().toISOString();
  const q = db('objections').where({ id });
  if (step.to === 'accepted')
    return (
      (await q.andWhere({ status: 'open' }).update({ status: 'accepted', accepted_by: by, accepted_at: now })) === 1
    );
  if (step.to === 'verified')
    return (
      (await q
        .andWhere({ status: 'accepted' })
        .update({ status: 'verified', findings: step.findings, verified_by: by, verified_at: now })) === 1
    );
  return (
    (await q.andWhere({ status: 'verified' }).update({
      status: 'answered',
      answer: step.answer,
      outcome: step.outcome,
      answered_by: by,
      answered_at: now,
    })) === 1
  );
}

export async function countOpenObjections(db: Knex, noticeIds: number[]): Promise<Map<number, number>> {
  if (!noticeIds.length) return new Map();
  const rows = await db('objections')
    .whereIn('notice_id', noticeIds)
    .andWhereNot({ status: 'answered' })
    .groupBy('notice_id')
    .select('notice_id')
    .count('* as n');
  return new Map(rows.map((r) => [Number(r.notice_id), Number(r.n)]));
}

/** The latest 公示期 end of the published notices, by `county:year`. */
export async function publishedPeriodEnds(db: Knex): Promise<Map<string, string>> {
  const ends = new Map<string, string>();
  for (const n of await db('notices').where({ status: 'published' }).select('county', 'year', 'period_end')) {
    const k = `${n.county}:${n.year}`;
    if (!ends.has(k) || ends.get(k)! < n.period_end) ends.set(k, n.period_end);
  }
  return ends;
}
