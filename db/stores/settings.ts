/** Administrator settings, one JSON value per key. */
import type { Knex } from 'knex';

export async function getSetting(db: Knex, key: string): Promise<unknown> {
  const r = await db('settings').where({ key }).first('value_json');
  return r ? JSON.parse(r.value_json) : undefined;
}

export async function putSetting(db: Knex | Knex.Transaction, key: string, value: unknown, by: number): Promise<void> {
  await db('settings')
    .insert({ key, value_json: JSON.stringify(value), updated_by: by, updated_at: new Date().toISOString() })
    .onConflict('key')
    .merge();
}
