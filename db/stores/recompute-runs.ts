/** A year's recompute runs and the pages of provisional results they work through (docs/rules.md §6.1). */
import { PROVISIONAL_MARK } from './checks';
import type { Knex } from 'knex';
import { readerOf } from '../connection';

type Db = Knex | Knex.Transaction;

export type RunStatus = 'running' | 'done' | 'failed';
/** Why a run was started: the year's social average wage, or an import of the certificate register or insurance records. */
export type RunReason = 'social-average-wage' | 'certificate-register' | 'insurance-records';
export interface RecomputeRunRow {
  id: number;
  year: number;
  status: RunStatus;
  total: number;
  done: number;
  recomputed: number;
  unchanged: number;
  purged: number;
  by_county_json: string;
  cursor: string | null;
  started_by: number;
  claimed_by: string | null;
  heartbeat: number;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  reason: RunReason;
  /** the credit codes of the units the run covers (JSON), null for every unit of the year */
  scope_json: string | null;
}

/** pg returns counts and bigints as strings */
const row = (r: RecomputeRunRow | undefined): RecomputeRunRow | undefined =>
  r && {
    ...r,
    id: Number(r.id),
    year: Number(r.year),
    total: Number(r.total),
    done: Number(r.done),
    recomputed: Number(r.recomputed),
    unchanged: Number(r.unchanged),
    purged: Number(r.purged),
    started_by: Number(r.started_by),
    heartbeat: Number(r.heartbeat),
  };

const provisionalOfYear = (db: Db, year: number) =>
  db('checks as c')
    .where('c.year', year)
    .andWhere('c.has_problems', false)
    .andWhere('c.result_json', 'like', PROVISIONAL_MARK);

export async function countProvisionalChecksOfYear(db: Db, year: number): Promise<number> {
  return Number((await provisionalOfYear(readerOf(db), year).count('* as n').first())?.n ?? 0);
}

export interface ProvisionalCheck {
  id: string;
  year: number;
  upload_id: string;
  employer_id: number;
  result_json: string;
  stored_name: string;
  file_name: string;
  /** bytes of the raw upload */
  size: number;
  purged_at: string | null;
  uscc: string;
  name: string;
  county: string;
  unit_type: string;
  employer_form_json: string | null;
}

const PROVISIONAL_COLUMNS = [
  'c.id',
  'c.year',
  'c.upload_id',
  'c.employer_id',
  'c.result_json',
  'u.stored_name',
  'u.file_name',
  'u.size',
  'u.purged_at',
  'u.employer_form_json',
  'e.uscc',
  'e.name',
  'e.county',
  'e.unit_type',
];

const withUpload = (db: Db, year: number) =>
  provisionalOfYear(readerOf(db), year)
    .join('uploads as u', 'u.id', 'c.upload_id')
    .join('employers as e', 'e.id', 'c.employer_id');

/** The next `limit` provisional results of a year after `cursor` (by result id), with their raw upload. */
export function pageProvisionalChecksOfYear(
  db: Db,
  year: number,
  cursor: string | null,
  limit: number,
): Promise<ProvisionalCheck[]> {
  const q = withUpload(db, year);
  if (cursor !== null) q.andWhere('c.id', '>', cursor);
  return q.orderBy('c.id').limit(limit).select(PROVISIONAL_COLUMNS);
}

/**
 * The provisional results of a year stored from `since` (an ISO time) on, by result id: the ones a run's pages
 * may have passed by (a result stored during the run can get an id below its cursor).
 */
export function provisionalChecksOfYearSince(db: Db, year: number, since: string): Promise<ProvisionalCheck[]> {
  return withUpload(db, year).andWhere('c.created_at', '>=', since).orderBy('c.id').select(PROVISIONAL_COLUMNS);
}

/**
 * The results an import can change (docs/rules.md §4.3, §4.4): of a year, each unit's current (not superseded)
 * submission and its latest result checked without errors — the one it would submit next, when it is not that
 * submission — optionally only of the units `usccs`. Older results, superseded by a later upload, are left as
 * they are.
 */
const affectedOfYear = (db: Db, year: number, usccs: string[] | null) => {
  const r = readerOf(db);
  const q = r('checks as c')
    .join('uploads as u', 'u.id', 'c.upload_id')
    .join('employers as e', 'e.id', 'c.employer_id')
    .where('c.year', year)
    .andWhere('c.has_problems', false)
    .andWhere((w) =>
      w
        .whereIn('c.id', r('submissions').where({ year }).whereNull('superseded_by_version').select('check_id'))
        .orWhere(
          'c.created_at',
          '=',
          r.raw(
            '(select max(c2.created_at) from checks c2 where c2.employer_id = c.employer_id and c2.year = c.year and c2.has_problems = ?)',
            [false],
          ),
        ),
    );
  if (usccs) q.whereIn('e.uscc', usccs);
  return q;
};

export async function countAffectedChecksOfYear(db: Db, year: number, usccs: string[] | null): Promise<number> {
  return Number((await affectedOfYear(db, year, usccs).count('* as n').first())?.n ?? 0);
}

