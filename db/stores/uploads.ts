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
}

export async function insertUpload(db: Knex, u: Omit<UploadRow, 'rows_read' | 'error' | 'created_at' | 'updated_at' | 'status' | 'attempts' | 'purged_at'>): Promise<void> {
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
export const listUploadsOf = (db: Knex, employerId: number): Promise<UploadRow[]> => db('uploads').where({ employer_id: employerId }).orderBy('created_at', 'desc').limit(50);
