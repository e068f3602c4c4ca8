/**
 * A PostgreSQL for suites that need one whatever the run: DATABASE_URL when it names PostgreSQL, else a
 * throwaway cluster from .ci/postgres.sh on a random port (Debian's postgresql, as root), stopped by `stop`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Postgres {
  url: string;
  /** A throwaway cluster (not the caller's DATABASE_URL)? */
  own: boolean;
  stop: () => void;
}

export function postgres(port = 40000 + Math.floor(Math.random() * 10000)): Postgres {
  const given = process.env.DATABASE_URL ?? '';
  if (/^postgres(ql)?:/.test(given)) return { url: given, own: false, stop: () => undefined };
  const rootFile = join(mkdtempSync(join(tmpdir(), 'qd-pg-')), 'root');
  const url = execFileSync('bash', [join(__dirname, '..', '..', '.ci', 'postgres.sh')], {
    encoding: 'utf8',
    env: { ...process.env, PGPORT: String(port), PGROOT_FILE: rootFile },
  }).trim();
  const root = readFileSync(rootFile, 'utf8').trim();
  return {
    url,
    own: true,
    stop: () => {
      const pgbin = execFileSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], {
        encoding: 'utf8',
      }).trim();
      execFileSync('runuser', ['-u', 'postgres', '--', `${pgbin}/pg_ctl`, '-D', `${root}/data`, '-m', 'fast', 'stop'], {
        stdio: 'ignore',
      });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