/** The next `limit` results an import changes after `cursor` (by result id), with their raw upload. */
export function pageAffectedChecksOfYear(
  db: Db,
  year: number,
  usccs: string[] | null,
  cursor: string | null,
  limit: number,
): Promise<ProvisionalCheck[]> {
  const q = affectedOfYear(db, year, usccs);
  if (cursor !== null) q.andWhere('c.id', '>', cursor);
  return q.orderBy('c.id').limit(limit).select(PROVISIONAL_COLUMNS);
}

/** The data years with a result checked without errors: those a certificate register can change. */
export async function yearsWithResults(db: Db): Promise<number[]> {
  const rows: { year: number | string }[] = await readerOf(db)('checks')
    .whereNotNull('year')
    .andWhere('has_problems', false)
    .distinct('year');
  return rows.map((x) => Number(x.year)).sort((a, b) => a - b);
}

/** The latest version number of each result that has versions. */
export async function latestVersionsOf(db: Db, checkIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < checkIds.length; i += 500) {
    const rows: { check_id: string; v: number | string }[] = await db('result_versions')
      .whereIn('check_id', checkIds.slice(i, i + 500))
      .groupBy('check_id')
      .select('check_id')
      .max('version as v');
    for (const r of rows) out.set(r.check_id, Number(r.v));
  }
  return out;
}

/** Starts a run unless one of the same year is unfinished: then undefined. */
export async function insertRun(
  db: Db,
  r: Pick<RecomputeRunRow, 'year' | 'total' | 'started_by' | 'claimed_by' | 'heartbeat'> &
    Partial<Pick<RecomputeRunRow, 'reason' | 'scope_json'>>,
): Promise<number | undefined> {
  // an import's run is started once, when the import is confirmed: it holds no year's slot
  if (r.reason && r.reason !== 'social-average-wage') {
    const [id] = await db('recompute_runs')
      .insert({ ...r, status: 'running', by_county_json: '[]', started_at: new Date().toISOString() })
      .returning('id');
    return typeof id === 'object' ? Number((id as { id: number }).id) : Number(id);
  }
  const active = await db('recompute_runs').where({ active_year: r.year }).first('id');
  if (active) return undefined;
  try {
    const [id] = await db('recompute_runs')
      .insert({
        ...r,
        active_year: r.year,
        status: 'running',
        by_county_json: '[]',
        started_at: new Date().toISOString(),
      })
      .returning('id');
    return typeof id === 'object' ? Number((id as { id: number }).id) : Number(id);
  } catch (e) {
    // another instance started the year's run between the look and the insert (active_year is unique)
    if (await db('recompute_runs').where({ active_year: r.year }).first('id')) return undefined;
    throw e;
  }
}

export const findRun = async (db: Db, id: number) => row(await readerOf(db)('recompute_runs').where({ id }).first());
export const findActiveRun = async (db: Db, year: number) =>
  row(await readerOf(db)('recompute_runs').where({ active_year: year }).first());
export const listRecentRuns = async (db: Db, limit = 5) =>
  ((await readerOf(db)('recompute_runs').orderBy('id', 'desc').limit(limit)) as RecomputeRunRow[]).map((r) => row(r)!);

/** Unfinished runs whose heartbeat stopped before `staleBefore` (their instance died or stalled). */
export const listStalledRuns = async (db: Db, staleBefore: number) =>
  (
    (await db('recompute_runs')
      .where({ status: 'running' })
      .andWhere('heartbeat', '<', staleBefore)) as RecomputeRunRow[]
  ).map((r) => row(r)!);

/** Takes over a stalled run; false when another instance was quicker or it is no longer stalled. */
export async function claimRun(db: Db, id: number, owner: string, staleBefore: number, now: number): Promise<boolean> {
  const n = await db('recompute_runs')
    .where({ id, status: 'running' })
    .andWhere('heartbeat', '<', staleBefore)
    .update({ claimed_by: owner, heartbeat: now });
  return n === 1;
}

/**
 * Renews the heartbeat of a run `owner` still holds, while a page is being computed (a page of large workbooks
 * can take longer than the time after which another instance takes a silent run over); false when it holds it
 * no longer.
 */
export async function renewRun(db: Db, id: number, owner: string, now: number): Promise<boolean> {
  return (
    (await db('recompute_runs').where({ id, claimed_by: owner, status: 'running' }).update({ heartbeat: now })) === 1
  );
}

/**
 * Records a page's progress, in the transaction that wrote the page's results, only while `owner` still holds
 * the run: false means another instance took it over, and the caller's transaction must roll back.
 */
export async function advanceRun(
  db: Db,
  id: number,
  owner: string,
  p: Pick<RecomputeRunRow, 'done' | 'recomputed' | 'unchanged' | 'purged' | 'by_county_json' | 'cursor' | 'heartbeat'> &
    Partial<Pick<RecomputeRunRow, 'total'>>,
): Promise<boolean> {
  return (await db('recompute_runs').where({ id, claimed_by: owner, status: 'running' }).update(p)) === 1;
}

export async function finishRun(
  db: Db,
  id: number,
  owner: string,
  status: 'done' | 'failed',
  error: string | null = null,
): Promise<boolean> {
  const n = await db('recompute_runs')
    .where({ id, claimed_by: owner, status: 'running' })
    .update({ status, error, active_year: null, finished_at: new Date().toISOString(), heartbeat: Date.now() });
  return n === 1;
}
