/**
 * The officer's and the public's journeys in a real browser, in Chinese and in English. The
 * suite fails on a page that scrolls sideways at 390 px, a UTC or ISO time on a page, a notice missing one
 * of its parts (UX.md §3), an edition mark on a first publication, a publication or an acceptance made
 * without confirmation, and an empty correction published. Every bureau, admin and public page is
 * photographed at 1366 and 390 px in both languages: test-results/screenshots/bp-*.png.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, shot } from '../helpers/browser';
import { startServer, type RunningServer } from '../helpers/server';

jest.setTimeout(300_000);

let server: RunningServer;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'qd-bp-'));
const faults: string[] = [];

beforeAll(async () => {
  server = await startServer({
    DATA_DIR: join(dir, 'data'),
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    LOG_LEVEL: 'silent',
    DEMO: '1',
  });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const WIDTHS = [
  { name: 'wide', width: 1366, height: 768 },
  { name: 'phone', width: 390, height: 844 },
];

async function loginAs(ctx: BrowserContext, username: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${server.url}/login`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill('demo1234');
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.locator('form button[type=submit]').last().click(),
  ]);
  return page;
}

/** A UTC or ISO clock time anywhere in the visible text. */
const UTC = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\b\d{1,2}:\d{2}(:\d{2})?\s*(UTC|GMT|Z)\b|\bUTC\b/;

