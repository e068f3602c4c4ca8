import type { Knex } from 'knex';
import { readerOf } from '../connection';

export interface ParameterValueRow {
  id: number;
  param_id: string;
  key: string | null;
  from: string;
  to: string | null;
  value_json: string;
  source: string;
  created_by: number;
  created_at: string;
}

export const listParameterValues = (db: Knex): Promise<ParameterValueRow[]> =>
  readerOf(db)('parameter_values').orderBy('id');

export async function insertParameterValue(
  trx: Knex.Transaction,
  v: Omit<ParameterValueRow, 'id' | 'created_at'>,
): Promise<void> {
  await trx('parameter_values').insert({ ...v, created_at: new Date().toISOString() });
}

/** A cheap stamp that changes whenever a value is added (any instance), to refresh cached tables. */
export async function parameterStamp(db: Knex): Promise<string> {
  const r = await readerOf(db)('parameter_values').count('id as n').max('id as m').first();
  return `${r?.n ?? 0}:${r?.m ?? 0}`;
}
