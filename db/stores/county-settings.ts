/** Each county's notice settings: issuing body and objection contact (see the county-settings migration). */
import type { Knex } from 'knex';

export interface CountySettingsRow {
  county: string;
  issuing_body: string;
  contact_person: string;
  telephone: string;
  address: string;
  office_hours: string;
  updated_by: number;
  updated_at: string;
}

export const findCountySettings = (db: Knex, county: string): Promise<CountySettingsRow | undefined> =>
  db('county_settings').where({ county }).first();

export const listCountySettings = (db: Knex): Promise<CountySettingsRow[]> => db('county_settings').orderBy('county');

export async function putCountySettings(
  db: Knex | Knex.Transaction,
  row: Omit<CountySettingsRow, 'updated_at'>,
): Promise<void> {
  await db('county_settings')
    .insert({ ...row, updated_at: new Date().toISOString() })
    .onConflict('county')
    .merge();
}
