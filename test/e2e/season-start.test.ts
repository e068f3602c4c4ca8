/**
 * A fresh production installation through the start of a filing season, in Chromium: the operator creates
 * the first administrator with `quota admin create`; the administrator logs in, must enrol the second factor
 * first, enrols, and creates the 海宁市 officer (a one-time code); the officer sets a password with it,
 * enrols, and logs in with a code; imports a register of 200 units (3 bad rows refused by row and column,
 * nothing written; fixed; confirmed); prints the 200 letters; a unit activates from its letter, invites a
 * second user, who uploads and submits the unit's 2025 workbook; the officer accepts; 199 remain on the
 * not-submitted list. Then the administrator issues the officer a reset code, the officer sets a new
 * password with it, and the administrator disables the officer, whose open session ends at its next request.
 * Every page is photographed at 1366 px (the employer's at 390 px too) to
 * test-results/screenshots/season-*.png, and axe-core runs on each.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import knex from 'knex';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { makeUscc } from '../helpers/people';
import { writeWorkbook, type Rows } from '../helpers/workbook';
import { launch, seriousViolations, shot } from '../helpers/browser';
import { startServer, type RunningServer } from '../helpers/server';
import { officialDate } from '../../server/i18n/format';
import { ACTIVATION_DAYS } from '../../server/services/register';

jest.setTimeout(420_000);

const ROOT = join(__dirname, '..', '..');
const PORT = 3370;
const dir = mkdtempSync(join(tmpdir(), 'qd-e2e-season-'));
const env = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-long-production-session-secret-for-the-season',
  PUBLIC_URL: `http://127.0.0.1:${PORT}`,
  DATA_DIR: join(dir, 'data'),
  DATABASE_URL: '', // SQLite in DATA_DIR; on a PostgreSQL run, a database of its own (beforeAll)
  DEMO: '0',
  SECOND_FACTOR: 'required',
  LOG_LEVEL: 'silent',
};
const ADMIN_PASSWORD = 'copper kettle on the hill';
const OFFICER_PASSWORD = 'seven quiet harbour lamps';
const OFFICER_NEW_PASSWORD = 'a fresh orchard in spring';

let server: RunningServer;
let browser: Browser;
const violations: Record<string, unknown> = {};

/** On a PostgreSQL run, a new empty database on the same server: the installation is fresh whatever ran before. */
async function freshDatabase(given: string): Promise<string> {
  if (!/^postgres(ql)?:/.test(given)) return '';
  const name = `quota_season_${process.pid}_${Date.now()}`;
  const db = knex({ client: 'pg', connection: given });
  try {
    await db.raw(`CREATE DATABASE ${name}`);
  } finally {
    await db.destroy();
  }
  const url = new URL(given);
  url.pathname = `/${name}`;
  return url.toString();
}

