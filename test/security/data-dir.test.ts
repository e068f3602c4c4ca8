/**
 * The data directory is created 0700 and what the app writes there 0600, and
 * temporary files orphaned by a process that stopped mid-request are removed at start.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../helpers/server';

jest.setTimeout(120_000);
const dir = mkdtempSync(join(tmpdir(), 'qd-perm-'));
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const mode = (p: string) => statSync(p).mode & 0o777;

test('a fresh data directory is 0700, the database and stored uploads 0600; stale temporary files are removed at start', async () => {
  const dataDir = join(dir, 'data');
  // a previous process died while receiving two files: one long ago, one a moment ago (another instance may own it)
  mkdirSync(join(dataDir, 'tmp'), { recursive: true, mode: 0o755 });
  writeFileSync(join(dataDir, 'tmp', 'stale-upload'), 'x');
  const old = new Date(Date.now() - 2 * 3600_000);
  utimesSync(join(dataDir, 'tmp', 'stale-upload'), old, old);
  writeFileSync(join(dataDir, 'tmp', 'recent-upload'), 'x');

  server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' }); // seeds the demo, so uploads exist
  expect(readdirSync(join(dataDir, 'tmp')).sort()).toEqual(['recent-upload']);
  expect(mode(dataDir)).toBe(0o700);
  expect(mode(join(dataDir, 'quotadesk.sqlite3'))).toBe(0o600);
  const uploads = readdirSync(join(dataDir, 'uploads'));
  expect(uploads.length).toBeGreaterThan(0);
  expect(mode(join(dataDir, 'uploads'))).toBe(0o700);
  for (const f of uploads) expect(`${f}: ${mode(join(dataDir, 'uploads', f)).toString(8)}`).toBe(`${f}: 600`);
});
