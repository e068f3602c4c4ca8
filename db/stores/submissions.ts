import type { Knex } from 'knex';
import { readerOf } from '../connection';
import { provisionalColumn } from './checks';

export type SubmissionStatus = 'submitted' | 'accepted' | 'returned';

export interface SubmissionRow {
  id: number;
  employer_id: number;
  year: number;
  version: number;
  check_id: string;
  status: SubmissionStatus;
  quota_status: string;
  avg_staff: number;
  required: number;
  avg_weighted: number;
  levy_payable_fen: number;
  reward_total_fen: number;
  vat_ceiling_fen: number;
  concentrated_months: number;
  submitted_by: number;
  submitted_at: string;
  reviewed_by: number | null;
  reviewed_at: string | null;
  return_reason: string | null;
  /** Filed after the year's verification window closed (docs/rules.md §16). */
  late?: boolean | number;
  /** The later version that superseded this one (null while it is the current version). */
  superseded_by_version?: number | null;
}

export interface SubmissionListRow extends SubmissionRow {
  employer_name: string;
  /** 1 when the levy waits for the year's social average wage (only on the bureau's paged list). */
  provisional?: number;
  uscc: string;
  county: string;
  unit_type: string;
}

/** pg returns bigint as text: every row leaves the store with numbers. */
function normalise<T extends Partial<SubmissionListRow>>(r: T): T {
  for (const k of [
    'levy_payable_fen',
    'reward_total_fen',
    'vat_ceiling_fen',
    'avg_staff',
    'required',
    'avg_weighted',
    'provisional',
  ] as const) {
    if (r[k] !== undefined && r[k] !== null) (r as Record<string, unknown>)[k] = Number(r[k]);
  }
  return r;
}

export async function findSubmission(db: Knex, id: number): Promise<SubmissionListRow | undefined> {
  const r = await readerOf(db)('submissions as s')
    .join('employers as e', 'e.id', 's.employer_id')
    .select('s.*', 'e.name as employer_name', 'e.uscc', 'e.county', 'e.unit_type')
    .where('s.id', id)
    .first();
  return r && normalise(r);
}

export async function insertSubmission(
  trx: Knex.Transaction,
  s: Omit<SubmissionRow, 'id' | 'version' | 'reviewed_by' | 'reviewed_at' | 'return_reason'>,
): Promise<{ id: number; version: number }> {
  // the next version is counted in the insert itself: one statement while the transaction holds the writer
  const next = trx('submissions')
    .where({ employer_id: s.employer_id, year: s.year })
    .select(trx.raw('coalesce(max(version), 0) + 1'));
  const [row] = await trx('submissions')
    .insert({ ...s, version: next })
    .returning(['id', 'version']);
  return { id: Number(row.id), version: Number(row.version) };
}

/**
 * Marks every earlier version of the employer's data year that is not yet superseded as superseded by
 * `version`; returns how many were marked.
 */
export async function supersedeEarlierVersions(
  trx: Knex.Transaction,
  employerId: number,
  year: number,
  version: number,
): Promise<number> {
  return trx('submissions')
    .where({ employer_id: employerId, year })
    .andWhere('version', '<', version)
    .whereNull('superseded_by_version')
    .update({ superseded_by_version: version });
}

export async function previousVersion(db: Knex, s: SubmissionRow): Promise<SubmissionRow | undefined> {
  const r = await readerOf(db)('submissions')
    .where({ employer_id: s.employer_id, year: s.year })
    .andWhere('version', '<', s.version)
    .orderBy('version', 'desc')
    .first();
  return r && normalise(r);
}

/** The latest submission of a checked result (a result is submitted at most once). */
export async function findSubmissionOfCheck(db: Knex, checkId: string): Promise<SubmissionRow | undefined> {
  const r = await readerOf(db)('submissions').where({ check_id: checkId }).orderBy('version', 'desc').first();
  return r && normalise(r);
}

/** The employer's latest version for a data year, with the substance fingerprint of its result (null when not stored). */
export async function latestVersion(
  db: Knex,
  employerId: number,
  year: number,
): Promise<(SubmissionRow & { check_substance: string | null }) | undefined> {
  const r = await readerOf(db)('submissions as s')
    .join('checks as c', 'c.id', 's.check_id')
    .select('s.*', 'c.substance as check_substance')
    .where({ 's.employer_id': employerId, 's.year': year })
    .orderBy('s.version', 'desc')
    .first();
  return r && normalise(r);
}

export interface SubmissionFilter {
  county?: string;
  employerId?: number;
  year?: number;
  status?: SubmissionStatus;
  q?: string;
  latestOnly?: boolean;
}