beforeAll(async () => {
  env.DATABASE_URL = await freshDatabase(process.env.DATABASE_URL ?? '');
  server = await startServer(env, { port: PORT });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The production cookie is Secure: the browser reaches the app as through the TLS-terminating proxy in front. */
const context = (width = 1366) =>
  browser.newContext({
    viewport: { width, height: 900 },
    extraHTTPHeaders: { 'X-Forwarded-Proto': 'https' },
  });

/** A screenshot at the page's width and an accessibility check; employer pages also at 390 px, without sideways scroll. */
async function photograph(page: Page, name: string, phone = false) {
  await shot(page, `season-${name}`);
  const v = await seriousViolations(page);
  if (v.length) violations[name] = v;
  if (!phone) return;
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, `season-${name}-390`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect([name, overflow]).toEqual([name, 0]);
  await page.setViewportSize(size);
}

/** `quota …` as the operator runs it, on the server's data directory; the password arrives on stdin. */
function quota(args: string[], input: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'quota.js'), ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** An authenticator app: each code given is of a later time step than the last (the server takes a step once). */
class Authenticator {
  private last = 0;
  private totp: OTPAuth.TOTP;
  constructor(secret: string) {
    this.totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
  }
  /** The code for enrolment: the current step, which the server then counts as used. */
  now(): string {
    this.last = Math.floor(Date.now() / 30_000);
    return this.totp.generate();
  }
  /** A code for logging in: the next step not yet used, within the one step of drift the server allows. */
  async next(): Promise<string> {
    for (;;) {
      const current = Math.floor(Date.now() / 30_000);
      const step = Math.max(this.last + 1, current);
      if (step <= current + 1) {
        this.last = step;
        return this.totp.generate({ timestamp: step * 30_000 });
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function enrol(page: Page, name: string): Promise<Authenticator> {
  await expect(page.locator('h1').textContent()).resolves.toBe('启用动态口令');
  await expect(page.locator('.banner[role=status]').textContent()).resolves.toContain('须先启用动态口令');
  await expect(page.locator('figure.qr svg').count()).resolves.toBe(1);
  // the menu offers no page that would lead back here
  await expect(page.locator('header.top nav a[href^="/bureau"]').count()).resolves.toBe(0);
  const key = (await page.locator('code.totp-key span').allTextContents()).join('');
  expect(key).toMatch(/^[A-Z2-7]{32}$/);
  await photograph(page, `${name}-enrol`);
  // until enrolled, every other page leads back here
  await page.goto(`${server.url}/bureau`);
  expect(new URL(page.url()).pathname).toBe('/account/second-factor');
  const app = new Authenticator((await page.locator('code.totp-key span').allTextContents()).join(''));
  await page.getByLabel('6 位动态口令').fill(app.now());
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '确认启用' }).click()]);
  await expect(page.locator('.banner.ok').textContent()).resolves.toBe('动态口令已启用。');
  await expect(page.locator('ol.codes li').count()).resolves.toBe(10);
  await photograph(page, `${name}-recovery-codes`);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/bureau'),
    page.getByRole('link', { name: '我已保存，继续' }).click(),
  ]);
  return app;
}

async function passwordStep(page: Page, username: string, password: string) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login') || u.pathname === '/login/second-factor'),
    page.getByRole('button', { name: '登录' }).click(),
  ]);
}

/** A login the app refuses: the login page again, with the reason. */
async function refusedLogin(page: Page, username: string, password: string): Promise<string> {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '登录' }).click()]);
  expect(new URL(page.url()).pathname).toBe('/login');
  return (await page.locator('.error[role=alert]').textContent())!.trim();
}

async function secondStep(page: Page, app: Authenticator) {
  expect(new URL(page.url()).pathname).toBe('/login/second-factor');
  await page.getByLabel('动态口令或恢复码').fill(await app.next());
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/bureau'),
    page.getByRole('button', { name: '验证并登录' }).click(),
  ]);
}

/** Sets a password with a one-time code, reached from the login page as the person would. */
async function setPasswordWithCode(page: Page, code: string, password: string, name: string) {
  await page.goto(`${server.url}/login`);
  await Promise.all([page.waitForURL(/\/forgot-password$/), page.getByRole('link', { name: '忘记密码？' }).click()]);
  await Promise.all([
    page.waitForURL(/\/account\/reset$/),
    page.getByRole('link', { name: '已拿到重置码？在此设置新密码' }).click(),
  ]);
  await page.getByLabel('重置码').fill(code);
  await page.getByLabel('新密码', { exact: true }).fill(password);
  await page.getByLabel('再次输入新密码').fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '设置密码' }).click()]);
  await expect(page.locator('.banner.ok').textContent()).resolves.toBe(
    '账号 officer.hn 的密码已设置，请用新密码登录。',
  );
  await photograph(page, name);
}

const HEADER = ['统一社会信用代码', '单位名称', '所在县（市、区）', '单位类型', '联系人', '联系电话'];
const unitUscc = (i: number) => makeUscc(`HN${String(i).padStart(7, '0')}`);
const unitName = (i: number) => `海宁市启用测试${i}号有限公司`;
function registerRows(): Rows {
  const rows: Rows = [HEADER];
  for (let i = 1; i <= 200; i++)
    rows.push([unitUscc(i), unitName(i), '海宁市', i % 10 === 0 ? '事业单位' : '企业', '人事部', '0573-87000000']);
  return rows;
}

