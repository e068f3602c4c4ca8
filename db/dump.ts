/**
 * PostgreSQL's own tools for a consistent copy of a live database: `pg_dump` (custom format, one snapshot
 * while the app keeps writing) and `pg_restore`. They are looked for in PG_BIN when set, then in the newest
 * /usr/lib/postgresql/<version>/bin (Debian's layout; a dump needs a pg_dump at least as new as the server),
 * then on the PATH.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { settings } from '../server/config';

export function pgTool(name: 'pg_dump' | 'pg_restore', pgBin = settings.pgBin()): string {
  if (pgBin) return join(pgBin, name);
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions.length ? join(root, versions[0], 'bin', name) : name;
}

/** The connection as libpq's environment, so no password appears in a process list. */
function libpqEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const u = new URL(databaseUrl);
  const env = settings.childEnv();
  env.PGHOST = decodeURIComponent(u.hostname);
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  env.PGDATABASE = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const ssl = u.searchParams.get('sslmode');
  if (ssl) env.PGSSLMODE = ssl;
  return env;
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (err.length < 4000) err += d;
    });
    child.on('error', (e) =>
      reject(new Error(`${tool} could not be started (${e.message}): install PostgreSQL's client tools or set PG_BIN`)),
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${tool} failed (exit ${code}): ${err.trim().slice(0, 1000)}`)),
    );
  });
}

/** Writes a custom-format dump of the database to `file`. */
export async function pgDump(databaseUrl: string, file: string, pgBin = settings.pgBin()): Promise<void> {
  await run(
    pgTool('pg_dump', pgBin),
    ['--format=custom', '--no-owner', '--no-privileges', '--file', file],
    libpqEnv(databaseUrl),
  );
}

/** Restores a custom-format dump into the (emptied) database, in one transaction: all of it or nothing. */
export async function pgRestore(databaseUrl: string, file: string, pgBin = settings.pgBin()): Promise<void> {
  const env = libpqEnv(databaseUrl);
  await run(
    pgTool('pg_restore', pgBin),
    [
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      '--dbname',
      env.PGDATABASE ?? '',
      file,
    ],
    env,
  );
}
