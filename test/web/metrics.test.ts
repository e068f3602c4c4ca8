/**
 * /metrics (Prometheus text format, prom-client, one registry per app) and /readyz. The metrics answer only
 * the addresses METRICS_ALLOW names, label requests by route pattern and status, and carry no personal data
 * or ids; readiness names the database, the migrations and the storage, and fails when one is not ready.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { connect, type Db } from '../../db/connection';
import { createApp, createServices } from '../../server/app';
import type { Config } from '../../server/config';
import { checkpointKey, writeCheckpoint } from '../../server/services/audit-checkpoint';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { login, testApp, type TestApp } from '../helpers/app';

jest.setTimeout(120_000);

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ uploadWorkers: 1 });
});
afterAll(async () => {
  await t.close();
});

/**
 * Another app on the same database with other settings (on PostgreSQL every test app of a file shares one
 * database, so a second testApp() would reset it under the first).
 */
async function appWith(config: Partial<Config>, db: Db = t.db) {
  const services = createServices({ db, config: { ...t.services.config, ...config }, log: () => undefined });
  return { app: createApp(services), services, close: () => services.close() };
}

const EMPLOYER_A = {
  name: '嘉兴示例精密机械有限公司',
  uscc: '91330481MA2B3C4D01',
  county: '海宁市',
  unit_type: '企业',
};

