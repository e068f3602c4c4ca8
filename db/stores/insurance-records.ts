/** The insurer's payment records (docs/rules.md §4.4): their imports and the hashed rows. */
import type { Knex } from 'knex';
import { readerOf } from '../connection';

type Db = Knex | Knex.Transaction;

export interface InsuranceImportRow {
  id: number;
  file_name: string;
  rows: number;
  problems_json: string;
  status: 'preview' | 'active' | 'replaced' | 'discarded';
  created_by: number;
  created_at: string;
  confirmed_at: string | null;
}

export interface InsuranceRecordRow {
  row: number;
  person_key: string;
  uscc: string;
  year: number;
  months_mask: number;
}

const imp = (r: InsuranceImportRow | undefined) => r && { ...r, id: Number(r.id), rows: Number(r.rows) };

export async function insertInsuranceImport(
  db: Db,
  i: Pick<InsuranceImportRow, 'file_name' | 'rows' | 'problems_json' | 'created_by'>,
  records: InsuranceRecordRow[],
): Promise<number> {
  const [id] = await db('insurance_imports')
    .insert({ ...i, status: 'preview', created_at: new Date().toISOString() })
    .returning('id');
  const importId = typeof id === 'object' ? Number((id as { id: number }).id) : Number(id);
  for (let k = 0; k < records.length; k += 150)
    await db('insurance_records').insert(records.slice(k, k + 150).map((r) => ({ ...r, import_id: importId })));
  return importId;
}

export const findInsuranceImport = async (db: Db, id: number) =>
  imp(await readerOf(db)('insurance_imports').where({ id }).first());
export const activeInsuranceImport = async (db: Db) =>
  imp(await readerOf(db)('insurance_imports').where({ status: 'active' }).orderBy('id', 'desc').first());
export const recentInsuranceImports = async (db: Db, limit = 10) =>
  ((await readerOf(db)('insurance_imports').orderBy('id', 'desc').limit(limit)) as InsuranceImportRow[]).map((r) =>
    imp(r)!,
  );

/** What the preview shows: rows by unit and year (no person). */
export const insuranceImportUnits = (db: Db, importId: number) =>
  readerOf(db)('insurance_records')
    .where({ import_id: importId })
    .groupBy('uscc', 'year')
    .orderBy(['year', 'uscc'])
    .limit(50)
    .select('uscc', 'year')
    .count('* as persons') as Promise<{ uscc: string; year: number; persons: number | string }[]>;

/** Every unit and year the imports' records cover: the results a confirmation can change (docs/rules.md §4.4). */
export async function insuranceCoverOf(db: Db, importIds: number[]): Promise<{ year: number; usccs: string[] }[]> {
  const rows: { uscc: string; year: number | string }[] = await readerOf(db)('insurance_records')
    .whereIn('import_id', importIds)
    .distinct('uscc', 'year');
  const byYear = new Map<number, Set<string>>();
  for (const r of rows) {
    const y = Number(r.year);
    if (!byYear.has(y)) byYear.set(y, new Set());
    byYear.get(y)!.add(r.uscc);
  }
  return [...byYear].sort(([a], [b]) => a - b).map(([year, u]) => ({ year, usccs: [...u].sort() }));
}

export async function activateInsuranceImport(db: Db, id: number): Promise<boolean> {
  const n = await db('insurance_imports')
    .where({ id, status: 'preview' })
    .update({ status: 'active', confirmed_at: new Date().toISOString() });
  if (n !== 1) return false;
  await db('insurance_imports').where({ status: 'active' }).whereNot({ id }).update({ status: 'replaced' });
  return true;
}

export const discardInsuranceImport = (db: Db, id: number) =>
  db('insurance_imports').where({ id, status: 'preview' }).update({ status: 'discarded' });

/** One unit's records in an import, every year. */
export const insuranceRecordsOfUnit = (db: Db, importId: number, uscc: string) =>
  readerOf(db)('insurance_records')
    .where({ import_id: importId, uscc })
    .select('person_key', 'year', 'months_mask') as Promise<
    { person_key: string; year: number; months_mask: number }[]
  >;
