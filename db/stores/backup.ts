/**
 * What a backup and a restore ask of the database itself (server/services/backup.ts): a consistent copy of a
 * SQLite database, the schema version, whether a database holds any data, emptying one before a restore, and
 * the lock row that lets one instance among several take a scheduled backup.
 */
import knex, { type Knex } from 'knex';
import { readerOf } from '../connection';

/** Tables that hold the migrations' own bookkeeping, not the installation's data. */
const BOOKKEEPING = new Set(['knex_migrations', 'knex_migrations_lock']);

/**
 * A consistent copy of a SQLite database in `path` (which must not exist), taken on a connection of its own
 * beside the app's writer: in WAL mode the app keeps writing meanwhile, and the copy is the last state
 * committed when it began (the app's read connections are query-only, which VACUUM INTO is not).
 */
export async function vacuumInto(db: Knex, path: string): Promise<void> {
  const filename = (db.client.config.connection as { filename: string }).filename;
  if (filename === ':memory:') {
    await db.raw('VACUUM INTO ?', [path]);
    return;
  }
  const own = knex({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  try {
    await own.raw('PRAGMA busy_timeout = 5000');
    await own.raw('VACUUM INTO ?', [path]);
  } finally {
    await own.destroy();
  }
}

/** The last migration run: the schema version a backup records. */
export async function latestMigration(db: Knex): Promise<string | null> {
  const hasTable = await db.schema.hasTable('knex_migrations');
  if (!hasTable) return null;
  const r: { name: string } | undefined = await db('knex_migrations').orderBy('id', 'desc').first('name');
  return r?.name ?? null;
}

/** The installation's tables (not the migrations' bookkeeping). */
export async function dataTables(db: Knex): Promise<string[]> {
  const names: string[] =
    db.client.config.client === 'pg'
      ? (
          (await db.raw('select tablename as name from pg_tables where schemaname = current_schema()')) as {
            rows: { name: string }[];
          }
        ).rows.map((r) => r.name)
      : (
          (await db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")) as {
            name: string;
          }[]
        ).map((r) => r.name);
  return names.filter((n) => !BOOKKEEPING.has(n)).sort();
}

/** The tables holding at least one row: none means the database is empty (at most migrated). */
export async function tablesWithRows(db: Knex): Promise<string[]> {
  const out: string[] = [];
  for (const t of await dataTables(db)) if (await db(t).first(db.raw('1 as x'))) out.push(t);
  return out;
}

/** Rows per table, for the manifest (a restore reports what it brought back). */
export async function rowCounts(db: Knex): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await dataTables(db)) out[t] = Number((await db(t).count('* as n').first())?.n ?? 0);
  return out;
}

/**
 * PostgreSQL: drops what the migrations create in the current schema — tables, views, sequences, functions
 * (the triggers' own) and types — so a dump restores into an empty schema.
 */
export async function dropAllTables(db: Knex): Promise<void> {
  const rows = async (sql: string) => ((await db.raw(sql)) as { rows: { name: string; args?: string }[] }).rows;
  await db.transaction(async (trx) => {
    for (const r of await rows('select viewname as name from pg_views where schemaname = current_schema()'))
      await trx.raw('drop view if exists ?? cascade', [r.name]);
    for (const r of await rows('select tablename as name from pg_tables where schemaname = current_schema()'))
      await trx.raw('drop table if exists ?? cascade', [r.name]);
    for (const r of await rows(
      'select sequence_name as name from information_schema.sequences where sequence_schema = current_schema()',
    ))
      await trx.raw('drop sequence if exists ?? cascade', [r.name]);
    for (const r of await rows(
      "select p.proname as name, pg_get_function_identity_arguments(p.oid) as args from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = current_schema() and p.prokind = 'f'",
    ))
      await trx.raw(`drop function if exists ??(${r.args ?? ''}) cascade`, [r.name]);
    for (const r of await rows(
      "select t.typname as name from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname = current_schema() and t.typtype in ('e', 'd')",
    ))
      await trx.raw('drop type if exists ?? cascade', [r.name]);
  });
}

const LOCK_KEY = 'backup.schedule';

interface LockValue {
  /** when the last scheduled backup finished, ISO */
  lastAt: string | null;
  holder: string | null;
  /** ms since the epoch until which the holder's claim stands */
  until: number;
}

/**
 * Claims the scheduled backup for `holder` when the last one finished more than `everyMs` ago and no other
 * instance holds an unexpired claim. The claim is a compare-and-set on the settings row, so of two instances
 * ticking together exactly one wins. Returns whether this instance holds it.
 */
export async function claimScheduledBackup(
  db: Knex,
  holder: string,
  everyMs: number,
  leaseMs: number,
  now = Date.now(),
): Promise<boolean> {
  const initial: LockValue = { lastAt: null, holder: null, until: 0 };
  await db('settings')
    .insert({
      key: LOCK_KEY,
      value_json: JSON.stringify(initial),
      updated_by: null,
      updated_at: new Date(now).toISOString(),
    })
    .onConflict('key')
    .ignore();
  const row: { value_json: string } | undefined = await db('settings').where({ key: LOCK_KEY }).first('value_json');
  if (!row) return false;
  const v = JSON.parse(row.value_json) as LockValue;
  if (v.lastAt && now - Date.parse(v.lastAt) < everyMs) return false;
  if (v.holder && v.until > now) return false;
  const next: LockValue = { lastAt: v.lastAt, holder, until: now + leaseMs };
  const n = await db('settings')
    .where({ key: LOCK_KEY, value_json: row.value_json })
    .update({ value_json: JSON.stringify(next), updated_at: new Date(now).toISOString() });
  return Number(n) === 1;
}

/** Ends the holder's claim; `finishedAt` (ISO) when the backup was written, null when it failed (tried again next tick). */
export async function releaseScheduledBackup(db: Knex, holder: string, finishedAt: string | null): Promise<void> {
  const row: { value_json: string } | undefined = await db('settings').where({ key: LOCK_KEY }).first('value_json');
  if (!row) return;
  const v = JSON.parse(row.value_json) as LockValue;
  if (v.holder !== holder) return;
  const next: LockValue = { lastAt: finishedAt ?? v.lastAt, holder: null, until: 0 };
  await db('settings')
    .where({ key: LOCK_KEY, value_json: row.value_json })
    .update({ value_json: JSON.stringify(next), updated_at: new Date().toISOString() });
}

/** When the last scheduled backup finished (ISO), if any: for the metrics and readiness. */
export async function lastScheduledBackup(db: Knex): Promise<string | null> {
  const row: { value_json: string } | undefined = await readerOf(db)('settings')
    .where({ key: LOCK_KEY })
    .first('value_json');
  return row ? ((JSON.parse(row.value_json) as LockValue).lastAt ?? null) : null;
}
