import type { Knex } from 'knex';
import { readerOf } from '../connection';

/**
 * The marker of a stored result whose levy waits for the year's social average wage (docs/rules.md §6.1):
 * such a result carries this warning until it is recomputed.
 */
export const PROVISIONAL_MARK = '%"wage-cap-not-checked"%';

/** 1 when the result in `checks` row `alias` is provisional, else 0 — as a selected column. */
export const provisionalColumn = (db: Knex, alias = 'c') =>
  db.raw(`case when ${alias}.result_json like ? then 1 else 0 end as provisional`, [PROVISIONAL_MARK]);

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

/** Replaces a stored result's JSON (the retention rule scrubs personal data) and drops its employee keys and counted persons. */
export async function scrubCheckOfUpload(
  db: Knex | Knex.Transaction,
  uploadId: string,
  scrub: (resultJson: string) => string,
): Promise<void> {
  const check = await db('checks').where({ upload_id: uploadId }).first('id', 'result_json');
  if (check) {
    await db('checks')
      .where({ id: check.id })
      .update({ result_json: scrub(check.result_json), employee_keys_json: '[]', substance: null });
    // the disabled employees it counted, by key and masked name (docs/rules.md §4.2), go with the keys
    await db('counted_persons').where({ check_id: check.id }).delete();
  }
}