export async function listSubmissions(on: Knex, f: SubmissionFilter): Promise<SubmissionListRow[]> {
  const db = readerOf(on);
  const q = db('submissions as s')
    .join('employers as e', 'e.id', 's.employer_id')
    .leftJoin('checks as c', 'c.id', 's.check_id')
    .select('s.*', 'e.name as employer_name', 'e.uscc', 'e.county', 'e.unit_type', provisionalColumn(db));
  if (f.county) q.where('e.county', f.county);
  if (f.employerId) q.where('s.employer_id', f.employerId);
  if (f.year) q.where('s.year', f.year);
  if (f.status) q.where('s.status', f.status);
  if (f.q) q.where((w) => w.where('e.name', 'like', `%${f.q}%`).orWhere('e.uscc', 'like', `%${f.q!.toUpperCase()}%`));
  if (f.latestOnly) {
    q.whereNotExists(
      db('submissions as s2').whereRaw(
        's2.employer_id = s.employer_id and s2.year = s.year and s2.version > s.version',
      ),
    );
  }
  const rows = await q
    .orderBy([{ column: 's.year', order: 'desc' }, { column: 'e.name' }, { column: 's.version', order: 'desc' }])
    .limit(5000);
  return rows.map(normalise);
}

/** Columns the bureau's list sorts by, on the server. */
export const SUBMISSION_SORTS = {
  submittedAt: 's.submitted_at',
  name: 'e.name',
  levy: 's.levy_payable_fen',
  reward: 's.reward_total_fen',
  status: 's.status',
  quota: 's.quota_status',
} as const;
export type SubmissionSort = keyof typeof SUBMISSION_SORTS;

/** One page of the filtered list, sorted on the server, with the total count: nothing is cut off silently. */
export async function pageSubmissions(
  on: Knex,
  f: SubmissionFilter,
  o: { sort: SubmissionSort; dir: 'asc' | 'desc'; page: number; perPage: number },
): Promise<{ rows: SubmissionListRow[]; total: number }> {
  const db = readerOf(on);
  const base = () => {
    const q = db('submissions as s').join('employers as e', 'e.id', 's.employer_id');
    if (f.county) q.where('e.county', f.county);
    if (f.year) q.where('s.year', f.year);
    if (f.status) q.where('s.status', f.status);
    if (f.q) q.where((w) => w.where('e.name', 'like', `%${f.q}%`).orWhere('e.uscc', 'like', `%${f.q!.toUpperCase()}%`));
    if (f.latestOnly)
      q.whereNotExists(
        db('submissions as s2').whereRaw(
          's2.employer_id = s.employer_id and s2.year = s.year and s2.version > s.version',
        ),
      );
    return q;
  };
  const counted = await base().count('s.id as n').first();
  const rows = await base()
    .leftJoin('checks as c', 'c.id', 's.check_id')
    .select('s.*', 'e.name as employer_name', 'e.uscc', 'e.county', 'e.unit_type', provisionalColumn(db))
    .orderBy([
      { column: SUBMISSION_SORTS[o.sort], order: o.dir },
      { column: 'e.name', order: 'asc' },
      { column: 's.id', order: 'asc' },
    ])
    .limit(o.perPage)
    .offset((o.page - 1) * o.perPage);
  return { rows: rows.map(normalise), total: Number(counted?.n ?? 0) };
}

export async function reviewSubmission(
  trx: Knex.Transaction,
  id: number,
  status: 'accepted' | 'returned',
  by: number,
  reason: string | null,
): Promise<number> {
  // a superseded version is never reviewed: the later version is the one to decide
  return trx('submissions')
    .where({ id, status: 'submitted' })
    .whereNull('superseded_by_version')
    .update({ status, reviewed_by: by, reviewed_at: new Date().toISOString(), return_reason: reason });
}

/** docs/rules.md §7: a notice is built from accepted submissions — per employer, its latest accepted version. */
export async function listAcceptedLatest(on: Knex, county: string, year: number): Promise<SubmissionListRow[]> {
  const db = readerOf(on);
  const rows = await db('submissions as s')
    .join('employers as e', 'e.id', 's.employer_id')
    .select('s.*', 'e.name as employer_name', 'e.uscc', 'e.county', 'e.unit_type')
    .where({ 'e.county': county, 's.year': year, 's.status': 'accepted' })
    .whereNotExists(
      db('submissions as s2').whereRaw(
        "s2.employer_id = s.employer_id and s2.year = s.year and s2.status = 'accepted' and s2.version > s.version",
      ),
    );
  return rows.map(normalise);
}

/** Latest version per employer and year, the few columns the dashboard needs (no row limit). */
export async function listLatestForDashboard(on: Knex, county?: string) {
  const db = readerOf(on);
  const q = db('submissions as s')
    .join('employers as e', 'e.id', 's.employer_id')
    .select(
      's.employer_id',
      'e.name',
      'e.uscc',
      's.year',
      's.status',
      's.quota_status',
      's.levy_payable_fen',
      's.reward_total_fen',
      's.vat_ceiling_fen',
      's.concentrated_months',
    )
    .whereNotExists(
      db('submissions as s2').whereRaw(
        's2.employer_id = s.employer_id and s2.year = s.year and s2.version > s.version',
      ),
    );
  if (county) q.where('e.county', county);
  return (await q).map((r) => ({
    employerId: Number(r.employer_id),
    name: r.name as string,
    uscc: r.uscc as string,
    year: Number(r.year),
    status: r.status as SubmissionStatus,
    quotaStatus: r.quota_status as 'short' | 'exempt' | 'met' | 'exceeded',
    levyPayableFen: Number(r.levy_payable_fen),
    rewardTotalFen: Number(r.reward_total_fen),
    vatCeilingFen: Number(r.vat_ceiling_fen),
    concentratedMonths: Number(r.concentrated_months),
  }));
}
