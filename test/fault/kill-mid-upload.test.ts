/**
 * The app killed with SIGKILL while it processes an upload leaves no half-written result; on
 * restart the stored upload is processed again — or, after two interrupted attempts, marked failed with a
 * retry — and nothing the employer sent is lost.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Db } from '../../db/connection';
import { verifyAudit } from '../../db/stores/audit';
import { writeSynthetic } from '../bench/synthetic';
import { login } from '../helpers/app';
import { startServer, type RunningServer } from '../helpers/server';

jest.setTimeout(240_000);

const dir = mkdtempSync(join(tmpdir(), 'qd-kill-'));
const dataDir = join(dir, 'data');
const env = { DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', RECOVER_AFTER_SECONDS: '1' };
const A = { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市' };
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
});

const withDb = async <T>(f: (db: Db) => Promise<T>): Promise<T> => {
  const db = connect({ databaseUrl: null, dataDir });
  try {
    return await f(db);
  } finally {
    await db.destroy();
  }
};

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('SIGKILL during processing: no half-written result; after restart the upload is processed once', async () => {
  const file = join(dir, 'big.xlsx');
  await writeSynthetic(file, 60_000, A);
  server = await startServer(env);
  const { agent, csrf } = await login(server.url, 'employer.a');
  const res = await agent
    .post('/employer/uploads')
    .set('x-csrf-token', csrf)
    .set('Accept', 'application/json')
    .attach('file', file, '大名册.xlsx');
  expect(res.status).toBe(202);
  const id: string = res.body.id;
  // wait until the reader has made progress, then kill the process mid-way
  await waitFor('progress', async () => {
    const s = await agent.get(`/employer/uploads/${id}/status`);
    return s.body.status === 'processing' && s.body.rowsRead > 0 ? true : undefined;
  });
  await server.kill();

  const state = await withDb(async (db) => ({
    upload: await db('uploads').where({ id }).first(),
    checks: await db('checks').where({ upload_id: id }).count('* as n').first(),
    subs: await db('submissions')
      .join('checks', 'checks.id', 'submissions.check_id')
      .where('checks.upload_id', id)
      .count('* as n')
      .first(),
  }));
  expect(state.upload.status).toBe('processing');
  expect(Number(state.checks!.n)).toBe(0); // nothing half-written
  expect(Number(state.subs!.n)).toBe(0);
  const stored = join(dataDir, 'uploads', state.upload.stored_name);
  expect(existsSync(stored)).toBe(true); // the file the employer sent is kept …
  expect(createHash('sha256').update(readFileSync(stored)).digest('hex')).toBe(
    createHash('sha256').update(readFileSync(file)).digest('hex'),
  ); // … intact

  await new Promise((r) => setTimeout(r, 1200)); // older than RECOVER_AFTER_SECONDS
  server = await startServer(env);
  const again = await login(server.url, 'employer.a');
  const done = await waitFor('processed', async () => {
    const s = await again.agent.get(`/employer/uploads/${id}/status`);
    return s.body.status === 'processed' ? s.body : undefined;
  });
  expect(done.checkUrl).toMatch(/^\/employer\/checks\//);
  await server.stop();
  server = undefined;
  await withDb(async (db) => {
    expect(Number((await db('checks').where({ upload_id: id }).count('* as n').first())!.n)).toBe(1);
    expect((await db('uploads').where({ id }).first()).attempts).toBe(2);
    expect((await verifyAudit(db)).ok).toBe(true);
  });
});

test('an upload interrupted twice is marked failed with a retry instead of being processed again', async () => {
  const id = await withDb(async (db) => {
    const up = await db('uploads').where({ file_name: '大名册.xlsx' }).first();
    // back to the state of an upload whose check was never written: no check, nothing recorded from one
    const check = await db('checks').where({ upload_id: up.id }).first('id');
    if (check) await db('counted_persons').where({ check_id: check.id }).del();
    await db('checks').where({ upload_id: up.id }).del();
    await db('uploads')
      .where({ id: up.id })
      .update({ status: 'processing', attempts: 2, updated_at: '2026-01-01T00:00:00.000Z' });
    return up.id as string;
  });
  server = await startServer(env);
  const { agent, csrf } = await login(server.url, 'employer.a');
  const s = await waitFor('failed', async () => {
    const r = await agent.get(`/employer/uploads/${id}/status`);
    return r.body.status === 'failed' ? r.body : undefined;
  });
  expect(s.error).toContain('两次中断');
  const page = await agent.get(`/employer/uploads/${id}`);
  expect(page.text).toContain(`/employer/uploads/${id}/retry`);
  const retry = await agent.post(`/employer/uploads/${id}/retry`).type('form').send({ _csrf: csrf });
  expect(retry.status).toBe(303);
  const st = await agent.get(`/employer/uploads/${id}/status`);
  expect(st.body.status).toBe('processed');
});
