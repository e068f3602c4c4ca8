import type { Knex } from 'knex';
import { readerOf } from '../connection';

export interface EmployerRow {
  id: number;
  uscc: string;
  name: string;
  county: string;
  unit_type: string;
}

export const findEmployerById = (db: Knex, id: number): Promise<EmployerRow | undefined> =>
  readerOf(db)('employers').where({ id }).first();
export const findEmployerByUscc = (db: Knex, uscc: string): Promise<EmployerRow | undefined> =>
  db('employers').where({ uscc }).first();
export const listEmployersInCounty = (db: Knex, county: string): Promise<EmployerRow[]> =>
  db('employers').where({ county }).orderBy('name');

export async function upsertEmployer(db: Knex, e: Omit<EmployerRow, 'id'>): Promise<number> {
  const existing = await findEmployerByUscc(db, e.uscc);
  if (existing) {
    await db('employers').where({ id: existing.id }).update({ name: e.name, county: e.county, unit_type: e.unit_type });
    return existing.id;
  }
  const [row] = await db('employers')
    .insert({ ...e, created_at: new Date().toISOString() })
    .returning('id');
  return typeof row === 'object' ? row.id : row;
}

export async function countEmployers(db: Knex, county?: string): Promise<number> {
  const q = db('employers').count('* as n');
  if (county) q.where({ county });
  return Number((await q.first())?.n ?? 0);
}
