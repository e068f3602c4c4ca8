import type { Knex } from 'knex';

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
}

export async function insertUpload(db: Knex, u: Omit<UploadRow, 'rows_read' | 'error' | 'created_at' | 'updated_at' | 'status' | 'attempts' | 'purged_at'>): Promise<void> {
  if (u.employer_form_json === undefined) u = { ...u, employer_form_json: null };
  const now = new Date().toISOString();
  await db('uploads').insert({ ...u, status: 'received', rows_read: 0, error: null, created_at: now, updated_at: now });
}

export const findUpload = (db: Knex, id: string): Promise<UploadRow | undefined> => db('uploads').where({ id }).first();

export async function setUploadStatus(db: Knex, id: string, status: UploadStatus, error: string | null = null): Promise<void> {
  await db('uploads').where({ id }).update({ status, error, updated_at: new Date().toISOString() });
}

export async function setUploadProgress(db: Knex, id: string, rows: number): Promise<void> {
  await db('uploads').where({ id }).update({ rows_read: rows, updated_at: new Date().toISOString() });
}

/** Uploads left received/processing whose last sign of life is older than `before` (ISO time). */
export const listUnfinishedUploads = (db: Knex, before: string): Promise<UploadRow[]> => db('uploads').whereIn('status', ['received', 'processing']).andWhere('updated_at', '<', before);

/** Marks the upload as being processed and counts the attempt. */
export async function startAttempt(db: Knex, id: string): Promise<void> {
  await db('uploads').where({ id }).update({ status: 'processing', attempts: db.raw('attempts + 1'), updated_at: new Date().toISOString() });
}
/** The upload's result is stored: processed, with the rows read. */
export async function markUploadProcessed(db: Knex | Knex.Transaction, id: string, rowsRead: number): Promise<void> {
  await db('uploads').where({ id }).update({ status: 'processed', rows_read: rowsRead, error: null, updated_at: new Date().toISOString() });
}

/** Uploads whose raw file the retention rule may delete: finished, not yet purged, with the year and county of their result. */
export function listRetentionCandidates(db: Knex): Promise<{ id: string; stored_name: string; created_at: string; year: number | null; county: string }[]> {
  return db('uploads as u').join('employers as e', 'e.id', 'u.employer_id').leftJoin('checks as c', 'c.upload_id', 'u.id')
    .whereNull('u.purged_at').whereNotIn('u.status', ['received', 'processing'])
    .select('u.id', 'u.stored_name', 'u.created_at', 'c.year', 'e.county');
}

/** Stored file names of uploads already purged (their files are removed again on every purge run). */
export async function listPurgedStoredNames(db: Knex): Promise<string[]> {
  return (await db('uploads').whereNotNull('purged_at').select('stored_name')).map((u: { stored_name: string }) => u.stored_name);
}

export async function markUploadPurged(db: Knex | Knex.Transaction, id: string, fileName: string): Promise<void> {
  await db('uploads').where({ id }).update({ purged_at: new Date().toISOString(), file_name: fileName });
}

export const listUploadsOf = (db: Knex, employerId: number): Promise<UploadRow[]> => db('uploads').where({ employer_id: employerId }).orderBy('created_at', 'desc').limit(50);
