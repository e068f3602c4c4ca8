/** Certificates, reward claims, recomputed result versions and per-year deadlines (docs/rules.md §11–§16). */
import type { Knex } from 'knex';
import { readerOf } from '../connection';

type Db = Knex | Knex.Transaction;
const idOf = (row: unknown) =>
  typeof row === 'object' && row !== null ? Number((row as { id: number }).id) : Number(row);

// ── certificates ───────────────────────────────────────────────────────────────
export interface CertificateRow {
  id: number;
  number: string;
  code: string;
  submission_id: number;
  employer_id: number;
  year: number;
  county: string;
  issuing_body: string;
  officer_name: string;
  issued_on: string;
  body_json: string;
  created_at: string;
}

export async function insertCertificate(
  db: Db,
  c: Omit<CertificateRow, 'id' | 'number' | 'created_at'>,
  numberOf: (seq: number) => string,
): Promise<CertificateRow> {
  const last = await db('certificates').where({ county: c.county, year: c.year }).count('id as n').first();
  const number = numberOf(Number(last?.n ?? 0) + 1);
  const [row] = await db('certificates')
    .insert({ ...c, number, created_at: new Date().toISOString() })
    .returning('id');
  return { ...c, id: idOf(row), number, created_at: new Date().toISOString() };
}

export const findCertificate = (db: Db, id: number): Promise<CertificateRow | undefined> =>
  readerOf(db)('certificates').where({ id }).first();
export const findCertificateByNumber = (db: Db, number: string): Promise<CertificateRow | undefined> =>
  readerOf(db)('certificates').where({ number }).first();
export const findCertificateOfSubmission = (db: Db, submissionId: number): Promise<CertificateRow | undefined> =>
  readerOf(db)('certificates').where({ submission_id: submissionId }).first();
export const listCertificatesOf = (db: Db, employerId: number): Promise<CertificateRow[]> =>
  readerOf(db)('certificates').where({ employer_id: employerId }).orderBy('year', 'desc');

// ── reward claims ──────────────────────────────────────────────────────────────
export type ClaimStatus = 'applied' | 'waived' | 'approved' | 'refused' | 'paid';
export interface RewardClaimRow {
  id: number;
  submission_id: number;
  employer_id: number;
  year: number;
  county: string;
  amount_fen: number;
  rewards_json: string;
  status: ClaimStatus;
  decided_by: number | null;
  decided_at: string | null;
  refusal_reason: string | null;
  paid_on: string | null;
  created_at: string;
  /** The later version of the submission that superseded this application (null while it is current). */
  superseded_by_version?: number | null;
}
export interface RewardClaimListRow extends RewardClaimRow {
  employer_name: string;
  uscc: string;
  unit_type: string;
  /** The submission's version and review status. */
  version: number;
  submission_status: string;
}

const claimRow = <T extends RewardClaimRow>(r: T): T => ({
  ...r,
  amount_fen: Number(r.amount_fen),
  superseded_by_version: r.superseded_by_version == null ? null : Number(r.superseded_by_version),
  ...('version' in r ? { version: Number((r as { version: unknown }).version) } : {}),
});

const CLAIM_COLUMNS = [
  'c.*',
  'e.name as employer_name',
  'e.uscc',
  'e.unit_type',
  's.version',
  's.status as submission_status',
];

export async function insertRewardClaim(
  db: Db,
  c: Pick<
    RewardClaimRow,
    'submission_id' | 'employer_id' | 'year' | 'county' | 'amount_fen' | 'rewards_json' | 'status'
  >,
): Promise<number> {
  const [row] = await db('reward_claims')
    .insert({ ...c, created_at: new Date().toISOString() })
    .returning('id');
  return idOf(row);
}

export async function findRewardClaim(db: Db, id: number): Promise<RewardClaimListRow | undefined> {
  const r = await readerOf(db)('reward_claims as c')
    .join('employers as e', 'e.id', 'c.employer_id')
    .join('submissions as s', 's.id', 'c.submission_id')
    .select(CLAIM_COLUMNS)
    .where('c.id', id)
    .first();
  return r && claimRow(r);
}

export async function findRewardClaimOfSubmission(db: Db, submissionId: number): Promise<RewardClaimRow | undefined> {
  const r = await readerOf(db)('reward_claims').where({ submission_id: submissionId }).first();
  return r && claimRow(r);
}