/** The value of one sample line, e.g. `quotadesk_upload_workers 1`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries(
      (m[2] ?? '')
        .split(/,(?=[a-z_]+=)/)
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), JSON.parse(kv.slice(kv.indexOf('=') + 1)) as string]),
    );
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

test('from an allowed address the metrics are there, with route patterns and statuses as labels', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'a.xlsx');
  await writeRosterWorkbook(file, EMPLOYER_A, 'short');
  const up = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', file, '精密机械2025.xlsx');
  expect(up.status).toBe(303);
  const uploadId = /\/employer\/uploads\/([0-9a-f-]{36})/.exec(up.headers.location)![1];
  await agent.get(up.headers.location);
  await agent.get(`/employer/uploads/${uploadId}`);
  await request(t.app).get('/notices/999999');
  await request(t.app).get('/no/such/page/330481199001011234');

  const res = await request(t.app).get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = res.text;
  expect(
    sample(text, 'quotadesk_http_requests_total', { method: 'POST', route: '/employer/uploads', status: '303' }),
  ).toBe(1);
  expect(
    sample(text, 'quotadesk_http_requests_total', { method: 'GET', route: '/employer/uploads/:id' }),
  ).toBeGreaterThanOrEqual(2);
  expect(sample(text, 'quotadesk_http_requests_total', { method: 'GET', route: '/login', status: '200' })).toBe(1);
  expect(sample(text, 'quotadesk_http_requests_total', { route: '/notices/:file', status: '404' })).toBe(1);
  expect(
    sample(text, 'quotadesk_http_request_duration_seconds_count', { method: 'POST', route: '/employer/uploads' }),
  ).toBe(1);
  expect(
    sample(text, 'quotadesk_http_request_duration_seconds_bucket', { route: '/employer/uploads', le: '+Inf' }),
  ).toBe(1);
  expect(sample(text, 'quotadesk_upload_queue_length', { status: 'received' })).toBeGreaterThanOrEqual(0);
  expect(sample(text, 'quotadesk_upload_queue_length', { status: 'processing' })).toBeGreaterThanOrEqual(0);
  expect(sample(text, 'quotadesk_upload_workers')).toBe(1);
  expect(sample(text, 'quotadesk_upload_workers_busy')).toBeGreaterThanOrEqual(0);
  expect(sample(text, 'quotadesk_recompute_runs_running')).toBe(0);
  expect(sample(text, 'quotadesk_recompute_results_done')).toBe(0);
  expect(sample(text, 'quotadesk_db_pool_connections', { state: 'used' })).toBeGreaterThanOrEqual(0);
  expect(sample(text, 'quotadesk_db_pool_connections', { state: 'free' })).toBeGreaterThanOrEqual(0);
  expect(sample(text, 'quotadesk_audit_checkpoint_age_seconds')).toBe(-1); // no checkpoint written yet
  const since = sample(text, 'quotadesk_audit_entries_since_checkpoint')!;
  expect(since).toBeGreaterThan(0); // the fixtures' and the upload's entries
  expect(sample(text, 'quotadesk_backup_last_timestamp_seconds')).toBe(0);
  // two entries unanchored, then a checkpoint of the head: nothing unanchored, and its age counts from it
  await t.services.audit.append({ actor: 'test', action: 'settings.changed', target: 'retention' });
  await t.services.audit.append({ actor: 'test', action: 'settings.changed', target: 'retention' });
  const unanchored = (await request(t.app).get('/metrics')).text;
  expect(sample(unanchored, 'quotadesk_audit_entries_since_checkpoint')).toBe(since + 2);
  await writeCheckpoint(t.db, t.dataDir, checkpointKey('test-secret'), new Date(Date.now() - 120_000).toISOString());
  const anchored = (await request(t.app).get('/metrics')).text;
  expect(sample(anchored, 'quotadesk_audit_entries_since_checkpoint')).toBe(0);
  expect(sample(anchored, 'quotadesk_audit_checkpoint_age_seconds')).toBeGreaterThanOrEqual(120);

  // no id, name, credit code, file name or path sent reaches a label
  expect(text).not.toContain(uploadId);
  const labelValues = [...text.matchAll(/="([^"]*)"/g)].map((m) => m[1]);
  expect(labelValues.filter((v) => v.includes('999999'))).toEqual([]);
  expect(text).not.toContain('330481199001011234');
  expect(text).not.toContain(EMPLOYER_A.uscc);
  expect(text).not.toContain('精密机械');
  expect(text).not.toContain('employer.a');
  for (const route of [...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]))
    expect(route).toMatch(/^(\/[\w.:-]*)*(\/\(unmatched\))?$|^\(unmatched\)$/);
});

test('the metrics count per app: another app in the same process starts from nothing', async () => {
  // a second app built on fresh services has its own registry
  const t2 = await appWith({});
  try {
    const text = (await request(t2.app).get('/metrics')).text;
    expect(sample(text, 'quotadesk_http_requests_total', { route: '/employer/uploads' })).toBeUndefined();
  } finally {
    await t2.close();
  }
});

test('an address METRICS_ALLOW does not name gets 404; a range it names is let in', async () => {
  // the client as the proxy on the loopback reports it (TRUST_PROXY=loopback)
  const refused = await request(t.app).get('/metrics').set('X-Forwarded-For', '203.0.113.7');
  expect(refused.status).toBe(404);
  expect(refused.text).not.toContain('quotadesk_');
  const t2 = await appWith({ metricsAllow: ['10.0.0.0/8', '2001:db8::/32'] });
  try {
    expect((await request(t2.app).get('/metrics')).status).toBe(404); // the loopback is not in the list
    expect((await request(t2.app).get('/metrics').set('X-Forwarded-For', '10.20.30.40')).status).toBe(200);
    expect((await request(t2.app).get('/metrics').set('X-Forwarded-For', '2001:db8::5')).status).toBe(200);
    expect((await request(t2.app).get('/metrics').set('X-Forwarded-For', '11.0.0.1')).status).toBe(404);
  } finally {
    await t2.close();
  }
  const none = await appWith({ metricsAllow: [] });
  try {
    expect((await request(none.app).get('/metrics')).status).toBe(404);
  } finally {
    await none.close();
  }
});

test('/readyz: ready while the database answers, every migration has run and the data directory takes a write', async () => {
  const ok = await request(t.app).get('/readyz');
  expect(ok.status).toBe(200);
  expect(ok.body).toEqual({ ok: true, checks: { database: 'ok', migrations: 'ok', storage: 'ok' } });
  // /healthz stays the liveness answer
  expect((await request(t.app).get('/healthz')).body).toEqual({ ok: true });
});

test('/readyz answers 503 naming what is not ready: migrations behind, storage not writable, database down', async () => {
  const last = (await t.db('knex_migrations').orderBy('id', 'desc').first()) as Record<string, unknown>;
  await t.db('knex_migrations').where({ id: last.id }).delete();
  try {
    const behind = await request(t.app).get('/readyz');
    expect(behind.status).toBe(503);
    expect(behind.body.checks).toEqual({ database: 'ok', migrations: 'behind', storage: 'ok' });
  } finally {
    await t.db('knex_migrations').insert(last);
  }
  // a data directory that cannot be written (here: a path that is a file, so this holds as root too)
  const blocked = join(t.dataDir, 'not-a-directory');
  writeFileSync(blocked, 'x');
  const ro = await appWith({});
  ro.services.config.dataDir = blocked;
  try {
    const res = await request(ro.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks).toEqual({ database: 'ok', migrations: 'ok', storage: 'readonly' });
  } finally {
    await ro.close();
  }
  // the database gone: a connection of its own, closed
  const gone = connect({ databaseUrl: t.services.config.databaseUrl, dataDir: t.dataDir });
  const down = await appWith({}, gone);
  await gone.destroy();
  try {
    const res = await request(down.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks.database).toBe('down');
  } finally {
    await down.close();
  }
});
