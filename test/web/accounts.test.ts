/**
 * The account pages end to end: the administrator creates an officer (a one-time code shown once), the
 * officer sets a password with it, enrols the second factor (a QR code drawn on the server, ten recovery
 * codes) and logs in with it; a reset code; changing a password ends the other sessions; codes cannot be
 * guessed faster than the limit; every form needs its CSRF token; nothing secret reaches the audit chain
 * or the log.
 */
import request from 'supertest';
import * as OTPAuth from 'otpauth';
import { csrfFrom, login, testApp, visibleText, type TestApp } from '../helpers/app';
import { FIXTURE_PASSWORD } from '../helpers/fixtures';
import { LIMITS } from '../../server/services/accounts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const NEW_PASSWORD = 'orchard-lantern-57';
const secrets: string[] = [NEW_PASSWORD];

async function createOfficer(username: string): Promise<string> {
  const { agent, csrf } = await login(t.app, 'admin');
  const res = await agent
    .post('/bureau/accounts')
    .type('form')
    .send({ _csrf: csrf, username, displayName: '王专管', role: 'officer', county: '海宁市' });
  expect(res.status).toBe(200);
  const code = /<code>([A-Z2-9-]{19})<\/code>/.exec(res.text)?.[1];
  if (!code) throw new Error('no code on the page');
  secrets.push(code);
  return code;
}

async function setPassword(code: string, password = NEW_PASSWORD) {
  const agent = request.agent(t.app);
  const page = await agent.get('/account/reset');
  return agent
    .post('/account/reset')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), code, password, confirm: password });
}

async function passwordStep(username: string, password = NEW_PASSWORD) {
  const agent = request.agent(t.app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), username, password });
  return { agent, res };
}

test('an officer created by the administrator sets a password with the one-time code and logs in', async () => {
  const code = await createOfficer('officer.wang');
  const list = visibleText((await (await login(t.app, 'admin')).agent.get('/bureau/accounts')).text);
  expect(list).toContain('officer.wang');
  expect(list).not.toContain(code); // shown once, on the page that made it
  const short = await setPassword(code, 'short');
  expect(short.status).toBe(422);
  expect(visibleText(short.text)).toContain('密码太短');
  const done = await setPassword(code);
  expect(done.status).toBe(200);
  expect(visibleText(done.text)).toContain('officer.wang');
  const { res } = await passwordStep('officer.wang');
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/bureau');
  // the code is spent
  expect((await setPassword(code, 'another-lantern-58')).status).toBe(422);
});

test('second factor: enrolment by a QR code, then login needs a code; a recovery code works once', async () => {
  const { agent, csrf } = await login(t.app, 'officer.haining');
  const page = await agent.get('/account/second-factor');
  expect(page.status).toBe(200);
  expect(page.text).toMatch(/<svg[^>]*>[\s\S]*<path/);
  const secret = /<code translate="no" class="totp-key">((?:<span>[A-Z2-7]+<\/span>)+)<\/code>/
    .exec(page.text)![1]
    .replace(/<\/?span>/g, '');
  secrets.push(secret);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
  const wrong = await agent.post('/account/second-factor').type('form').send({ _csrf: csrf, code: '000000' });
  expect(wrong.status).toBe(422);
  const ok = await agent.post('/account/second-factor').type('form').send({ _csrf: csrf, code: totp.generate() });
  expect(ok.status).toBe(200);
  const recovery = [...ok.text.matchAll(/<li><code>([A-Z2-9-]{14})<\/code><\/li>/g)].map((m) => m[1]);
  expect(recovery).toHaveLength(10);
  expect(new Set(recovery).size).toBe(10);
  secrets.push(...recovery);

  // the password alone is no longer a login
  const first = await passwordStep('officer.haining', FIXTURE_PASSWORD);
  expect(first.res.headers.location).toBe('/login/second-factor');
  expect((await first.agent.get('/bureau')).headers.location).toMatch(/^\/login\?next=/);
  const step = await first.agent.get('/login/second-factor');
  // the code of the time step used at enrolment is not accepted again; the next step's is
  const replay = await first.agent
    .post('/login/second-factor')
    .type('form')
    .send({ _csrf: csrfFrom(step.text), code: totp.generate() });
  expect(replay.status).toBe(401);
  const next = totp.generate({ timestamp: Date.now() + 30_000 });
  const inRes = await first.agent
    .post('/login/second-factor')
    .type('form')
    .send({ _csrf: csrfFrom(step.text), code: next });
  expect(inRes.status).toBe(303);
  expect(inRes.headers.location).toBe('/bureau');
  expect((await first.agent.get('/bureau')).status).toBe(200);

  // a recovery code, once
  for (const expected of [303, 401]) {
    const again = await passwordStep('officer.haining', FIXTURE_PASSWORD);
    const p = await again.agent.get('/login/second-factor');
    const r = await again.agent
      .post('/login/second-factor')
      .type('form')
      .send({ _csrf: csrfFrom(p.text), code: recovery[0].toLowerCase() });
    expect(r.status).toBe(expected);
  }
  const acct = await agent.get('/account');
  expect(visibleText(acct.text)).toContain('剩余可用恢复码：9 个');

  // the administrator removes it (a lost phone): the password alone logs in again
  const admin = await login(t.app, 'admin');
  const u = (await t.services.accounts.byUsername('officer.haining'))!;
  const reset = await admin.agent
    .post(`/bureau/accounts/${u.id}/reset-second-factor`)
    .type('form')
    .send({ _csrf: admin.csrf });
  expect(reset.status).toBe(303);
  expect((await passwordStep('officer.haining', FIXTURE_PASSWORD)).res.headers.location).toBe('/bureau');
});

