/** The 残联's certificate register (docs/rules.md §4.3): its imports and their hashed rows. */
import type { Knex } from 'knex';
import { readerOf } from '../connection';

type Db = Knex | Knex.Transaction;

export interface CertImportRow {
  id: number;
  file_name: string;
  rows: number;
  problems_json: string;
  status: 'preview' | 'active' | 'replaced' | 'discarded';
  created_by: number;
  created_at: string;
  confirmed_at: string | null;
}

export interface CertEntryRow {
  import_id: number;
  row: number;
  person_key: string;
  category: number;
  grade: number;
  issued: string;
  valid_to: string | null;
  cancelled_on: string | null;
}

const imp = (r: CertImportRow | undefined) => r && { ...r, id: Number(r.id), rows: Number(r.rows) };

export async function insertCertImport(
  db: Db,
  i: Pick<CertImportRow, 'file_name' | 'rows' | 'problems_json' | 'created_by'>,
  entries: Omit<CertEntryRow, 'import_id'>[],
): Promise<number> {
  const [id] = await db('cert_register_imports')
    .insert({ ...i, status: 'preview', created_at: new Date().toISOString() })
    .returning('id');
  const importId = typeof id === 'object' ? Number((id as { id: number }).id) : Number(id);
  for (let k = 0; k < entries.length; k += 100)
    await db('cert_register_entries').insert(entries.slice(k, k + 100).map((e) => ({ ...e, import_id: importId })));
  return importId;
}

export const findCertImport = async (db: Db, id: number) =>
  imp(await readerOf(db)('cert_register_imports').where({ id }).first());
export const activeCertImport = async (db: Db) =>
  imp(await readerOf(db)('cert_register_imports').where({ status: 'active' }).orderBy('id', 'desc').first());
export const recentCertImports = async (db: Db, limit = 10) =>
  ((await readerOf(db)('cert_register_imports').orderBy('id', 'desc').limit(limit)) as CertImportRow[]).map((r) =>
    imp(r)!,
  );

/** The preview's first rows (no number: the key is not shown either). */
export const certEntriesPage = (db: Db, importId: number, limit: number) =>
  readerOf(db)('cert_register_entries')
    .where({ import_id: importId })
    .orderBy('row')
    .limit(limit)
    .select('row', 'category', 'grade', 'issued', 'valid_to', 'cancelled_on') as Promise<
    Omit<CertEntryRow, 'import_id' | 'person_key'>[]
  >;

/** Counts of the import's rows: all, cancelled, with an end date before `day`. */
export async function certImportCounts(db: Db, importId: number, day: string) {
  const q = () => readerOf(db)('cert_register_entries').where({ import_id: importId });
  const n = async (b: Knex.QueryBuilder) => Number((await b.count('* as n').first())?.n ?? 0);
  return {
    total: await n(q()),
    cancelled: await n(q().whereNotNull('cancelled_on')),
    expired: await n(q().whereNull('cancelled_on').whereNotNull('valid_to').andWhere('valid_to', '<', day)),
  };
}

/** The previewed import becomes the register; the one before it is replaced. False when it is not a preview. */
export async function activateCertImport(db: Db, id: number): Promise<boolean> {
  const n = await db('cert_register_imports')
    .where({ id, status: 'preview' })
    .update({ status: 'active', confirmed_at: new Date().toISOString() });
  if (n !== 1) return false;
  await db('cert_register_imports').where({ status: 'active' }).whereNot({ id }).update({ status: 'replaced' });
  return true;
}

export const discardCertImport = (db: Db, id: number) =>
  db('cert_register_imports').where({ id, status: 'preview' }).update({ status: 'discarded' });

/** Every entry of an import, by key (the register a check reads). */
export const certEntriesOf = (db: Db, importId: number) =>
  readerOf(db)('cert_register_entries')
    .where({ import_id: importId })
    .select('person_key', 'category', 'grade', 'issued', 'valid_to', 'cancelled_on') as Promise<
    Omit<CertEntryRow, 'import_id' | 'row'>[]
  >;
