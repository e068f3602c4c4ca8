import type { Knex } from 'knex';
import { provisionalColumn } from './checks';
import { readerOf } from '../connection';

export type UploadStatus = 'received' | 'processing' | 'processed' | 'failed';

export interface UploadRow {
  id: string;
  employer_id: number;
  user_id: number;
  file_name: string;
  stored_name: string;
  size: number;
  sha256: string;
  status: UploadStatus;
  rows_read: number;
  error: string | null;
  created_at: string;
  updated_at: string;
  attempts: number;
  purged_at: string | null;
  /** For a CSV: the employer details entered on the upload form (JSON), else null. */
  employer_form_json?: string | null;
  /** The processor holding the upload's lease, and when the lease lapses (ms since the epoch). */
  claimed_by?: string | null;
  lease_until?: number | string | null;
}

export async function insertUpload(
  db: Knex,
  u: Omit<UploadRow, 'rows_read' | 'error' | 'created_at' | 'updated_at' | 'status' | 'attempts' | 'purged_at'>,
): Promise<void> {
  if (u.employer_form_json === undefined) u = { ...u, employer_form_json: null };
  const now = new Date().toISOString();
  await db('uploads').insert({ ...u, status: 'received', rows_read: 0, error: null, created_at: now, updated_at: now });
}

export const findUpload = (db: Knex, id: string): Promise<UploadRow | undefined> =>
  readerOf(db)('uploads').where({ id }).first();

/**
 * Uploads left received/processing whose last sign of life is older than `before` (ISO time) and whose lease,
 * if any, has lapsed by `now` (ms): an upload another processor still holds is not listed.
 */
export const listUnfinishedUploads = (db: Knex, before: string, now = Date.now()): Promise<UploadRow[]> =>
  db('uploads')
    .whereIn('status', ['received', 'processing'])
    .andWhere('updated_at', '<', before)
    .whereNull('purged_at')
    .andWhere((q) => q.whereNull('lease_until').orWhere('lease_until', '<', now));

/**
 * Claims the upload for `owner` until `now + leaseMs`, marks it processing and counts the attempt — only if
 * it is not finished (never a processed or purged one) and no other processor holds a live lease. One
 * UPDATE with the conditions in its WHERE, so two instances racing for it cannot both win. True when won.
 */
export async function claimUpload(db: Knex, id: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
  const n = await db('uploads')
    .where({ id })
    .whereIn('status', ['received', 'processing', 'failed'])
    .whereNull('purged_at')
    .andWhere((q) => q.whereNull('lease_until').orWhere('lease_until', '<', now))
    .update({
      status: 'processing',
      claimed_by: owner,
      lease_until: now + leaseMs,
      attempts: db.raw('attempts + 1'),
      error: null,
      updated_at: new Date(now).toISOString(),
    });
  return n === 1;
}

/** Extends `owner`'s lease, recording progress when given; false when the lease was lost to another processor. */
export async function renewLease(db: Knex, id: string, owner: string, until: number, rows?: number): Promise<boolean> {
  const n = await db('uploads')
    .where({ id, claimed_by: owner, status: 'processing' })
    .update({
      lease_until: until,
      updated_at: new Date().toISOString(),
      ...(rows !== undefined ? { rows_read: rows } : {}),
    });
  return n === 1;
}

/** `owner`'s attempt failed: the upload is failed (the user may retry) and the lease released. False when `owner` no longer held it. */
export async function failClaimedUpload(db: Knex, id: string, owner: string, error: string): Promise<boolean> {
  const n = await db('uploads')
    .where({ id, claimed_by: owner, status: 'processing' })
    .update({ status: 'failed', error, lease_until: null, updated_at: new Date().toISOString() });
  return n === 1;
}

/** Interrupted too often: failed with a retry button — unless a processor holds a live lease on it meanwhile. */
export async function failInterruptedUpload(db: Knex, id: string, error: string, now = Date.now()): Promise<boolean> {
  const n = await db('uploads')
    .where({ id })
    .whereIn('status', ['received', 'processing'])
    .andWhere((q) => q.whereNull('lease_until').orWhere('lease_until', '<', now))
    .update({ status: 'failed', error, lease_until: null, updated_at: new Date().toISOString() });
  return n === 1;
}

/**
 * The upload's result is stored: processed, with the rows read, the lease released — only while `owner`
 * still holds it (false otherwise: the caller's transaction must then roll back, so no second result lands).
 */
export async function markUploadProcessed(
  db: Knex | Knex.Transaction,
  id: string,
  rowsRead: number,
  owner: string,
): Promise<boolean> {
  const n = await db('uploads').where({ id, claimed_by: owner, status: 'processing' }).update({
    status: 'processed',
    rows_read: rowsRead,
    error: null,
    lease_until: null,
    updated_at: new Date().toISOString(),
  });
  return n === 1;
}

/** Uploads whose raw file the retention rule may delete: finished, not yet purged, with the year and county of their result. */
export function listRetentionCandidates(db: Knex): Promise<
  {
    id: string;
    stored_name: string;
    created_at: string;
    year: number | null;
    county: string;
    provisional: number | string;
  }[]
> {
  return db('uploads as u')
    .join('employers as e', 'e.id', 'u.employer_id')
    .leftJoin('checks as c', 'c.upload_id', 'u.id')
    .whereNull('u.purged_at')
    .whereNotIn('u.status', ['received', 'processing'])
    .select('u.id', 'u.stored_name', 'u.created_at', 'c.year', 'e.county', provisionalColumn(db));
}

/** Stored file names of uploads already purged (their files are removed again on every purge run). */
export async function listPurgedStoredNames(db: Knex): Promise<string[]> {
  return (await db('uploads').whereNotNull('purged_at').select('stored_name')).map(
    (u: { stored_name: string }) => u.stored_name,
  );
}

export async function markUploadPurged(db: Knex | Knex.Transaction, id: string, fileName: string): Promise<void> {
  await db('uploads').where({ id }).update({ purged_at: new Date().toISOString(), file_name: fileName });
}

export const listUploadsOf = (db: Knex, employerId: number): Promise<UploadRow[]> =>
  readerOf(db)('uploads').where({ employer_id: employerId }).orderBy('created_at', 'desc').limit(50);