test('second-factor codes cannot be guessed faster than the limit', async () => {
  const u = (await t.services.accounts.byUsername('officer.tongxiang'))!;
  const e = await t.services.accounts.enrolment(u);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(e.secret), digits: 6, period: 30 });
  expect((await t.services.accounts.enrol(u, e.secret, totp.generate())).ok).toBe(true);
  const { agent } = await passwordStep('officer.tongxiang', FIXTURE_PASSWORD);
  const csrf = csrfFrom((await agent.get('/login/second-factor')).text);
  const statuses: number[] = [];
  for (let i = 0; i < LIMITS.secondFactorPerAccount + 1; i++)
    statuses.push(
      (
        await agent
          .post('/login/second-factor')
          .type('form')
          .send({ _csrf: csrf, code: String(100000 + i) })
      ).status,
    );
  expect(statuses).toEqual([...Array(LIMITS.secondFactorPerAccount).fill(401), 429]);
  // while limited, even the right code is refused
  const right = await agent
    .post('/login/second-factor')
    .type('form')
    .send({ _csrf: csrf, code: totp.generate({ timestamp: Date.now() + 30_000 }) });
  expect(right.status).toBe(429);
  expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
});

test('reset codes cannot be guessed faster than the limit', async () => {
  const agent = request.agent(t.app);
  const csrf = csrfFrom((await agent.get('/account/reset')).text);
  const statuses: number[] = [];
  for (let i = 0; i < LIMITS.resetPerAddress + 1; i++)
    statuses.push(
      (
        await agent
          .post('/account/reset')
          .set('X-Forwarded-For', '198.51.100.7') // an address of its own: the count starts here
          .type('form')
          .send({
            _csrf: csrf,
            code: `AAAA-BBBB-CCCC-${String(1000 + i)}`,
            password: NEW_PASSWORD,
            confirm: NEW_PASSWORD,
          })
      ).status,
    );
  expect(statuses).toEqual([...Array(LIMITS.resetPerAddress).fill(422), 429]);
});

