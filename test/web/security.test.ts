/** Login, sessions, CSRF, headers, rate limiting. */
import request from 'supertest';
import { csrfFrom, login, testApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const sid = (res: request.Response) =>
  (res.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) => c.startsWith('qd.sid='))?.split(';')[0];

test('a new session id at login (no fixation), and logout ends the session', async () => {
  const agent = request.agent(t.app);
  const page = await agent.get('/login');
  const before = sid(page);
  expect(before).toBeDefined();
  const res = await agent
    .post('/login')
    .type('form')
    .send({ username: 'employer.a', password: 'demo1234', _csrf: csrfFrom(page.text) });
  expect(res.status).toBe(303);
  expect(sid(res)).toBeDefined();
  expect(sid(res)).not.toBe(before);
  const home = await agent.get('/employer');
  expect(home.status).toBe(200);
  await agent
    .post('/logout')
    .type('form')
    .send({ _csrf: csrfFrom(home.text) });
  expect((await agent.get('/employer')).status).toBe(303);
});

test('wrong password is refused; repeated attempts are rate limited with Retry-After', async () => {
  const agent = request.agent(t.app);
  const page = await agent.get('/login');
  const csrf = csrfFrom(page.text);
  const bad = await agent
    .post('/login')
    .type('form')
    .send({ username: 'officer.pinghu', password: 'nope', _csrf: csrf });
  expect(bad.status).toBe(401);
  expect(bad.text).toContain('用户名或密码错误');
  let last = bad;
  for (let i = 0; i < 10; i++)
    last = await agent.post('/login').type('form').send({ username: 'officer.pinghu', password: 'nope', _csrf: csrf });
  expect(last.status).toBe(429);
  expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  // even the right password waits out the window
  const right = await agent
    .post('/login')
    .type('form')
    .send({ username: 'officer.pinghu', password: 'demo1234', _csrf: csrf });
  expect(right.status).toBe(429);
});

test('state-changing requests without the CSRF token are refused', async () => {
  const { agent, csrf } = await login(t.app, 'admin');
  const noToken = await agent
    .post('/bureau/parameters')
    .type('form')
    .send({ paramId: 'quota-ratio', from: '2031-01-01', value: '0.015', source: 'x' });
  expect(noToken.status).toBe(403);
  const wrong = await agent
    .post('/bureau/parameters')
    .type('form')
    .send({
      _csrf: csrf.replace(/./, (c) => (c === 'a' ? 'b' : 'a')),
      paramId: 'quota-ratio',
      from: '2031-01-01',
      value: '0.015',
      source: 'x',
    });
  expect(wrong.status).toBe(403);
  const upload = await (
    await login(t.app, 'employer.a')
  ).agent
    .post('/employer/uploads')
    .attach('file', Buffer.from('x'), 'a.xlsx');
  expect(upload.status).toBe(403);
});

test('security headers are set', async () => {
  const res = await request(t.app).get('/');
  expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(res.headers['x-powered-by']).toBeUndefined();
});

test('every page has an English version', async () => {
  const res = await request(t.app).get('/?lang=en');
  expect(res.text).toContain('<html lang="en">');
  expect(res.text).toContain('disabled-employment quota desk');
});

test('a refusal the user can fix says what to do, not "system error"', async () => {
  const officer = await login(t.app, 'officer.tongxiang');
  const list = await officer.agent.get('/bureau?year=2025');
  const id = /\/bureau\/submissions\/(\d+)/.exec(list.text)![1];
  const res = await officer.agent
    .post(`/bureau/submissions/${id}/return`)
    .type('form')
    .send({ _csrf: officer.csrf, reason: ' ' });
  expect(res.status).toBe(422);
  expect(res.text).toContain('退回时请填写退回原因');
  expect(res.text).not.toContain('系统出错');
  const employer = await login(t.app, 'employer.a');
  const noFile = await employer.agent.post('/employer/uploads').field('_csrf', employer.csrf);
  expect(noFile.status).toBe(400);
  expect(noFile.text).toContain('没有收到文件');
});
