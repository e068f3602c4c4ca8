/** A disabled account's open sessions end at once; so do a user's other sessions when they change password. */
import { login, testApp, visibleText, type TestApp } from '../helpers/app';
import { FIXTURE_PASSWORD } from '../helpers/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

test('disabling an officer ends their open session on its next request', async () => {
  const { agent } = await login(t.app, 'officer.haining');
  expect((await agent.get('/bureau')).status).toBe(200);
  const u = (await t.services.accounts.byUsername('officer.haining'))!;
  await t.services.accounts.setDisabled({ id: 1, username: 'admin' }, u.id, true);
  const after = await agent.get('/bureau');
  expect(after.status).toBe(303);
  expect(after.headers.location).toMatch(/^\/login/);
  // the login page it is sent to says why, once
  const why = visibleText((await agent.get(after.headers.location)).text);
  expect(why).toContain('该账号已停用，您已退出登录');
  expect(visibleText((await agent.get('/login')).text)).not.toContain('该账号已停用');
  // and logging in again is refused, with why
  await t.services.accounts.setDisabled({ id: 1, username: 'admin' }, u.id, false);
  expect((await agent.get('/bureau')).status).toBe(303); // enabling does not bring the old session back
  await login(t.app, 'officer.haining');
});

test('the login audit entry is written by the account service, without the password', async () => {
  await login(t.app, 'employer.a');
  const rows = await t.db('audit_log').where({ action: 'auth.login' });
  expect(rows.length).toBeGreaterThan(0);
  expect(JSON.stringify(rows)).not.toContain(FIXTURE_PASSWORD);
});
