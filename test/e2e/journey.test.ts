/**
 * The whole product in a real browser against the app started on loopback. An
 * employer downloads the template, uploads a filled workbook, reads the result (headline figure checked
 * against the engine), opens an explanation and submits; the county officer accepts, builds and publishes
 * the notice; an anonymous visitor reads it and downloads its .xlsx; the employer uploads a workbook with
 * errors and sees the cell references. axe-core runs on every main page; the notice page is used with
 * the keyboard alone and at 200 % zoom. Screenshots: test-results/screenshots/.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { runCheck } from '../../server/cli/run-check';
import { loadWorkbook } from '../helpers/app';
import { launch, seriousViolations, shot } from '../helpers/browser';
import { employerSheet, rosterSheet } from '../helpers/demo-workbooks';
import { startServer, type RunningServer } from '../helpers/server';
import { writeWorkbook } from '../helpers/workbook';

jest.setTimeout(180_000);

const EMPLOYER_A = {
  name: '嘉兴示例精密机械有限公司',
  uscc: '91330481MA2B3C4D01',
  county: '海宁市',
  unit_type: '企业',
};
let server: RunningServer;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'qd-e2e-'));
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

test('employer → officer → public: the journey in a real browser, every main page accessible', async () => {
  const home = await browser.newPage();
  await home.goto(server.url);
  await audit(home, '01-home');
  await home.goto(`${server.url}/login`);
  await audit(home, '02-login');
  await home.close();

  // the employer
  const emp = await browser.newContext({ acceptDownloads: true });
  const e = await loginAs(emp, 'employer.a');
  expect(new URL(e.url()).pathname).toBe('/employer');
  await audit(e, '03-employer-home');
  const [tpl] = await Promise.all([e.waitForEvent('download'), e.getByRole('link', { name: '下载填报模板' }).click()]);
  const tplPath = join(dir, 'template.xlsx');
  await tpl.saveAs(tplPath);
  const template = await loadWorkbook(readFileSync(tplPath));
  expect(template.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['单位信息', '职工名册']));

  const filled = join(dir, '精密机械2025.xlsx');
  await writeRosterWorkbook(filled, EMPLOYER_A, 'short');
  const expected = await runCheck(filled, { lang: 'zh', set: [], employerFields: {} });
  if (expected.kind !== 'result') throw new Error('the demo workbook should check cleanly');
  await e.setInputFiles('input[type=file]', filled);
  await Promise.all([
    e.waitForURL(/\/employer\/checks\//, { timeout: 60_000 }),
    e.getByRole('button', { name: '上传工作簿' }).click(),
  ]);
  const headline = e.locator('[data-figure="levy.payable"]');
  await expect(headline.textContent()).resolves.toBe(
    expected.result.levy.payable.toLocaleString('en-US', { minimumFractionDigits: 2 }),
  );
  await expect(e.locator('#headline-h').textContent()).resolves.toContain('未达标');
  const row = e.locator('tr', { has: e.locator('th', { hasText: /^应缴残疾人就业保障金$/ }) });
  const formula = row.locator('.formula');
  await expect(formula.isVisible()).resolves.toBe(true);
  await expect(formula.textContent()).resolves.toMatch(
    /^差额人数 [\d.]+ 人 × 计征工资 [\d,.]+ 元 × [\d.]+ % = [\d,.]+ 元$/,
  );
  const basis = row.locator('.clauses');
  await expect(basis.isVisible()).resolves.toBe(false);
  await row.locator('summary').click();
  await expect(basis.textContent()).resolves.toContain('《残疾人就业保障金征收使用管理办法》');
  await audit(e, '04-employer-result');
  await e.goto(e.url().replace(/\/?$/, '/report'));
  await audit(e, '05-employer-report');
  await e.goBack();
  await Promise.all([e.waitForURL(/\/confirm/), e.getByRole('button', { name: /报送/ }).click()]);
  await expect(e.locator('body').textContent()).resolves.toContain('报送后会发生什么');
  await Promise.all([e.waitForURL(/\/employer\/submissions\//), e.getByRole('button', { name: '确认报送' }).click()]);
  await expect(e.locator('body').textContent()).resolves.toContain('待审核');
  await audit(e, '06-employer-submission');

  // the officer of 海宁市
  const off = await browser.newContext();
  const o = await loginAs(off, 'officer.haining');
  await audit(o, '07-bureau-home');
  await Promise.all([
    o.waitForURL(/\/bureau\/submissions\//),
    o.getByRole('link', { name: '嘉兴示例精密机械有限公司' }).click(),
  ]);
  await audit(o, '08-bureau-submission');
  await Promise.all([o.waitForNavigation(), o.getByRole('button', { name: '通过…' }).click()]);
  await Promise.all([o.waitForURL(/\/bureau\/submissions\/\d+$/), o.getByRole('button', { name: '确认通过' }).click()]);
  await expect(o.locator('body').textContent()).resolves.toContain('已通过');
  await o.goto(`${server.url}/bureau/dashboard?year=2025`);
  await audit(o, '09-bureau-dashboard');
  // the administrator fills in 海宁市's issuing body and objection contact: publishing needs them
  const adm = await browser.newContext();
  const a = await loginAs(adm, 'admin');
  await a.goto(`${server.url}/bureau/settings#counties`);
  const hn = a.locator('#county-海宁市');
  await hn.getByLabel('发布单位（落款）').fill('海宁市残疾人联合会');
  await hn.getByLabel('联系人').fill('就业服务科 陈老师');
  await hn.getByLabel('联系电话').fill('0573-87000000');
  await hn.getByLabel('地址').fill('海宁市文苑南路1号');
  await hn.getByLabel('受理时间').fill('工作日 8:30–11:30，13:30–17:00');
  await Promise.all([a.waitForURL(/saved=1/), hn.getByRole('button', { name: /保存/ }).click()]);
  await adm.close();

  await o.goto(`${server.url}/bureau/notices`);
  await audit(o, '10-bureau-notices');
  await o.getByLabel('数据年度').fill('2025');
  await Promise.all([
    o.waitForURL(/\/bureau\/notices\/(\d+|build)$/),
    o.getByRole('button', { name: /生成公示稿/ }).click(),
  ]);
  if (o.url().endsWith('/build'))
    await Promise.all([o.waitForURL(/\/bureau\/notices\/\d+$/), o.getByRole('button', { name: '仍然生成' }).click()]);
  await expect(o.locator('body').textContent()).resolves.toContain('尚未公开');
  await audit(o, '11-bureau-notice-draft');
  await o.getByLabel('文号').fill('海残联〔2026〕8号');
  await Promise.all([o.waitForNavigation(), o.getByRole('button', { name: '保存并更新预览' }).click()]);
  await Promise.all([o.waitForNavigation(), o.getByRole('button', { name: '发布…' }).click()]);
  await Promise.all([o.waitForNavigation(), o.getByRole('button', { name: '确认发布' }).click()]);
  await expect(o.locator('.banner').first().textContent()).resolves.toContain('已发布');
  await audit(o, '12-bureau-notice-published');

  // an anonymous visitor
  const pub = await browser.newContext({ acceptDownloads: true });
  const p = await pub.newPage();
  await p.goto(`${server.url}/notices`);
  await audit(p, '13-public-notices');
  await Promise.all([
    p.waitForURL(/\/notices\/\d+$/),
    p.getByRole('link', { name: '海宁市2025年度用人单位按比例安排残疾人就业情况公示' }).click(),
  ]);
  await expect(p.locator('table.t-units-other').textContent()).resolves.toContain('嘉兴示例精密机械有限公司');
  await audit(p, '14-public-notice');
  await p.emulateMedia({ media: 'print' });
  await shot(p, '15-public-notice-print');
  await expect(p.locator('header.top').isVisible()).resolves.toBe(false); // no navigation on paper
  await p.emulateMedia({ media: 'screen' });
  const [xlsx] = await Promise.all([
    p.waitForEvent('download'),
    p.getByRole('link', { name: '下载 Excel 文件' }).click(),
  ]);
  const xlsxPath = join(dir, 'notice.xlsx');
  await xlsx.saveAs(xlsxPath);
  const nb = await loadWorkbook(readFileSync(xlsxPath));
  const cells: string[] = [];
  nb.worksheets[0].eachRow((r) => r.eachCell((c) => cells.push(String(c.value))));
  expect(cells).toContain('嘉兴示例精密机械有限公司');
  await p.getByRole('link', { name: '在线提出异议' }).click();
  await audit(p, '16-public-objection');

  // the employer again, with a broken workbook
  const broken = join(dir, 'broken.xlsx');
  await writeWorkbook(broken, [
    { name: '单位信息', rows: employerSheet({ 单位名称: EMPLOYER_A.name, 统一社会信用代码: EMPLOYER_A.uscc }) },
    {
      name: '职工名册',
      rows: rosterSheet(3, 0, [
        { 姓名: '错误示例', 身份证号: '33048119900101123X', 入职日期: '2031-13-45', '月工资（元）': 'abc' },
      ]),
    },
  ]);
  await e.goto(`${server.url}/employer`);
  await e.setInputFiles('input[type=file]', broken);
  await Promise.all([
    e.waitForURL(/\/employer\/checks\//, { timeout: 60_000 }),
    e.getByRole('button', { name: '上传工作簿' }).click(),
  ]);
  const problems = await e.locator('.problem-list tbody').textContent();
  expect(problems).toMatch(/“职工名册”表第 5 行，B 列/); // the bad ID number's cell
  expect(problems).toMatch(/“职工名册”表第 5 行，C 列/); // the bad date's cell
  await audit(e, '17-employer-problems');

  expect(violations).toEqual({});
  await Promise.all([emp.close(), off.close(), pub.close()]);
});

test('the public notice page works with the keyboard alone and at 200 % zoom', async () => {
  const ctx = await browser.newContext({ viewport: { width: 640, height: 480 } }); // a 1280-px screen at 200 %
  const p = await ctx.newPage();
  await p.goto(`${server.url}/notices`);
  const href = await p.locator('tbody a[href^="/notices/"]:not([href*="."])').first().getAttribute('href');
  await p.goto(`${server.url}${href}`);
  await shot(p, '18-public-notice-200pct');
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1); // the page reflows; only the table region scrolls sideways
  expect(await seriousViolations(p)).toEqual([]);

  // Tab through the page: skip link first, every link and the table region reachable, focus visible
  const seen: string[] = [];
  for (let i = 0; i < 40; i++) {
    await p.keyboard.press('Tab');
    const f = await p.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return {
        text: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(),
        tag: el.tagName,
        outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
      };
    });
    if (f.tag === 'BODY') break;
    expect(f.outline).toBe(true);
    seen.push(f.text);
  }
  expect(seen[0]).toBe('跳到正文');
  expect(seen).toEqual(
    expect.arrayContaining(['一、按单位类型汇总', '在线提出异议', '下载 Excel 文件', 'CSV', 'JSON']),
  );
  // the skip link moves focus to the content; Enter on a link follows it
  await p.keyboard.press('Shift+Tab');
  await p.goto(`${server.url}${href}`);
  await p.keyboard.press('Tab');
  await p.keyboard.press('Enter');
  expect(new URL(p.url()).hash).toBe('#main');
  await p.locator('a', { hasText: '全部公示' }).focus();
  await Promise.all([p.waitForURL(/\/notices$/), p.keyboard.press('Enter')]);
  await ctx.close();
});

test('the accessibility check can fail: it reports an unlabelled field and an image without text', async () => {
  const p = await browser.newPage();
  await p.setContent(
    '<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><main><h1>x</h1><form><input type="text"></form><img src="data:image/png;base64,iVBORw0KGgo="></main></body></html>',
  );
  const ids = (await seriousViolations(p)).map((v) => v.id);
  expect(ids).toEqual(expect.arrayContaining(['label', 'image-alt']));
  await p.close();
});