/** Visits a page at both widths, photographs it and records any horizontal page scroll at 390 px or UTC time. */
async function sweep(ctx: BrowserContext, path: string, name: string, lang: 'zh' | 'en') {
  const page = await ctx.newPage();
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w.width, height: w.height });
    await page.goto(`${server.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
    await shot(page, `bp-${name}-${lang}-${w.name}`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (overflow > 1) faults.push(`${name} (${lang}, ${w.width} px): the page scrolls sideways by ${overflow} px`);
    const text = await page.locator('body').innerText();
    if (UTC.test(text)) faults.push(`${name} (${lang}): a UTC/ISO time: ${UTC.exec(text)![0]}`);
    // navigation wraps between items, never inside one
    const broken = await page.evaluate(() =>
      [...document.querySelectorAll('header.top nav a, header.top nav button')]
        .filter((a) => a.getClientRects().length > 1)
        .map((a) => a.textContent),
    );
    if (broken.length)
      faults.push(`${name} (${lang}, ${w.width} px): navigation item broken over lines: ${broken.join(', ')}`);
  }
  await page.close();
}

/** The parts every published notice has (UX.md §3), in the page's language. */
async function expectNoticeParts(page: Page, lang: 'zh' | 'en', year: number) {
  const doc = page.locator('article.notice-doc');
  const text = await doc.innerText();
  const parts =
    lang === 'zh'
      ? [
          '公示',
          '《嘉兴市人民政府关于加快推进残疾人全面小康进程的实施办法》（嘉政发〔2016〕46号）',
          `${year}年度`,
          '一、按单位类型汇总',
          '二、用人单位按比例安排残疾人就业情况',
          '三、超比例安排残疾人就业奖励',
          '联系人：',
          '联系电话：',
          '地址：',
          '受理时间：',
          '特此公示。',
        ]
      : [
          'public notice',
          '《嘉兴市人民政府关于加快推进残疾人全面小康进程的实施办法》（嘉政发〔2016〕46号）',
          String(year),
          '1. Summary by type of unit',
          "2. Employers' quota status",
          '3. Rewards for employing',
          'Contact person:',
          'Telephone:',
          'Address:',
          'Office hours:',
          'Hereby published.',
        ];
  for (const p of parts) expect({ part: p, found: text.includes(p) }).toEqual({ part: p, found: true });
  await expect(doc.locator('.doc-no').innerText()).resolves.toMatch(/〔\d{4}〕/);
  const period = await doc.locator('.doc-period').innerText();
  expect(period).toMatch(
    lang === 'zh'
      ? /^公示时间：\d{4}年\d{1,2}月\d{1,2}日至\d{4}年\d{1,2}月\d{1,2}日（共\d+天）。$/
      : /^Notice period: \d{1,2} [A-Z][a-z]+ \d{4} to \d{1,2} [A-Z][a-z]+ \d{4} \(\d+ days\)\.$/,
  );
  await expect(doc.locator('.doc-issuer').innerText()).resolves.not.toBe('');
  await expect(doc.locator('.doc-date').innerText()).resolves.toMatch(
    lang === 'zh' ? /^\d{4}年\d{1,2}月\d{1,2}日$/ : /^\d{1,2} [A-Z][a-z]+ \d{4}$/,
  );
}

test('officer and public journeys: review, build, publish, correct, object — each irreversible step confirmed', async () => {
  const off = await browser.newContext();
  const o = await loginAs(off, 'officer.tongxiang');

  // review: the decision is at the end, and 通过 asks before it acts
  await o.goto(`${server.url}/bureau?year=2025`);
  await Promise.all([
    o.waitForURL(/\/bureau\/submissions\/\d+$/),
    o.getByRole('link', { name: '桐乡市福康服装有限公司' }).click(),
  ]);
  const subUrl = o.url();
  await Promise.all([o.waitForNavigation(), o.getByRole('button', { name: '通过…' }).click()]);
  await expect(o.locator('h1').innerText()).resolves.toContain('确认通过');
  await o.goto(subUrl);
  await expect(o.locator('.meta').first().innerText()).resolves.toContain('待审核'); // not accepted without confirmation
  await Promise.all([o.waitForNavigation(), o.getByRole('button', { name: '通过…' }).click()]);
  await Promise.all([o.waitForURL(subUrl), o.getByRole('button', { name: '确认通过' }).click()]);
  await expect(o.locator('.meta').first().innerText()).resolves.toContain('已通过');

  // build: the checklist first, then the preview that is the public page
  await o.goto(`${server.url}/bureau/notices`);
  await expect(o.locator('.checklist').first().innerText()).resolves.toMatch(/已通过 \d+ · 待审核 \d+ · 未报送 \d+/);
  await o.getByLabel('数据年度').fill('2025');
  await Promise.all([o.waitForNavigation(), o.getByRole('button', { name: '根据已通过的报送生成公示稿' }).click()]);
  if (new URL(o.url()).pathname === '/bureau/notices/build')
    await Promise.all([o.waitForURL(/\/bureau\/notices\/\d+$/), o.getByRole('button', { name: '仍然生成' }).click()]);
  const draftUrl = o.url();
  const id = Number(/(\d+)$/.exec(draftUrl)![1]);
  await expect(o.getByRole('button', { name: '发布…' }).isDisabled()).resolves.toBe(true); // no document number yet
  await o.getByLabel('文号').fill('桐残联〔2026〕9号');
  await Promise.all([o.waitForNavigation(), o.getByRole('button', { name: '保存并更新预览' }).click()]);
  await expectNoticeParts(o, 'zh', 2025);
  await Promise.all([o.waitForNavigation(), o.getByRole('button', { name: '发布…' }).click()]);
  await expect(o.locator('h1').innerText()).resolves.toContain('确认发布');
  const pub = await browser.newContext();
  const p = await pub.newPage();
  const before = await p.request.get(`${server.url}/notices/${id}`);
  expect(before.status()).toBe(404); // not public until confirmed
  await Promise.all([o.waitForURL(draftUrl), o.getByRole('button', { name: '确认发布' }).click()]);
  await expect(o.locator('.banner').first().innerText()).resolves.toContain('已发布');

  // the public reads it: every part, no edition mark on a first publication, in both languages
  for (const lang of ['zh', 'en'] as const) {
    await p.goto(`${server.url}/notices/${id}?lang=${lang}`);
    await expectNoticeParts(p, lang, 2025);
    const text = await p.locator('article.notice-doc').innerText();
    expect(text).not.toMatch(lang === 'zh' ? /第\s*1\s*版|更正/ : /edition|Correction/i);
    await expect(p.locator('.doc-edition').count()).resolves.toBe(0);
  }

  // an objection: the contact is checked, the objector gets a reference number
  await p.goto(`${server.url}/notices/${id}/objection?lang=zh`);
  await p.getByLabel('所涉单位').selectOption({ label: '桐乡市福康服装有限公司' });
  await p.getByLabel('姓名').fill('李四');
  await p.getByLabel('联系电话或电子邮箱').fill('12345');
  await p.getByLabel('异议理由及证据').fill('该单位有一名残疾职工全年在职，但未计入。');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: '提交异议' }).click()]);
  await expect(p.locator('[role=alert]').innerText()).resolves.toContain('联系方式应为手机号、固定电话');
  await p.getByLabel('联系电话或电子邮箱').fill('13912345678');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: '提交异议' }).click()]);
  const reference = await p.locator('p.reference').innerText();
  expect(reference).toMatch(/^YY\d{4}-\d{6}$/);

  // the officer handles it: 受理 → 核实 → 答复, with the outcome
  await o.goto(`${server.url}/bureau/notices/${id}`);
  const card = o.locator('li.card', { hasText: reference });
  await Promise.all([o.waitForNavigation(), card.getByRole('button', { name: '受理' }).click()]);
  await card.getByLabel('核实情况').fill('经核对社保缴费记录，该职工全年在职。');
  await Promise.all([o.waitForNavigation(), card.getByRole('button', { name: '记录核实情况' }).click()]);
  await card.getByLabel('异议成立', { exact: true }).check();
  await card.getByLabel('答复内容').fill('异议成立，将发布更正。');
  await Promise.all([o.waitForNavigation(), card.getByRole('button', { name: '提交答复' }).click()]);
  await expect(card.innerText()).resolves.toContain('已答复');

  // 发布更正 starts a correction from the notice; while it changes nothing it cannot be published
  await Promise.all([o.waitForURL(/\/bureau\/notices\/\d+$/), o.getByRole('button', { name: '发布更正' }).click()]);
  const corrId = Number(/(\d+)$/.exec(o.url())![1]);
  expect(corrId).not.toBe(id);
  // a correction is a new document: its number is the officer's to enter, the corrected one's shown as a hint
  await expect(o.getByLabel('文号').inputValue()).resolves.toBe('');
  await expect(o.locator('#p-doc-hint').innerText()).resolves.toContain('桐残联〔2026〕9号');
  await expect(o.locator('.paper .doc-edition').innerText()).resolves.toBe('更正（第2版）');
  await expect(o.locator('#publish [role=alert]').innerText()).resolves.toContain('没有任何差别');
  await expect(o.getByRole('button', { name: '发布…' }).isDisabled()).resolves.toBe(true);
  // even posted directly, with the confirmation, it is refused
  const token = await o.locator('#publish input[name=_csrf]').first().inputValue();
  const forced = await o.evaluate(
    async ([nid, csrf]) =>
      (
        await fetch(`/bureau/notices/${nid}/publish`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `_csrf=${encodeURIComponent(String(csrf))}&confirm=1`,
          redirect: 'manual',
        })
      ).status,
    [corrId, token] as const,
  );
  expect(forced).toBe(422);
  expect((await p.request.get(`${server.url}/notices/${corrId}`)).status()).toBe(404);
  await off.close();
  await pub.close();
});

test('every bureau, admin and public page: no sideways scroll at 390 px, no UTC time, in both languages', async () => {
  const off = await browser.newContext();
  const adm = await browser.newContext();
  const pub = await browser.newContext();
  await loginAs(off, 'officer.tongxiang');
  await loginAs(adm, 'admin');
  const anyNotice = await (await pub.newPage()).request.get(`${server.url}/notices/feed.atom`);
  const ids = [...(await anyNotice.text()).matchAll(/\/notices\/(\d+)<\/id>/g)].map((m) => Number(m[1]));
  expect(ids.length).toBeGreaterThan(0);
  const o = await off.newPage();
  await o.goto(`${server.url}/bureau?year=2025`);
  const sub = await o.locator('a[href^="/bureau/submissions/"]').first().getAttribute('href');
  await o.goto(`${server.url}/bureau/notices`);
  const officerNotices = await o
    .locator('a[href^="/bureau/notices/"]')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  await o.close();
  const pages: [BrowserContext, string, string][] = [
    [pub, '/', 'public-home'],
    [pub, '/login', 'public-login'],
    [pub, '/notices', 'public-notices'],
    ...ids
      .slice(0, 3)
      .map((id, i): [BrowserContext, string, string] => [pub, `/notices/${id}`, `public-notice-${i + 1}`]),
    [pub, `/notices/${ids[0]}/objection`, 'public-objection'],
    [off, '/bureau?year=2025', 'bureau-list'],
    [off, sub!, 'bureau-submission'],
    [off, '/bureau/notices', 'bureau-notices'],
    ...officerNotices.slice(0, 3).map((h, i): [BrowserContext, string, string] => [off, h, `bureau-notice-${i + 1}`]),
    [off, '/bureau/missing?year=2025', 'bureau-missing'],
    [off, '/bureau/dashboard?year=2025', 'bureau-dashboard'],
    [off, '/bureau/parameters', 'bureau-parameters'],
    [adm, '/bureau?year=2025', 'admin-list'],
    [adm, '/bureau/dashboard?year=2025', 'admin-dashboard'],
    [adm, '/bureau/settings', 'admin-settings'],
    [adm, '/bureau/parameters', 'admin-parameters'],
    [adm, '/bureau/audit', 'admin-audit'],
    [pub, '/forgot-password', 'public-forgot-password'],
    [pub, '/account/reset', 'public-account-reset'],
    [pub, '/login/second-factor', 'public-second-factor'],
    [off, '/account', 'officer-account'],
    [off, '/account/second-factor', 'officer-second-factor'],
    [adm, '/bureau/accounts', 'admin-accounts'],
    [adm, '/bureau/accounts/2', 'admin-account-edit'],
  ];
  for (const lang of ['zh', 'en'] as const) for (const [ctx, path, name] of pages) await sweep(ctx, path, name, lang);
  await Promise.all([off.close(), adm.close(), pub.close()]);
  expect(faults).toEqual([]);
});