export async function listRewardClaims(
  db: Db,
  f: { county?: string; year?: number; employerId?: number; statuses?: ClaimStatus[]; currentOnly?: boolean },
): Promise<RewardClaimListRow[]> {
  const q = readerOf(db)('reward_claims as c')
    .join('employers as e', 'e.id', 'c.employer_id')
    .join('submissions as s', 's.id', 'c.submission_id')
    .select(CLAIM_COLUMNS);
  if (f.currentOnly) q.whereNull('c.superseded_by_version').whereNull('s.superseded_by_version');
  if (f.county) q.where('c.county', f.county);
  if (f.year) q.where('c.year', f.year);
  if (f.employerId) q.where('c.employer_id', f.employerId);
  if (f.statuses) q.whereIn('c.status', f.statuses);
  return (
    await q
      .orderBy([{ column: 'c.year', order: 'desc' }, { column: 'e.name' }, { column: 's.version', order: 'desc' }])
      .limit(5000)
  ).map(claimRow);
}

/** Moves a claim from one of `from` to `to`; returns the number of rows changed (0 when it was not in `from`). */
export async function updateRewardClaim(
  db: Db,
  id: number,
  from: ClaimStatus[],
  to: Partial<RewardClaimRow> & { status: ClaimStatus },
): Promise<number> {
  // a superseded application is never decided: the current version's application is
  return db('reward_claims').where({ id }).whereIn('status', from).whereNull('superseded_by_version').update(to);
}

/** Marks the applications made with earlier versions of the employer's data year as superseded by `version`. */
export async function supersedeEarlierClaims(
  db: Db,
  employerId: number,
  year: number,
  version: number,
): Promise<number> {
  return db('reward_claims')
    .where({ employer_id: employerId, year })
    .whereNull('superseded_by_version')
    .whereIn(
      'submission_id',
      db('submissions').where({ employer_id: employerId, year }).andWhere('version', '<', version).select('id'),
    )
    .update({ superseded_by_version: version });
}

// ── recomputed result versions ─────────────────────────────────────────────────
export interface ResultVersionRow {
  id: number;
  check_id: string;
  version: number;
  reason: string;
  result_json: string;
  diff_json: string;
  created_by: number;
  created_at: string;
}

export async function insertResultVersion(db: Db, v: Omit<ResultVersionRow, 'id' | 'created_at'>): Promise<void> {
  await db('result_versions').insert({ ...v, created_at: new Date().toISOString() });
}

export const listResultVersions = (db: Db, checkId: string): Promise<ResultVersionRow[]> =>
  readerOf(db)('result_versions').where({ check_id: checkId }).orderBy('version');

export async function listResultVersionsOfEmployer(
  db: Db,
  employerId: number,
): Promise<(ResultVersionRow & { year: number })[]> {
  return readerOf(db)('result_versions as v')
    .join('checks as c', 'c.id', 'v.check_id')
    .where('c.employer_id', employerId)
    .andWhere('v.version', '>', 1)
    .select('v.*', 'c.year')
    .orderBy('v.created_at', 'desc')
    .limit(50);
}

export async function replaceCheckResult(db: Db, checkId: string, resultJson: string): Promise<void> {
  // the stored fingerprint described the result replaced: computed again from the new text when needed
  await db('checks').where({ id: checkId }).update({ result_json: resultJson, substance: null });
}

export async function updateSubmissionFigures(
  db: Db,
  checkId: string,
  f: { levy_payable_fen: number; reward_total_fen: number; quota_status: string },
): Promise<number> {
  return db('submissions').where({ check_id: checkId }).update(f);
}

// ── deadlines ──────────────────────────────────────────────────────────────────
export interface DeadlineRow {
  year: number;
  verification_from: string;
  verification_to: string;
  collection_from: string;
  collection_to: string;
  updated_by: number;
  updated_at: string;
}

export const findDeadlines = (db: Db, year: number): Promise<DeadlineRow | undefined> =>
  readerOf(db)('year_deadlines').where({ year }).first();
export const listDeadlines = (db: Db): Promise<DeadlineRow[]> => readerOf(db)('year_deadlines').orderBy('year', 'desc');

export async function putDeadlines(db: Db, d: Omit<DeadlineRow, 'updated_at'>): Promise<void> {
  await db('year_deadlines')
    .insert({ ...d, updated_at: new Date().toISOString() })
    .onConflict('year')
    .merge();
}

// ── the county's issuing body ──────────────────────────────────────────────────
/** The issuing body (落款) an administrator set for the county, when the county settings hold one. */
export async function countyIssuingBody(db: Db, county: string): Promise<string | null> {
  if (!(await db.schema.hasTable('county_settings'))) return null;
  const r = await db('county_settings').where({ county }).first('issuing_body');
  return r?.issuing_body ?? null;
}
