/**
 * Attacks on sessions and logins, each reproduced:
 * login timing by username, private pages cached, full names through the API, distributed password
 * guessing, sessions kept alive for ever, session rows made by cookieless requests.
 */
import crypto from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { writeDemoWorkbook } from '../../server/demo/workbooks';
import { csrfFrom, login, testApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const A = { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市', unit_type: '企业' };
const sessions = async () => Number((await t.db('sessions').count('* as n').first())!.n);

test('#11.8 a login for a name that does not exist costs the same password hash as a wrong password', async () => {
  const spy = jest.spyOn(crypto, 'scrypt');
  try {
    const agent = request.agent(t.app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    spy.mockClear();
    expect(
      (await agent.post('/login').type('form').send({ username: 'officer.haiyan', password: 'wrong', _csrf: csrf }))
        .status,
    ).toBe(401);
    const forKnown = spy.mock.calls.length;
    spy.mockClear();
    expect(
      (await agent.post('/login').type('form').send({ username: 'nobody.here', password: 'wrong', _csrf: csrf }))
        .status,
    ).toBe(401);
    expect(forKnown).toBe(1);
    expect(spy.mock.calls.length).toBe(forKnown);
    // the same N, r, p as a real hash
    expect((spy.mock.calls[0][3] as crypto.ScryptOptions).N).toBe(16384);
  } finally {
    spy.mockRestore();
  }
});

test('#11.9 private responses are never cached: pages, API, downloads, and the notice index for a logged-in user', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'cache.xlsx');
  await writeDemoWorkbook(file, A, 'short');
  const up = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', file, 'c.xlsx');
  const checkUrl = (await agent.get(up.headers.location)).headers.location as string;
  const officer = await login(t.app, 'officer.haining');
  const cases: [string, ReturnType<typeof request.agent>, string][] = [
    ['employer home', agent, '/employer'],
    ['result', agent, checkUrl],
    ['report download', agent, `${checkUrl}/report.xlsx`],
    ['API', agent, '/api/submissions'],
    ['notice index, logged in', agent, '/notices'],
    ['bureau list', officer.agent, '/bureau'],
    ['login page (form token)', request.agent(t.app), '/login'],
  ];
  for (const [name, a, path] of cases) {
    const res = await a.get(path);
    expect(`${name}: ${res.status} ${res.headers['cache-control']}`).toBe(`${name}: 200 private, no-store`);
  }
  // the public index stays cacheable for anonymous readers
  expect((await request(t.app).get('/notices')).headers['cache-control']).toMatch(/public/);
});

test("#11.12 /api/submissions/:id masks employees' names as every page does", async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'mask.xlsx');
  await writeDemoWorkbook(file, A, 'short');
  const up = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', file, 'm.xlsx');
  const checkId = /checks\/([\w-]+)$/.exec((await agent.get(up.headers.location)).headers.location)![1];
  const stored = JSON.parse((await t.db('checks').where({ id: checkId }).first()).result_json);
  const names: string[] = (stored.result ?? stored).exclusions.map((x: { name: string }) => x.name);
  expect(names.length).toBeGreaterThan(0);
  const sub = await agent.post(`/employer/checks/${checkId}/submit`).type('form').send({ _csrf: csrf, confirm: '1' });
  const subId =
    /submissions\/(\d+)/.exec(sub.headers.location ?? '')?.[1] ??
    (await t.db('submissions').where({ check_id: checkId }).first()).id;
  const res = await agent.get(`/api/submissions/${subId}`);
  expect(res.status).toBe(200);
  const text = JSON.stringify(res.body);
  for (const n of names) expect(text).not.toContain(`"${n}"`);
  expect(res.body.result.exclusions[0].name).toMatch(/^.\*+$/);
});

test('login is throttled per account as well as per address and name (guessing spread over many addresses)', async () => {
  const agent = request.agent(t.app);
  const csrf = csrfFrom((await agent.get('/login')).text);
  const statuses: number[] = [];
  for (let i = 0; i < 32; i++) {
    // a different client address each time (the app trusts X-Forwarded-For from its loopback proxy)
    const res = await agent
      .post('/login')
      .set('X-Forwarded-For', `203.0.113.${i + 1}`)
      .type('form')
      .send({ username: 'officer.jiashan', password: `guess${i}`, _csrf: csrf });
    statuses.push(res.status);
  }
  expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(30)).toEqual([429, 429]);
  const right = await agent
    .post('/login')
    .set('X-Forwarded-For', '198.51.100.7')
    .type('form')
    .send({ username: 'officer.jiashan', password: 'demo1234', _csrf: csrf });
  expect(right.status).toBe(429);
});

test('a session ends 12 hours after login however active it is (absolute lifetime)', async () => {
  const { agent } = await login(t.app, 'employer.b');
  expect((await agent.get('/employer')).status).toBe(200);
  // the login happened 13 hours ago
  for (const row of await t.db('sessions').select('sid', 'sess')) {
    const sess = JSON.parse(row.sess);
    if (!sess.userId) continue;
    sess.loggedInAt = Date.now() - 13 * 3600_000;
    await t
      .db('sessions')
      .where({ sid: row.sid })
      .update({ sess: JSON.stringify(sess) });
  }
  const after = await agent.get('/employer');
  expect(after.status).toBe(303);
  expect(after.headers.location).toMatch(/^\/login/);
});

test('cookieless anonymous requests make no session row; expired sessions are pruned', async () => {
  const before = await sessions();
  for (const path of [
    '/',
    '/notices',
    '/api/parameters',
    '/healthz',
    '/api/openapi.json',
    '/template.xlsx',
    '/nowhere',
  ])
    await request(t.app).get(path);
  await request(t.app).post('/api/check').attach('file', Buffer.from('hello'), 'a.xlsx');
  expect(await sessions()).toBe(before);
  // a visitor opening the login form does get one (the form needs its token)
  await request(t.app).get('/login');
  expect(await sessions()).toBe(before + 1);

  await t.db('sessions').insert({ sid: 'expired-one', sess: '{}', expires: Date.now() - 1000 });
  const { KnexSessionStore } = await import('../../db/stores/sessions');
  const store = new KnexSessionStore(t.db, { pruneEveryMs: 0 });
  await new Promise<void>((resolve, reject) =>
    store.set(
      'fresh-one',
      { cookie: { originalMaxAge: 1000, expires: new Date(Date.now() + 60_000) } } as never,
      (e) => (e ? reject(e) : resolve()),
    ),
  );
  expect(await t.db('sessions').where({ sid: 'expired-one' }).first()).toBeUndefined();
  expect(await t.db('sessions').where({ sid: 'fresh-one' }).first()).toBeDefined();
});
