/**
 * The database: an embedded SQLite file under the data directory by default; PostgreSQL when
 * DATABASE_URL names it (the way to run several app instances on one database).
 */
import knex, { type Knex } from 'knex';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Db = Knex;

export function isPostgres(db: Db): boolean {
  return db.client.config.client === 'pg';
}

const READER = Symbol('reader');

/**
 * Where a read that needs no transaction goes: on SQLite, a small pool of read-only connections beside the
 * one writer, so in WAL mode a page, a session or a status poll is not queued behind a long write; inside a
 * transaction, on PostgreSQL or an in-memory database, the connection itself.
 */
export function readerOf(db: Db | Knex.Transaction): Knex {
  if ((db as Knex.Transaction).isTransaction) return db as Knex;
  return (db as unknown as Record<symbol, Knex | undefined>)[READER] ?? (db as Knex);
}

type Conn = { run: (sql: string, cb: (err: Error | null) => void) => void };
const pragmas = (list: string[]) => (conn: Conn, done: (err: Error | null, conn: unknown) => void) => {
  const next = (i: number): void => {
    if (i === list.length) return done(null, conn);
    conn.run(list[i], (e) => (e ? done(e, conn) : next(i + 1)));
  };
  next(0);
};

export function connect(opts: { databaseUrl: string | null; dataDir: string; filename?: string }): Db {
  if (opts.databaseUrl && /^postgres(ql)?:/.test(opts.databaseUrl)) {
    return knex({ client: 'pg', connection: opts.databaseUrl, pool: { min: 0, max: 10 } });
  }
  const memory = opts.filename === ':memory:';
  if (!memory) mkdirSync(opts.dataDir, { recursive: true });
  const filename = memory ? ':memory:' : join(opts.dataDir, opts.filename ?? 'quotadesk.sqlite3');
  // one writer (SQLite takes one write at a time; transactions and writes are serialised here, never busy-looped)
  const db = knex({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: pragmas([
        'PRAGMA foreign_keys = ON',
        'PRAGMA journal_mode = WAL',
        'PRAGMA busy_timeout = 5000',
        'PRAGMA synchronous = NORMAL',
      ]),
    },
  });
  if (memory) return db;
  // readers: WAL lets them read the last committed state while the writer writes
  const reader = knex({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 0,
      max: 3,
      idleTimeoutMillis: 30_000,
      afterCreate: pragmas(['PRAGMA busy_timeout = 5000', 'PRAGMA query_only = ON']),
    },
  });
  (db as unknown as Record<symbol, Knex>)[READER] = reader;
  // the readers close with the database (knex's destroy ends in its client's)
  const client = db.client as { destroy: (cb?: unknown) => Promise<void> };
  const destroy = client.destroy.bind(client);
  client.destroy = async (cb?: unknown) => {
    await reader.destroy();
    return destroy(cb);
  };
  return db;
}
