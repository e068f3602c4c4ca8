/** The register of units per data year, its imports (the file kept until confirmed), and units' one-time codes. */
import type { Knex } from 'knex';
import { readerOf } from '../connection';

export interface RegisterUnit {
  id: number;
  year: number;
  uscc: string;
  name: string;
  county: string;
  unit_type: string;
  contact_name: string | null;
  contact_phone: string | null;
  created_at: string;
  updated_at: string;
}

export type UnitFields = Pick<
  RegisterUnit,
  'uscc' | 'name' | 'county' | 'unit_type' | 'contact_name' | 'contact_phone'
>;

export function listRegister(db: Knex, year: number, county?: string): Promise<RegisterUnit[]> {
  const q = readerOf(db)('register_units').where({ year });
  if (county) q.where({ county });
  return q.orderBy([{ column: 'county' }, { column: 'name' }, { column: 'uscc' }]);
}

/** One page of a register, sorted by county, name and credit code, with the total; `q` finds a name or a credit code. */
export async function pageRegister(
  db: Knex,
  f: { year: number; county?: string; q?: string },
  page: number,
  perPage: number,
): Promise<{ rows: RegisterUnit[]; total: number }> {
  const where = (q: Knex.QueryBuilder) => {
    q.where({ year: f.year });
    if (f.county) q.where({ county: f.county });
    if (f.q) q.where((w) => w.where('name', 'like', `%${f.q}%`).orWhere('uscc', 'like', `%${f.q!.toUpperCase()}%`));
    return q;
  };
  const total = Number((await where(readerOf(db)('register_units')).count('id as n').first())?.n ?? 0);
  const rows = await where(readerOf(db)('register_units'))
    .orderBy([{ column: 'county' }, { column: 'name' }, { column: 'uscc' }])
    .limit(perPage)
    .offset((page - 1) * perPage);
  return { rows, total };
}

export async function countRegister(db: Knex, year: number, county?: string): Promise<number> {
  const q = readerOf(db)('register_units').where({ year }).count('id as n');
  if (county) q.where({ county });
  return Number((await q.first())?.n ?? 0);
}

export const findUnit = (db: Knex, id: number): Promise<RegisterUnit | undefined> =>
  readerOf(db)('register_units').where({ id }).first();

export const findUnitInYear = (db: Knex, year: number, uscc: string): Promise<RegisterUnit | undefined> =>
  db('register_units').where({ year, uscc }).first();

/** A unit's entry in the latest data year that lists it. */
export const findLatestUnit = (db: Knex, uscc: string): Promise<RegisterUnit | undefined> =>
  db('register_units').where({ uscc }).orderBy('year', 'desc').first();

export async function insertUnit(db: Knex, year: number, u: UnitFields): Promise<number> {
  const now = new Date().toISOString();
  const [row] = await db('register_units')
    .insert({ year, ...u, created_at: now, updated_at: now })
    .returning('id');
  return typeof row === 'object' ? row.id : row;
}

export async function updateUnit(db: Knex, id: number, u: Partial<UnitFields>): Promise<void> {
  await db('register_units')
    .where({ id })
    .update({ ...u, updated_at: new Date().toISOString() });
}

export interface RegisterImport {
  id: string;
  user_id: number;
  year: number;
  county: string | null;
  file_name: string;
  content: Buffer;
  sha256: string;
  status: 'refused' | 'pending' | 'confirmed';
  created_at: string;
  confirmed_at: string | null;
  summary_json: string | null;
}

export async function insertImport(db: Knex, r: Omit<RegisterImport, 'confirmed_at' | 'created_at'>): Promise<void> {
  await db('register_imports').insert({ ...r, created_at: new Date().toISOString(), confirmed_at: null });
}

export async function findImport(db: Knex, id: string): Promise<RegisterImport | undefined> {
  const r = await db('register_imports').where({ id }).first();
  return r ? { ...r, content: Buffer.from(r.content), year: Number(r.year), user_id: Number(r.user_id) } : undefined;
}

/** Marks a pending import confirmed; false when it was not pending (confirmed twice, or refused). */
export async function confirmImport(db: Knex, id: string, summaryJson: string): Promise<boolean> {
  const n = await db('register_imports')
    .where({ id, status: 'pending' })
    .update({ status: 'confirmed', confirmed_at: new Date().toISOString(), summary_json: summaryJson });
  return n > 0;
}

export interface UnitCode {
  id: number;
  uscc: string;
  purpose: 'activate' | 'invite';
  expires_at: string;
  used_at: string | null;
}

/** A new code for a unit; an activation code replaces the unit's earlier unused one (it stops working). */
export async function putUnitCode(
  db: Knex,
  c: { uscc: string; purpose: 'activate' | 'invite'; code_hash: string; expires_at: string; issued_by: string },
): Promise<void> {
  await db.transaction(async (trx) => {
    if (c.purpose === 'activate')
      await trx('unit_codes').where({ uscc: c.uscc, purpose: 'activate' }).whereNull('used_at').delete();
    await trx('unit_codes').insert({ ...c, created_at: new Date().toISOString() });
  });
}

export const findUnitCode = (db: Knex, uscc: string, hash: string, now: string): Promise<UnitCode | undefined> =>
  db('unit_codes').where({ uscc, code_hash: hash }).whereNull('used_at').where('expires_at', '>', now).first();

/** Takes an unused code: true once. */
export async function takeUnitCode(db: Knex, id: number, now: string): Promise<boolean> {
  return (await db('unit_codes').where({ id }).whereNull('used_at').update({ used_at: now })) > 0;
}

/** Credit codes that have at least one enabled employer user. */
export async function activatedUsccs(db: Knex, usccs: string[]): Promise<Set<string>> {
  if (!usccs.length) return new Set();
  const out = new Set<string>();
  for (let i = 0; i < usccs.length; i += 500) {
    const rows = await readerOf(db)('users as u')
      .join('employers as e', 'e.id', 'u.employer_id')
      .whereIn('e.uscc', usccs.slice(i, i + 500))
      .where('u.role', 'employer')
      .whereNull('u.disabled_at')
      .distinct('e.uscc');
    for (const r of rows) out.add(r.uscc);
  }
  return out;
}

/** An employer's users (employer role), in the order they were created: the first is the unit's 负责人. */
export function listEmployerUsers(
  db: Knex,
  employerId: number,
): Promise<{ id: number; username: string; display_name: string; created_at: string; disabled_at: string | null }[]> {
  return readerOf(db)('users')
    .where({ employer_id: employerId, role: 'employer' })
    .whereNull('disabled_at')
    .orderBy('id')
    .select('id', 'username', 'display_name', 'created_at', 'disabled_at');
}
