/**
 * A storage fault while an upload is processed in the background (after the 202) once
 * rejected a promise nobody awaited, and the process exited. The database is made to fail the way a full
 * disk does (a trigger raising SQLite's "database or disk is full") on the check's insert and on the
 * write that records the failure; the server keeps serving, the upload ends failed with the storage
 * message, and a retry succeeds once storage is back. A stray unhandled rejection is logged, not fatal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../db/connection';
import { writeDemoWorkbook } from '../../server/demo/workbooks';
import { login } from '../helpers/app';
import { startServer, type RunningServer } from '../helpers/server';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'qd-bgfault-'));
const dataDir = join(dir, 'data');
let server: RunningServer;
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const FULL = "SELECT RAISE(FAIL, 'database or disk is full')";
const until = async <T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 300_000): Promise<T> => {
  const end = Date.now() + ms;
  let v = await f();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    v = await f();
  }
  return v;
};

test('a full disk during background processing: the process stays up, the upload fails cleanly and a retry succeeds', async () => {
  server = await startServer({
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: 'silent',
    RECOVER_AFTER_SECONDS: '3',
    UPLOAD_WORKERS: '1',
  });
  const { agent, csrf } = await login(server.url, 'employer.a');
  const file = join(dir, 'a.xlsx');
  await writeDemoWorkbook(
    file,
    { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市', unit_type: '企业' },
    'short',
  );
  const db = connect({ databaseUrl: null, dataDir });
  try {
    await db.raw(`CREATE TRIGGER full_checks BEFORE INSERT ON checks BEGIN ${FULL}; END`);
    await db.raw(`CREATE TRIGGER full_failed BEFORE UPDATE ON uploads WHEN NEW.status = 'failed' BEGIN ${FULL}; END`);
    const res = await agent
      .post('/employer/uploads')
      .set('x-csrf-token', csrf)
      .set('Accept', 'application/json')
      .attach('file', file, 'a.xlsx');
    expect(res.status).toBe(202);
    const status = () => agent.get(res.body.statusUrl).then((r) => r.body as { status: string; error: string | null });
    // processing failed and its failure could not be written either: before the fix, the process exited here
    await until(
      () => db('uploads').where({ id: res.body.id }).first(),
      (u) => u.attempts >= 1 && u.updated_at !== u.created_at,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await status()).status).not.toBe('processed');

    // storage back for status writes: recovery processes it again, and now the failure is recorded
    await db.raw('DROP TRIGGER full_failed');
    const failed = await until(status, (x) => x.status === 'failed');
    expect(failed.status).toBe('failed');
    expect(failed.error).not.toMatch(/insert into|select |SQLITE_/i);

    // all storage back: the employer's retry succeeds
    await db.raw('DROP TRIGGER full_checks');
    const retry = await agent.post(`/employer/uploads/${res.body.id}/retry`).type('form').send({ _csrf: csrf });
    expect(retry.status).toBe(303);
    expect((await until(status, (x) => x.status === 'processed')).status).toBe('processed');
  } finally {
    await db.destroy();
  }
  await server.stop();
});

test('an unhandled rejection is logged and the server keeps serving', async () => {
  const preload = join(dir, 'reject-later.mjs');
  const go = join(dir, 'reject-now');
  // preloaded into the server: once the test says so, a promise is rejected with a full-disk error and never handled
  writeFileSync(
    preload,
    `import { existsSync } from 'node:fs';\nconst t = setInterval(() => { if (existsSync(${JSON.stringify(go)})) { clearInterval(t); Promise.reject(Object.assign(new Error('No space left on device'), { code: 'ENOSPC' })); } }, 100);\nt.unref();\n`,
  );
  server = await startServer({
    DATA_DIR: join(dir, 'data2'),
    DATABASE_URL: '',
    LOG_LEVEL: 'info',
    DEMO: '0',
    NODE_OPTIONS: `--import ${preload}`,
  });
  writeFileSync(go, '');
  await until(
    async () => server.output(),
    (o) => o.includes('unhandled rejection') || server.child.exitCode !== null,
  );
  await new Promise((r) => setTimeout(r, 500));
  expect(server.child.exitCode).toBeNull();
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect(server.output()).toMatch(/"msg":"unhandled rejection".*"fault":"full"/);
});
