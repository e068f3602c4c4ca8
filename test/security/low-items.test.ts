/**
 * Smaller attacks, each reproduced: a notice period in the past, ID numbers
 * typed with spaces or dashes shown unmasked, control and bidi characters in file names, a missing static
 * file answering 500, the typed path in the log, HSTS over plain HTTP, formula starts the guard missed, the
 * CSRF token lost after logging in to a notice page, a hostile file on the CLI.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { main } from '../../server/cli';
import { maskDigits } from '../../server/i18n/labels';
import { addDays } from '../../server/rules/calendar';
import { todayInChina } from '../../server/services/notices';
import { csvField, safeText } from '../../reports/xlsx/safe-cell';
import { csrfFrom, login, testApp, type TestApp } from '../helpers/app';
import { lyingSharedStringsBomb } from '../helpers/hostile';
import { setIssuer } from '../helpers/notices';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

test('a 公示期 starting in the past is refused at publication', async () => {
  await setIssuer(t, '海宁市');
  const officer = await login(t.app, 'officer.haining');
  const built = await officer.agent
    .post('/bureau/notices/build')
    .type('form')
    .send({ _csrf: officer.csrf, year: 2025, confirm: '1' });
  const id = /(\d+)$/.exec(built.headers.location)![1];
  await officer.agent
    .post(`/bureau/notices/${id}/details`)
    .type('form')
    .send({ _csrf: officer.csrf, docNo: '海残联〔2026〕9号', periodStart: addDays(todayInChina(), -3), days: 7 });
  const res = await officer.agent
    .post(`/bureau/notices/${id}/publish`)
    .type('form')
    .send({ _csrf: officer.csrf, confirm: '1' });
  expect(res.status).toBe(422);
  expect(res.text).toContain('公示开始日期不能早于今天');
  expect((await t.db('notices').where({ id }).first()).status).toBe('draft');
});

test('ID numbers typed with spaces or dashes are masked like unbroken ones', () => {
  for (const typed of [
    '33048119900101123X',
    '3304 8119 9001 0112 3X',
    '330481-19900101-123X',
    '330481　19900101　123X',
  ]) {
    expect(maskDigits(`身份证号 ${typed} 有误`)).toBe('身份证号 3304**********123X 有误');
  }
  expect(maskDigits('0573-85000000')).toBe('0573-85000000'); // a telephone number is not an ID
});

test('file names: NUL, CR and bidi controls removed; never a 500', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  for (const [name, shown] of [
    ['a\u0000b.xlsx', 'ab.xlsx'],
    ['a\rb.xlsx', 'ab.xlsx'],
    ['invoice\u202Excod.xlsx', 'invoicexcod.xlsx'],
  ]) {
    // the multipart body written by hand, so the name reaches the server exactly as an attacker sends it
    const boundary = 'x1x2x3';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="`),
      Buffer.from(name, 'utf8'),
      Buffer.from(`"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n--${boundary}--\r\n`),
    ]);
    const res = await agent
      .post('/employer/uploads')
      .set('x-csrf-token', csrf)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
    expect(res.status).toBeLessThan(500);
    if (res.status === 303) {
      const id = /uploads\/([\w-]+)$/.exec(res.headers.location)![1];
      expect((await t.db('uploads').where({ id }).first()).file_name).toBe(shown);
    }
  }
});

test('a missing static file is a 404, not a 500', async () => {
  expect((await request(t.app).get('/static/nothing-here.css')).status).toBe(404);
  expect((await request(t.app).get('/static/%E0%A4%A')).status).toBeLessThan(500);
});

test('a path no route matches is logged by its area, never as typed', async () => {
  const before = t.logs.length;
  await request(t.app).get('/employer/王小明/330481199001011234');
  await request(t.app).get('/张三');
  const lines = t.logs.slice(before).join('\n');
  expect(lines).not.toContain('王小明');
  expect(lines).not.toContain('张三');
  expect(lines).not.toContain('330481199001011234');
  expect(lines).toContain('/employer/(unmatched)');
});

test('HSTS and upgrade-insecure-requests only over TLS', async () => {
  const plain = await request(t.app).get('/');
  expect(plain.headers['strict-transport-security']).toBeUndefined();
  expect(plain.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  const tls = await request(t.app).get('/').set('X-Forwarded-Proto', 'https'); // the loopback proxy terminated TLS
  expect(tls.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  expect(tls.headers['content-security-policy']).toContain('upgrade-insecure-requests');
});

test('the formula guard also covers leading white space, line breaks and full-width signs', () => {
  for (const v of [' =1+2', '\n=1+2', '\r\n@SUM(A1)', '＝HYPERLINK("http://x")', '　＋1', '＠A1', '－1']) {
    expect(safeText(v)).toBe(`'${v}`);
    expect(csvField(v).replace(/^"|"$/g, '').startsWith("'")).toBe(true);
  }
  expect(safeText('a = b')).toBe('a = b');
  // a negative number the employer typed is shown as written, not with a stray apostrophe
  expect(safeText('-300')).toBe('-300');
  expect(csvField('-300.50')).toBe('-300.50');
  expect(safeText('-300+1')).toBe("'-300+1");
});

test("logging in with next=/notices/… keeps a CSRF token: the notice page's logout form works", async () => {
  const n = await t.db('notices').where({ status: 'published' }).first('id');
  const agent = request.agent(t.app);
  const csrf = csrfFrom((await agent.get(`/login?next=/notices/${n.id}`)).text);
  const res = await agent
    .post('/login')
    .type('form')
    .send({ username: 'employer.b', password: 'demo1234', _csrf: csrf, next: `/notices/${n.id}` });
  expect(res.headers.location).toBe(`/notices/${n.id}`);
  const page = await agent.get(`/notices/${n.id}`);
  const token = csrfFrom(page.text);
  expect(token.length).toBeGreaterThan(10);
  expect((await agent.post('/logout').type('form').send({ _csrf: token })).status).toBe(303);
  expect((await agent.get('/employer')).status).toBe(303); // logged out
});

test('a hostile file on the command line: exit 2 with a message, no crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qd-cli-bomb-'));
  const file = join(dir, 'bomb.xlsx');
  writeFileSync(file, lyingSharedStringsBomb(1.5));
  let out = '',
    err = '';
  const code = await main(['check', file, '--lang', 'en'], {
    out: (s) => {
      out += s + '\n';
    },
    err: (s) => {
      err += s;
    },
    isTTY: false,
  });
  expect(code).toBe(2);
  expect(out + err).toMatch(/refused for safety|expands to/);
});
