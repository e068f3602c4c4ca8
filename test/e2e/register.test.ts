/**
 * Starting a season in a real browser: the 平湖市 officer imports a register of 200 units (3 bad rows
 * refused by row and column, then fixed) and prints the activation letters; one unit activates, invites a
 * second user, who uploads and submits; the officer accepts; the not-submitted list names 199. axe-core
 * runs on each new page; screenshots: test-results/screenshots/.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { makeUscc } from '../helpers/people';
import { launch, seriousViolations, shot } from '../helpers/browser';
import { startServer, type RunningServer } from '../helpers/server';

jest.setTimeout(240_000);

let server: RunningServer;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'qd-e2e-register-'));
const violations: Record<string, unknown> = {};

beforeAll(async () => {
  server = await startServer({
    DATA_DIR: join(dir, 'data'),
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    LOG_LEVEL: 'silent',
  });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function audit(page: Page, name: string) {
  await shot(page, name);
  const v = await seriousViolations(page);
  if (v.length) violations[name] = v;
}

async function loginAs(ctx: BrowserContext, username: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.getByRole('button', { name: '登录' }).click(),
  ]);
  return page;
}

const unitUscc = (i: number) => makeUscc(`PH${String(i).padStart(7, '0')}`);
const unitName = (i: number) => `平湖市名录单位${i}号有限公司`;

function csv(rows: string[][]): string {
  return '\ufeff' + rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
}

test('register → letters → activation → a second user → filing → accepted → 199 missing, in Chromium', async () => {
  const header = ['统一社会信用代码', '单位名称', '所在县（市、区）', '单位类型', '联系人', '联系电话'];
  const good = [header];
  for (let i = 1; i <= 200; i++) good.push([unitUscc(i), unitName(i), '平湖市', '企业', '人事部', '0573-85000000']);
  const bad = good.map((r) => [...r]);
  bad[5][0] = bad[5][0].slice(0, 17) + (bad[5][0][17] === '0' ? '1' : '0');
  bad[60][3] = '公司';
  bad[120][0] = bad[7][0];
  writeFileSync(join(dir, 'bad.csv'), csv(bad));
  writeFileSync(join(dir, 'good.csv'), csv(good));

  const off = await browser.newContext();
  const o = await loginAs(off, 'officer.pinghu');
  await Promise.all([
    o.waitForURL(/\/bureau\/register/),
    o.getByRole('link', { name: '用人单位名录' }).first().click(),
  ]);
  await audit(o, 'register-01-empty');
  await o.setInputFiles('#i-file', join(dir, 'bad.csv'));
  await Promise.all([o.waitForURL(/\/imports\//), o.getByRole('button', { name: '上传并预览' }).click()]);
  await expect(o.locator('.banner.error').textContent()).resolves.toContain('文件中有 3 处问题');
  const problems = await o
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent!.trim())));
  expect(problems.map((p) => p.slice(0, 3))).toEqual([
    ['6', 'A', '统一社会信用代码'],
    ['61', 'D', '单位类型'],
    ['121', 'A', '统一社会信用代码'],
  ]);
  expect(problems[0][3]).toMatch(/^统一社会信用代码校验位错误（应为 \w），请核对$/);
  expect(problems[1][3]).toMatch(/^单位类型须为以下之一：企业/);
  expect(problems[2][3]).toBe('与第 8 行的统一社会信用代码重复，请删除重复的一行');
  await expect(o.getByRole('button', { name: '确认导入' }).count()).resolves.toBe(0);
  await audit(o, 'register-02-refused');

  await Promise.all([o.waitForURL(/\/bureau\/register/), o.getByRole('link', { name: '重新上传' }).click()]);
  await o.setInputFiles('#i-file', join(dir, 'good.csv'));
  await Promise.all([o.waitForURL(/\/imports\//), o.getByRole('button', { name: '上传并预览' }).click()]);
  await expect(o.locator('main').textContent()).resolves.toContain('确认后：新增 200 家');
  await audit(o, 'register-03-preview');
  await Promise.all([o.waitForURL(/imported=/), o.getByRole('button', { name: '确认导入' }).click()]);
  await expect(o.locator('.banner.ok').textContent()).resolves.toContain('新增 200 家');
  await audit(o, 'register-04-imported');

  await Promise.all([o.waitForURL(/\/letters$/), o.getByRole('button', { name: '生成开通码' }).click()]);
  await expect(o.locator('article.letter').count()).resolves.toBe(200);
  await audit(o, 'register-05-letters');
  await o.emulateMedia({ media: 'print' });
  await expect(o.locator('header.top').isVisible()).resolves.toBe(false);
  const breaks = await o
    .locator('article.letter')
    .first()
    .evaluate((el) => getComputedStyle(el).breakAfter);
  expect(breaks).toBe('page');
  await o.emulateMedia({ media: 'screen' });
  const letter = o.locator('article.letter', { hasText: unitName(1) });
  const code = (await letter.locator('.letter-code').textContent())!.trim();

  // the unit activates from the login page's link
  const head = await browser.newContext();
  const h = await head.newPage();
  await h.goto(`${server.url}/login`);
  await Promise.all([h.waitForURL(/\/activate$/), h.getByRole('link', { name: /开通账号/ }).click()]);
  await audit(h, 'register-06-activate');
  await h.getByLabel('统一社会信用代码').fill(unitUscc(1));
  await h.getByLabel('开通码').fill(code);
  await h.getByLabel('用户名').fill('pinghu1.head');
  await h.getByLabel('您的姓名或称呼').fill('周负责人');
  await h.getByLabel('新密码', { exact: true }).fill('a long and good password');
  await h.getByLabel('再次输入新密码').fill('a long and good password');
  await Promise.all([h.waitForURL(/\/employer$/), h.getByRole('button', { name: '开通并登录' }).click()]);
  await Promise.all([h.waitForURL(/\/employer\/users$/), h.getByRole('link', { name: '本单位用户' }).click()]);
  await Promise.all([h.waitForNavigation(), h.getByRole('button', { name: '生成邀请码' }).click()]);
  const invite = (await h.locator('.banner .letter-code').textContent())!.trim();
  await audit(h, 'register-07-users');

  const filer = await browser.newContext();
  const f = await filer.newPage();
  await f.goto(`${server.url}/activate`);
  await f.getByLabel('统一社会信用代码').fill(unitUscc(1));
  await f.getByLabel('开通码').fill(invite);
  await f.getByLabel('用户名').fill('pinghu1.filer');
  await f.getByLabel('您的姓名或称呼').fill('吴填报');
  await f.getByLabel('新密码', { exact: true }).fill('another good long password');
  await f.getByLabel('再次输入新密码').fill('another good long password');
  await Promise.all([f.waitForURL(/\/employer$/), f.getByRole('button', { name: '开通并登录' }).click()]);
  const roster = join(dir, 'roster.xlsx');
  await writeRosterWorkbook(
    roster,
    { name: unitName(1), uscc: unitUscc(1), county: '平湖市', unit_type: '企业' },
    'short',
  );
  await f.setInputFiles('input[type=file]', roster);
  await Promise.all([
    f.waitForURL(/\/employer\/checks\//, { timeout: 60_000 }),
    f.getByRole('button', { name: '上传工作簿' }).click(),
  ]);
  await Promise.all([f.waitForURL(/\/confirm/), f.getByRole('button', { name: /报送/ }).click()]);
  await Promise.all([f.waitForURL(/\/employer\/submissions\//), f.getByRole('button', { name: '确认报送' }).click()]);

  await o.goto(`${server.url}/bureau`);
  await Promise.all([o.waitForURL(/\/bureau\/submissions\//), o.getByRole('link', { name: unitName(1) }).click()]);
  await Promise.all([o.waitForNavigation(), o.getByRole('button', { name: '通过…' }).click()]);
  await Promise.all([o.waitForURL(/\/bureau\/submissions\/\d+$/), o.getByRole('button', { name: '确认通过' }).click()]);
  await expect(o.locator('body').textContent()).resolves.toContain('已通过');

  await o.goto(`${server.url}/bureau/missing?year=2025`);
  await expect(o.locator('main p').first().textContent()).resolves.toContain('共 199 家单位尚未报送');
  await expect(o.locator('tbody tr').count()).resolves.toBe(199);
  await audit(o, 'register-08-missing');
  for (const ctx of [off, head, filer]) await ctx.close();
  expect(violations).toEqual({});
});
