/**
 * SECOND_FACTOR=required (the default in production): an officer or administrator without a second factor
 * is led to enrol before any other page; an employer is not.
 */
import * as OTPAuth from 'otpauth';
import request from 'supertest';
import { csrfFrom, testApp, type TestApp } from '../helpers/app';
import { FIXTURE_PASSWORD } from '../helpers/fixtures';
import { loadConfig } from '../../server/config';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ config: { secondFactor: 'required' } });
});
afterAll(async () => {
  await t.close();
});

async function passwordStep(username: string) {
  const agent = request.agent(t.app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), username, password: FIXTURE_PASSWORD });
  return { agent, res };
}

test('the setting is required by default in production only', () => {
  expect(loadConfig().secondFactor).toBe('optional'); // jest runs outside production
  expect(loadConfig({ secondFactor: 'required' }).secondFactor).toBe('required');
});

test('an officer must enrol before using the bureau pages; then the code is asked at login', async () => {
  const { agent, res } = await passwordStep('officer.haining');
  expect(res.headers.location).toBe('/account/second-factor');
  expect((await agent.get('/bureau')).headers.location).toBe('/account/second-factor');
  const page = await agent.get('/account/second-factor');
  const csrf = csrfFrom(page.text);
  // the menu offers no page that would only lead back here: logging out, the public notices, the language
  const menu = /<nav aria-label="[^"]*">([\s\S]*?)<\/nav>/.exec(page.text)![1];
  expect([...menu.matchAll(/href="([^"]+)"/g)].map((m) => m[1])).toEqual(['/notices', '?lang=en']);
  expect(menu).toContain('action="/logout"');
  expect((await agent.post('/bureau/notices/build').type('form').send({ _csrf: csrf })).status).toBe(403);
  const secret = /<code translate="no" class="totp-key">((?:<span>[A-Z2-7]+<\/span>)+)<\/code>/
    .exec(page.text)![1]
    .replace(/<\/?span>/g, '');
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
  expect(
    (await agent.post('/account/second-factor').type('form').send({ _csrf: csrf, code: totp.generate() })).status,
  ).toBe(200);
  const home = await agent.get('/bureau');
  expect(home.status).toBe(200);
  expect(home.text).toContain('href="/bureau/register"');
  expect((await passwordStep('officer.haining')).res.headers.location).toBe('/login/second-factor');
});

test('an employer is not required to enrol', async () => {
  const { res } = await passwordStep('employer.a');
  expect(res.headers.location).toBe('/employer');
});