test('a fresh production installation starts a season: administrator, officer, register, letters, employers, filing, 199 missing, reset, disabled', async () => {
  // ---- the operator creates the first administrator ----
  const created = await quota(
    ['admin', 'create', 'city.admin', '--display-name', '市残联管理员', '--password-stdin'],
    `${ADMIN_PASSWORD}\n`,
  );
  expect(created).toMatchObject({ status: 0, stderr: '' });
  expect(created.stdout).toContain('已创建管理员 city.admin');

  // ---- the administrator logs in, must enrol the second factor first ----
  const adm = await context();
  const a = await adm.newPage();
  await a.goto(server.url);
  await photograph(a, '01-home');
  await a.goto(`${server.url}/login?lang=zh`);
  await photograph(a, '02-login');
  // no demo login in production
  await expect(refusedLogin(a, 'admin', 'demo1234')).resolves.toBe('用户名或密码错误');
  await passwordStep(a, 'city.admin', ADMIN_PASSWORD);
  expect(new URL(a.url()).pathname).toBe('/account/second-factor');
  await enrol(a, '03-admin');

  // the county's contact, which the letters name
  await a.goto(`${server.url}/bureau/settings#counties`);
  const hn = a.locator('#county-海宁市');
  await hn.getByLabel('发布单位（落款）').fill('海宁市残疾人联合会');
  await hn.getByLabel('联系人').fill('就业服务科 陈老师');
  await hn.getByLabel('联系电话').fill('0573-87000000');
  await hn.getByLabel('地址').fill('海宁市文苑南路1号');
  await hn.getByLabel('受理时间').fill('工作日 8:30–11:30，13:30–17:00');
  await Promise.all([a.waitForURL(/saved=1/), hn.getByRole('button', { name: /保存/ }).click()]);

  // ---- the administrator creates the 海宁市 officer (账号管理 sits in the 系统管理 menu) ----
  await a.getByText('系统管理', { exact: true }).click();
  await Promise.all([
    a.waitForURL(/\/bureau\/accounts$/),
    a.getByRole('link', { name: '账号管理', exact: true }).click(),
  ]);
  await expect(a.locator('tbody tr').count()).resolves.toBe(1); // the administrator alone
  await expect(a.locator('tbody tr').first().textContent()).resolves.toContain('已启用动态口令');
  await photograph(a, '04-accounts');
  await a.getByLabel('用户名').fill('officer.hn');
  await a.getByLabel('姓名').fill('王专管');
  await a.getByLabel('角色').selectOption({ label: '专管员' });
  await a.getByLabel('所属县（市、区）（专管员）').selectOption({ label: '海宁市' });
  await Promise.all([a.waitForNavigation(), a.getByRole('button', { name: '创建账号' }).click()]);
  await expect(a.locator('main').textContent()).resolves.toContain('账号 officer.hn 已创建');
  const firstCode = (await a.locator('.code-once code').textContent())!.trim();
  expect(firstCode).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
  await expect(a.locator('main').textContent()).resolves.toMatch(/有效期至 .+，只能使用一次。/);
  await photograph(a, '05-officer-code');
  await Promise.all([
    a.waitForURL(/\/bureau\/accounts$/),
    a.getByRole('link', { name: '返回账号列表' }).first().click(),
  ]);
  const officerRow = a.locator('tbody tr', { hasText: 'officer.hn' });
  await expect(officerRow.textContent()).resolves.toContain('海宁市');
  await expect(officerRow.textContent()).resolves.toContain('未启用动态口令');
  await expect(a.locator('main').textContent()).resolves.not.toContain(firstCode); // shown once

  // ---- the officer sets a password, enrols, and logs in with a code ----
  const off = await context();
  const o = await off.newPage();
  await setPasswordWithCode(o, firstCode, OFFICER_PASSWORD, '06-officer-password-set');
  await passwordStep(o, 'officer.hn', OFFICER_PASSWORD);
  expect(new URL(o.url()).pathname).toBe('/account/second-factor');
  const officerApp = await enrol(o, '07-officer');
  await Promise.all([o.waitForURL((u) => u.pathname === '/'), o.getByRole('button', { name: '退出' }).click()]);
  await passwordStep(o, 'officer.hn', OFFICER_PASSWORD);
  await photograph(o, '08-officer-second-step');
  await secondStep(o, officerApp);
  await photograph(o, '09-officer-home');

  // ---- the register: 3 bad rows refused by row and column, nothing written; fixed; confirmed ----
  const bad = registerRows();
  const good = registerRows();
  const wrong = String(bad[12][0]);
  bad[12][0] = wrong.slice(0, 17) + (wrong[17] === '0' ? '1' : '0');
  bad[80][3] = '公司';
  bad[150][0] = bad[4][0];
  const badFile = join(dir, '海宁市名录-有误.xlsx');
  const goodFile = join(dir, '海宁市名录.xlsx');
  await writeWorkbook(badFile, [{ name: '用人单位名录', rows: bad }]);
  await writeWorkbook(goodFile, [{ name: '用人单位名录', rows: good }]);
  await Promise.all([
    o.waitForURL(/\/bureau\/register/),
    o.getByRole('link', { name: '用人单位名录' }).first().click(),
  ]);
  await expect(o.locator('h1').textContent()).resolves.toBe('用人单位名录 · 海宁市 · 2025年度');
  await photograph(o, '10-register-empty');
  await o.setInputFiles('#i-file', badFile);
  await Promise.all([o.waitForURL(/\/imports\//), o.getByRole('button', { name: '上传并预览' }).click()]);
  await expect(o.locator('.banner.error').textContent()).resolves.toContain('文件中有 3 处问题，名录未作任何改动');
  const problems = await o
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent!.trim())));
  expect(problems.map((p) => p.slice(0, 3))).toEqual([
    ['13', 'A', '统一社会信用代码'],
    ['81', 'D', '单位类型'],
    ['151', 'A', '统一社会信用代码'],
  ]);
  expect(problems[0][3]).toMatch(/^统一社会信用代码校验位错误（应为 \w），请核对$/);
  expect(problems[1][3]).toMatch(/^单位类型须为以下之一：企业/);
  expect(problems[2][3]).toBe('与第 5 行的统一社会信用代码重复，请删除重复的一行');
  await expect(o.getByRole('button', { name: '确认导入' }).count()).resolves.toBe(0);
  await photograph(o, '11-register-refused');
  await Promise.all([o.waitForURL(/\/bureau\/register/), o.getByRole('link', { name: '重新上传' }).click()]);
  await expect(o.locator('main').textContent()).resolves.toContain('该年度尚未建立名录');
  await o.setInputFiles('#i-file', goodFile);
  await Promise.all([o.waitForURL(/\/imports\//), o.getByRole('button', { name: '上传并预览' }).click()]);
  await expect(o.locator('main').textContent()).resolves.toContain('确认后：新增 200 家，变更 0 家');
  await photograph(o, '12-register-preview');
  await Promise.all([o.waitForURL(/imported=/), o.getByRole('button', { name: '确认导入' }).click()]);
  await expect(o.locator('.banner.ok').textContent()).resolves.toContain('新增 200 家');
  await expect(o.locator('main').textContent()).resolves.toContain('2025 年度名录共 200 家单位，已开通 0 家');
  await photograph(o, '13-register-imported');

  // ---- the letters ----
  await Promise.all([o.waitForURL(/\/letters$/), o.getByRole('button', { name: '生成开通码' }).click()]);
  await expect(o.locator('.banner.warn').textContent()).resolves.toContain('共 200 份开通通知书');
  await expect(o.locator('article.letter').count()).resolves.toBe(200);
  const letter = o.locator('article.letter', { hasText: `${unitName(1)}：` });
  await expect(letter.count()).resolves.toBe(1);
  const facts = await letter.locator('dl.facts').evaluate((dl) => {
    const out: Record<string, string> = {};
    for (const dt of dl.querySelectorAll('dt'))
      out[dt.textContent!.trim()] = dt.nextElementSibling!.textContent!.trim();
    return out;
  });
  expect(facts).toEqual({
    网址: `http://127.0.0.1:${PORT}/activate`,
    统一社会信用代码: unitUscc(1),
    开通码: expect.stringMatching(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/),
    有效期至: officialDate(new Date(Date.now() + ACTIVATION_DAYS * 86_400_000)),
  });
  await expect(letter.textContent()).resolves.toContain(
    '如有疑问，请联系：海宁市残疾人联合会 就业服务科 陈老师 0573-87000000',
  );
  const code = facts['开通码'];
  await photograph(o, '14-letters');

  // ---- the unit activates from its letter ----
  const head = await context(390);
  const h = await head.newPage();
  await h.goto(`${server.url}/login`);
  await Promise.all([h.waitForURL(/\/activate$/), h.getByRole('link', { name: /开通账号/ }).click()]);
  await h.setViewportSize({ width: 1366, height: 900 });
  await photograph(h, '15-activate', true);
  await h.getByLabel('统一社会信用代码').fill(unitUscc(1));
  await h.getByLabel('开通码').fill(code);
  await h.getByLabel('用户名').fill('hn1.head');
  await h.getByLabel('您的姓名或称呼').fill('周负责人');
  await h.getByLabel('新密码', { exact: true }).fill('a long and good password');
  await h.getByLabel('再次输入新密码').fill('a long and good password');
  await Promise.all([h.waitForURL(/\/employer$/), h.getByRole('button', { name: '开通并登录' }).click()]);
  await expect(h.locator('header.top').textContent()).resolves.toContain('周负责人');
  await photograph(h, '16-employer-home', true);

  // ---- invites a second user ----
  await Promise.all([h.waitForURL(/\/employer\/users$/), h.getByRole('link', { name: '本单位用户' }).click()]);
  await Promise.all([h.waitForNavigation(), h.getByRole('button', { name: '生成邀请码' }).click()]);
  const invite = (await h.locator('.banner .letter-code').textContent())!.trim();
  expect(invite).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
  expect(invite).not.toBe(code);
  await expect(h.locator('.banner').textContent()).resolves.toContain(unitUscc(1));
  await photograph(h, '17-employer-invite', true);

  const filer = await context();
  const f = await filer.newPage();
  await f.goto(`${server.url}/activate`);
  await f.getByLabel('统一社会信用代码').fill(unitUscc(1));
  await f.getByLabel('开通码').fill(invite);
  await f.getByLabel('用户名').fill('hn1.filer');
  await f.getByLabel('您的姓名或称呼').fill('吴填报');
  await f.getByLabel('新密码', { exact: true }).fill('another good long password');
  await f.getByLabel('再次输入新密码').fill('another good long password');
  await Promise.all([f.waitForURL(/\/employer$/), f.getByRole('button', { name: '开通并登录' }).click()]);
  await h.reload();
  await expect(h.locator('tbody').textContent()).resolves.toContain('hn1.filer');

  // ---- the second user uploads the 2025 workbook and submits ----
  const roster = join(dir, '启用测试1号2025.xlsx');
  await writeRosterWorkbook(
    roster,
    { name: unitName(1), uscc: unitUscc(1), county: '海宁市', unit_type: '企业' },
    'short',
  );
  await f.setInputFiles('input[type=file]', roster);
  await Promise.all([
    f.waitForURL(/\/employer\/checks\//, { timeout: 120_000 }),
    f.getByRole('button', { name: '上传工作簿' }).click(),
  ]);
  await expect(f.locator('[data-figure="levy.payable"]').count()).resolves.toBe(1);
  await photograph(f, '18-employer-result', true);
  await Promise.all([f.waitForURL(/\/confirm/), f.getByRole('button', { name: /报送/ }).click()]);
  await photograph(f, '19-employer-confirm', true);
  await Promise.all([f.waitForURL(/\/employer\/submissions\//), f.getByRole('button', { name: '确认报送' }).click()]);
  await expect(f.locator('main').textContent()).resolves.toContain('待审核');
  await photograph(f, '20-employer-submitted', true);

  // ---- the officer accepts, through the confirmation ----
  await o.goto(`${server.url}/bureau`);
  await Promise.all([o.waitForURL(/\/bureau\/submissions\//), o.getByRole('link', { name: unitName(1) }).click()]);
  await photograph(o, '21-submission');
  await Promise.all([o.waitForNavigation(), o.getByRole('button', { name: '通过…' }).click()]);
  await photograph(o, '22-accept-confirm');
  await Promise.all([o.waitForURL(/\/bureau\/submissions\/\d+$/), o.getByRole('button', { name: '确认通过' }).click()]);
  await expect(o.locator('main').textContent()).resolves.toContain('已通过');
  await f.reload();
  await expect(f.locator('main').textContent()).resolves.toContain('已通过');

  // ---- 199 not submitted ----
  await o.goto(`${server.url}/bureau/missing?year=2025`);
  await expect(o.locator('main p').first().textContent()).resolves.toContain('共 199 家单位尚未报送');
  await expect(o.locator('tbody tr').count()).resolves.toBe(199);
  const listed = await o.locator('tbody tr td:first-child').allTextContents();
  expect(listed).not.toContain(unitName(1));
  expect(listed).toContain(unitName(2));
  await photograph(o, '23-missing');

  // ---- the administrator issues the officer a reset code; the officer sets a new password ----
  await a.goto(`${server.url}/bureau/accounts`);
  await Promise.all([a.waitForURL(/\/bureau\/accounts\/\d+$/), a.getByRole('link', { name: 'officer.hn' }).click()]);
  await expect(a.locator('main').textContent()).resolves.toContain('已启用动态口令');
  await photograph(a, '24-officer-account');
  await Promise.all([a.waitForNavigation(), a.getByRole('button', { name: '生成重置码' }).click()]);
  await expect(a.locator('main').textContent()).resolves.toContain('账号 officer.hn 的重置码如下');
  const resetCode = (await a.locator('.code-once code').textContent())!.trim();
  expect(resetCode).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
  expect(resetCode).not.toBe(firstCode);
  await photograph(a, '25-reset-code');

  const reset = await context();
  const r = await reset.newPage();
  await setPasswordWithCode(r, resetCode, OFFICER_NEW_PASSWORD, '26-officer-password-reset');
  await reset.close();
  // the old password no longer logs in; the reset ended the session opened before it
  await o.reload();
  expect(new URL(o.url()).pathname).toBe('/login');
  await expect(o.locator('.banner[role=status]').textContent()).resolves.toBe(
    '该账号的密码已修改或重置，此处的登录已结束。请用新密码重新登录。',
  );
  await expect(refusedLogin(o, 'officer.hn', OFFICER_PASSWORD)).resolves.toBe('用户名或密码错误');
  await passwordStep(o, 'officer.hn', OFFICER_NEW_PASSWORD);
  await secondStep(o, officerApp);
  await expect(o.locator('header.top').textContent()).resolves.toContain('王专管');

  // ---- the administrator disables the officer: the officer's open session ends at its next request ----
  await a.goto(`${server.url}/bureau/accounts`);
  await Promise.all([a.waitForURL(/\/bureau\/accounts\/\d+$/), a.getByRole('link', { name: 'officer.hn' }).click()]);
  await Promise.all([a.waitForURL(/saved=1/), a.getByRole('button', { name: '停用账号' }).click()]);
  await expect(a.locator('main').textContent()).resolves.toContain('已停用');
  await photograph(a, '27-officer-disabled');
  await Promise.all([o.waitForNavigation(), o.getByRole('link', { name: '未报送单位', exact: true }).click()]);
  expect(new URL(o.url()).pathname).toBe('/login');
  await expect(o.locator('header.top').textContent()).resolves.not.toContain('王专管');
  await expect(o.locator('.banner[role=status]').textContent()).resolves.toBe(
    '该账号已停用，您已退出登录。局端工作人员请联系管理员，单位用户请联系本单位负责人。',
  );
  await photograph(o, '28-officer-logged-out');
  await expect(refusedLogin(o, 'officer.hn', OFFICER_NEW_PASSWORD)).resolves.toBe('该账号已停用，请联系管理员');

  for (const ctx of [adm, off, head, filer] as BrowserContext[]) await ctx.close();
  expect(violations).toEqual({});
});
