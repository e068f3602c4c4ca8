/**
 * A full disk and a read-only data directory give a clear error page, never a crash loop.
 * The data directory is a small tmpfs mounted for the test (root is needed to mount; .ci/run runs as root).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { login } from '../helpers/app';
import { startServer, type RunningServer } from '../helpers/server';
import { waitFor } from '../helpers/wait';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'qd-storage-'));
const mnt = join(dir, 'mnt');
const dataDir = join(mnt, 'data');
const env = { DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', STORAGE_PROBE_SECONDS: '1' };
const A = { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市', unit_type: '企业' };
const workbook = join(dir, 'a.xlsx');
let server: RunningServer | undefined;

const mount = (...args: string[]) => execFileSync('mount', args, { stdio: 'pipe' });

beforeAll(async () => {
  mkdirSync(mnt);
  try {
    mount('-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mnt);
  } catch (e) {
    throw new Error(`the storage fault tests mount a small tmpfs and need root: ${(e as Error).message}`);
  }
  await writeRosterWorkbook(workbook, A, 'short');
});
afterAll(async () => {
  await server?.stop();
  try {
    mount('-o', 'remount,rw', mnt);
  } catch {
    /* already rw */
  }
  execFileSync('umount', ['-l', mnt]);
  rmSync(dir, { recursive: true, force: true });
});

/** Fills the file system until it refuses a write. */
function fill(path: string) {
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(path, `filler-${i}`), chunk);
    } catch {
      for (let k = 0; k < 64; k++) {
        try {
          writeFileSync(join(path, `small-${i}-${k}`), Buffer.alloc(4096));
        } catch {
          return;
        }
      }
      return;
    }
  }
}

test('a full disk: the upload gets a clear 507 page, the app stays up, and works again once space is freed', async () => {
  server = await startServer(env);
  const { agent, csrf } = await login(server.url, 'employer.a');
  const fillDir = join(mnt, 'filler');
  mkdirSync(fillDir);
  fill(fillDir);
  const res = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', workbook, 'a.xlsx');
  expect(res.status).toBe(507);
  expect(res.text).toContain('存储空间已满');
  expect(res.text).toContain('请保留您的文件');
  expect(server.child.exitCode).toBeNull(); // still running
  expect((await request(server.url).get('/notices')).status).toBeLessThan(500); // reading still works
  rmSync(fillDir, { recursive: true, force: true });
  const ok = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', workbook, 'a.xlsx');
  expect(ok.status).toBe(303);
});

test('a read-only data directory: a clear 503 page while running; at start-up a maintenance page, not a crash loop', async () => {
  const { agent, csrf } = await login(server!.url, 'employer.a');
  // while running: the uploads folder turns read-only (a read-only bind mount over it; the database files
  // stay open for writing, which is why the whole file system cannot be remounted under a running app)
  const uploads = join(dataDir, 'uploads');
  mount('--bind', uploads, uploads);
  mount('-o', 'remount,bind,ro', uploads);
  const res = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', workbook, 'a.xlsx');
  expect(res.status).toBe(503);
  expect(res.text).toContain('数据目录当前只读');
  expect(server!.child.exitCode).toBeNull();
  execFileSync('umount', [uploads]);
  await server!.stop();
  mount('-o', 'remount,ro', mnt);

  // start on the read-only directory: the process answers with the maintenance page and says why
  server = await startServer(env, { ready: () => true }); // answering at all: which answer is asserted below
  const page = await request(server.url).get('/employer');
  expect(page.status).toBe(503);
  expect(page.headers['retry-after']).toBeDefined();
  expect(page.text).toContain('数据目录当前只读');
  expect((await request(server.url).get('/healthz')).body).toMatchObject({ ok: false, storage: 'readonly' });
  expect(server.output()).toContain('data directory not writable');
  expect(server.child.exitCode).toBeNull(); // serving, not restarting

  // writable again: the app starts by itself
  mount('-o', 'remount,rw', mnt);
  const status = await waitFor('the app to start by itself', () =>
    request(server!.url)
      .get('/healthz')
      .then(
        (r) => (r.status === 200 ? r.status : undefined),
        () => undefined,
      ),
  );
  expect(status).toBe(200);
  const again = await login(server.url, 'employer.a');
  const ok = await again.agent
    .post('/employer/uploads')
    .set('x-csrf-token', again.csrf)
    .attach('file', workbook, 'a.xlsx');
  expect(ok.status).toBe(303);
});
