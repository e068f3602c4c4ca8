import type { Knex } from 'knex';
import { readerOf } from '../connection';

export interface CheckRow {
  id: string;
  upload_id: string;
  employer_id: number;
  year: number | null;
  has_problems: boolean | number;
  result_json: string;
  employee_keys_json: string;
  /** What the result says, as a fingerprint (reports/stored-result.ts, `substanceOf`); null when not stored. */
  substance?: string | null;
  created_at: string;
}

export const findCheck = (db: Knex, id: string): Promise<CheckRow | undefined> =>
  readerOf(db)('checks').where({ id }).first();
export const findCheckByUpload = (db: Knex, uploadId: string): Promise<CheckRow | undefined> =>
  readerOf(db)('checks').where({ upload_id: uploadId }).first();

export const findCheckIdOfUpload = async (db: Knex, uploadId: string): Promise<string | undefined> =>
  (await readerOf(db)('checks').where({ upload_id: uploadId }).first('id'))?.id;

export async function insertCheck(db: Knex | Knex.Transaction, c: Omit<CheckRow, 'created_at'>): Promise<void> {
  await db('checks').insert({ ...c, created_at: new Date().toISOString() });
}

/** Replaces a stored result's JSON (the retention rule scrubs personal data) and drops its employee keys. */
export async function scrubCheckOfUpload(
  db: Knex | Knex.Transaction,
  uploadId: string,
  scrub: (resultJson: string) => string,
): Promise<void> {
  const check = await db('checks').where({ upload_id: uploadId }).first('id', 'result_json');
  if (check)
    await db('checks')
      .where({ id: check.id })
      .update({ result_json: scrub(check.result_json), employee_keys_json: '[]', substance: null });
}
