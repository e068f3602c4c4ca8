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

export function connect(opts: { databaseUrl: string | null; dataDir: string; filename?: string }): Db {
  if (opts.databaseUrl && /^postgres(ql)?:/.test(opts.databaseUrl)) {
    return knex({ client: 'pg', connection: opts.databaseUrl, pool: { min: 0, max: 10 } });
  }
  const memory = opts.filename === ':memory:';
  if (!memory) mkdirSync(opts.dataDir, { recursive: true });
  return knex({
    client: 'sqlite3',
    connection: { filename: memory ? ':memory:' : join(opts.dataDir, opts.filename ?? 'quotadesk.sqlite3') },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: { run: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) => {
        conn.run('PRAGMA foreign_keys = ON', (e1) => {
          if (e1) return done(e1, conn);
          conn.run('PRAGMA journal_mode = WAL', () => conn.run('PRAGMA busy_timeout = 5000', (e3) => done(e3, conn)));
        });
      },
    },
  });
}