test('a password reset by the administrator: the code sets a new password, the old one then fails', async () => {
  const admin = await login(t.app, 'admin');
  const u = (await t.services.accounts.byUsername('officer.pinghu'))!;
  const res = await admin.agent
    .post(`/bureau/accounts/${u.id}/reset-password`)
    .type('form')
    .send({ _csrf: admin.csrf });
  const code = /<code>([A-Z2-9-]{19})<\/code>/.exec(res.text)![1];
  secrets.push(code);
  const open = await login(t.app, 'officer.pinghu');
  // the reset goes through a fresh address, as the user would
  const agent = request.agent(t.app);
  const csrf = csrfFrom((await agent.get('/account/reset')).text);
  const done = await agent
    .post('/account/reset')
    .set('X-Forwarded-For', '203.0.113.9')
    .type('form')
    .send({ _csrf: csrf, code, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
  expect(done.status).toBe(200);
  expect((await passwordStep('officer.pinghu', FIXTURE_PASSWORD)).res.status).toBe(401);
  expect((await passwordStep('officer.pinghu')).res.status).toBe(303);
  // the session opened before the reset has ended, and the login page says why, once
  expect((await open.agent.get('/bureau')).headers.location).toMatch(/^\/login/);
  expect(visibleText((await open.agent.get('/login')).text)).toContain('该账号的密码已修改或重置，此处的登录已结束');
  expect(visibleText((await open.agent.get('/login')).text)).not.toContain('该账号的密码已修改或重置');
});

test('changing one’s password ends every other session of the user, not this one', async () => {
  const here = await login(t.app, 'employer.b');
  const elsewhere = await login(t.app, 'employer.b');
  const wrong = await here.agent
    .post('/account/password')
    .type('form')
    .send({ _csrf: here.csrf, current: 'nope', password: NEW_PASSWORD, confirm: NEW_PASSWORD });
  expect(wrong.status).toBe(422);
  expect(visibleText(wrong.text)).toContain('当前密码不正确');
  const ok = await here.agent
    .post('/account/password')
    .type('form')
    .send({ _csrf: here.csrf, current: FIXTURE_PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
  expect(ok.status).toBe(303);
  expect((await here.agent.get('/employer')).status).toBe(200);
  expect((await elsewhere.agent.get('/employer')).headers.location).toMatch(/^\/login/);
});

test('forgotten password: the employer is sent to their county bureau, with its contact from the settings', async () => {
  const admin = await login(t.app, 'admin');
  await admin.agent
    .post(`/bureau/settings/counties/${encodeURIComponent('海盐县')}`)
    .type('form')
    .send({
      _csrf: admin.csrf,
      issuingBody: '海盐县残疾人联合会',
      contactPerson: '李老师',
      telephone: '0573-86000000',
      address: '海盐县武原街道',
      officeHours: '工作日 9:00–17:00',
    });
  const text = visibleText((await request(t.app).get('/forgot-password')).text);
  expect(text).toContain('0573-86000000');
  expect(text).toContain('李老师');
  const en = visibleText((await request(t.app).get('/forgot-password?lang=en')).text);
  expect(en).toContain('Forgotten password');
});

test('every new form needs its CSRF token, the anonymous ones too', async () => {
  const anon = request.agent(t.app);
  await anon.get('/account/reset');
  expect((await anon.post('/account/reset').type('form').send({ code: 'x', password: 'x', confirm: 'x' })).status).toBe(
    403,
  );
  const pending = await passwordStep('employer.a', FIXTURE_PASSWORD);
  expect((await pending.agent.post('/login/second-factor').type('form').send({ code: '123456' })).status).toBe(403);
  const admin = await login(t.app, 'admin');
  const u = (await t.services.accounts.byUsername('officer.jiashan'))!;
  for (const path of [
    '/bureau/accounts',
    `/bureau/accounts/${u.id}`,
    `/bureau/accounts/${u.id}/disable`,
    `/bureau/accounts/${u.id}/reset-password`,
    `/bureau/accounts/${u.id}/reset-second-factor`,
    '/account/password',
    '/account/second-factor',
  ])
    expect([path, (await admin.agent.post(path).type('form').send({ displayName: 'x' })).status]).toEqual([path, 403]);
  expect((await t.services.accounts.byId(u.id))!.disabled_at).toBeNull();
});

test('no password, code or secret in the audit chain or the log', async () => {
  const audit = JSON.stringify(await t.db('audit_log').select());
  for (const action of [
    'user.created',
    'user.reset-code-issued',
    'user.password-reset',
    'user.password-changed',
    'user.second-factor-enrolled',
    'user.second-factor-reset',
  ])
    expect(audit).toContain(action);
  const log = t.logs.join('\n');
  expect(secrets.length).toBeGreaterThan(12);
  for (const s of [...secrets, FIXTURE_PASSWORD]) {
    expect(audit).not.toContain(s);
    expect(audit).not.toContain(s.replace(/-/g, ''));
    expect(log).not.toContain(s);
  }
});
