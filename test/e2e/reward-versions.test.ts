/**
 * A reward across versions (J3 reward claims, docs/rules.md §13) in a real browser, as the employer, the
 * officer and the public meet it. In the demo, employer B (桐乡市, concentrated employment) submitted its 2025
 * result as version 1 and applied for the reward. It uploads a second 2025 workbook with one disabled
 * employee fewer, reads the smaller reward and submits it, applying again. Version 1 and its application then
 * say 已被第 2 版取代 on every list; the officer is offered no way to approve them, and the approve address
 * tried directly is refused and changes nothing; version 2's application waits for version 2 to be accepted,
 * and is approved through a confirmation that states the amount on version 2's result. The public reward
 * list shows that amount and never version 1's. The read-only pages are checked again in English; every page
 * is photographed at 1366 and 390 px (test-results/screenshots/rv-*.png) and fails the test on sideways
 * scroll at 390 px, a code identifier, a UTC time or the other language's words.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launch, shot } from '../helpers/browser';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { startServer, type RunningServer } from '../helpers/server';

jest.setTimeout(300_000);

const EMPLOYER_B = { name: '桐乡市福康服装有限公司', uscc: '91330483MA2B3C5E0L', county: '桐乡市', unit_type: '企业' };
const IDENTIFIER = /\b[a-z]+\.[a-z][A-Za-z]+\b|\b[a-z]+_[a-z_]+\b/;
const NON_BEIJING = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b|\bUTC\b|\bGMT\b/;
/** An amount as the pages write it: "12,345.67". */
const AMOUNT = /\d{1,3}(?:,\d{3})*\.\d{2}/;
const WIDTHS = [
  { name: '1366', width: 1366, height: 768 },
  { name: '390', width: 390, height: 844 },
];

let server: RunningServer;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'qd-rv-'));
const faults: string[] = [];

beforeAll(async () => {
  server = await startServer(
    {
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: process.env.DATABASE_URL ?? '',
      LOG_LEVEL: 'silent',
      DEMO: '1',
    },
    process.env.E2E_PORT ? { port: Number(process.env.E2E_PORT) } : {},
  );
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function loginAs(ctx: BrowserContext, username: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${server.url}/login?lang=zh`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill('demo1234');
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.locator('form button[type=submit]').last().click(),
  ]);
  return page;
}

/** The page's own words: text outside proper names (translate="no") and other-language links (lang=…). */
function ownText(page: Page, lang: 'zh' | 'en'): Promise<string> {
  return page.evaluate((pageLang) => {
    const out: string[] = [];
    const walk = (n: Node) => {
      if (n.nodeType === Node.TEXT_NODE) {
        out.push(n.textContent ?? '');
        return;
      }
      if (!(n instanceof HTMLElement)) return;
      if (['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(n.tagName) || n.getAttribute('translate') === 'no' || n.hidden)
        return;
      const l = n.getAttribute('lang');
      if (l && !l.startsWith(pageLang)) return;
      for (const c of Array.from(n.childNodes)) walk(c);
    };
    walk(document.body);
    return out.join(' ').replace(/\s+/g, ' ');
  }, lang);
}

/** Photographs the page as it stands at both widths and records what UX.md forbids on it. */
async function inspect(page: Page, name: string, lang: 'zh' | 'en') {
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w.width, height: w.height });
    await shot(page, `rv-${name}-${lang}-${w.name}`);
    const label = `${name} (${lang}, ${w.width} px)`;
    const visible = await page.locator('body').innerText();
    const id = IDENTIFIER.exec(visible.replace(/\S+@\S+/g, ' '));
    if (id) faults.push(`${label}: identifier "${id[0]}"`);
    const time = NON_BEIJING.exec(visible);
    if (time) faults.push(`${label}: non-Beijing time "${time[0]}"`);
    const own = await ownText(page, lang);
    if (lang === 'zh') {
      const english = /(?:[A-Za-z]{2,}[\s,;:]+){3,}[A-Za-z]{2,}/.exec(own.replace(/QuotaDesk|Excel|WPS|CSV|MB/g, ' '));
      if (english) faults.push(`${label}: English on a Chinese page: "${english[0]}"`);
    } else {
      const chinese = /[\u3400-\u9fff]{2,}/.exec(own.replace(/“[^”]*”|"[^"]*"/g, ' '));
      if (chinese) faults.push(`${label}: Chinese on an English page: "${chinese[0]}"`);
    }
    if (w.width === 390) {
      const over = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      if (over > 1) faults.push(`${label}: ${over} px of sideways scroll`);
    }
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

/** Employer B's 2025 workbook as the demo builds it, with the disabled employee in roster row 3 left out. */
async function secondWorkbook(): Promise<string> {
  const file = join(dir, '福康服装2025年度职工名册（第2版）.xlsx');
  await writeRosterWorkbook(file, EMPLOYER_B, 'concentrated');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const roster = wb.getWorksheet('职工名册')!;
  // rows 2–13 are the twelve disabled employees (a certificate number in column C), rows 14–41 the others
  expect(roster.getRow(3).getCell(3).value).toBeTruthy();
  roster.spliceRows(3, 1);
  await wb.xlsx.writeFile(file);
  return file;
}

/** A table row of the officer's reward list, by the version it came with. */
function claimRow(page: Page, version: number, lang: 'zh' | 'en'): Locator {
  const label = lang === 'zh' ? `第 ${version} 版报送` : `submission version ${version}`;
  return page
    .locator('tbody tr')
    .filter({ hasText: EMPLOYER_B.name })
    .filter({
      has: page.getByRole('link', { name: label, exact: true }),
    });
}

/** The employer's 报送记录 row of a 2025 version. */
function submissionRow(page: Page, version: number, lang: 'zh' | 'en'): Locator {
  const year = lang === 'zh' ? '2025年度' : '2025';
  const v = lang === 'zh' ? `第 ${version} 版` : `version ${version}`;
  return page
    .locator('section[aria-labelledby=subs-h] tbody tr')
    .filter({ has: page.locator('th', { hasText: year }) })
    .filter({ has: page.locator('td', { hasText: new RegExp(`^${v}$`, 'i') }) });
}

/** The employer's reward application line of a 2025 version. */
function applicationLine(page: Page, version: number, lang: 'zh' | 'en'): Locator {
  const label = lang === 'zh' ? `第 ${version} 版报送` : `submission version ${version}`;
  return page
    .locator('section[aria-labelledby=claims-h] li')
    .filter({ hasText: /^2025 / })
    .filter({ hasText: label });
}

const amountIn = async (l: Locator) => AMOUNT.exec(await l.innerText())?.[0] ?? '';

/** What the officer must see on the reward list while version 2 awaits review (step 3). */
async function officerSeesSuperseded(o: Page, lang: 'zh' | 'en', v1Amount: string, v2Amount: string) {
  await o.goto(`${server.url}/bureau/rewards?year=2025&lang=${lang}`);
  const row1 = claimRow(o, 1, lang);
  const row2 = claimRow(o, 2, lang);
  await expect(row1.count()).resolves.toBe(1);
  await expect(row2.count()).resolves.toBe(1);
  await expect(row1.innerText()).resolves.toContain(lang === 'zh' ? '已被第 2 版取代' : 'superseded by version 2');
  await expect(amountIn(row1)).resolves.toBe(v1Amount);
  await expect(row1.locator('a[href$="/approve"], form').count()).resolves.toBe(0); // no approve, refuse or paid
  await expect(row1.getByRole('link', { name: lang === 'zh' ? '批准' : 'Approve' }).count()).resolves.toBe(0);
  await expect(amountIn(row2)).resolves.toBe(v2Amount);
  await expect(row2.innerText()).resolves.toContain(lang === 'zh' ? '已申请' : 'applied');
  await expect(row2.locator('a[href$="/approve"]').count()).resolves.toBe(0);
  await expect(row2.innerText()).resolves.toContain(
    lang === 'zh' ? '待报送审核通过后可批准' : 'Can be approved once the submission is accepted',
  );
  await inspect(o, 'officer-rewards-waiting', lang);
}

test('a superseded version’s reward is never offered, approved or published; the current one is, after its amount is confirmed', async () => {
  const off = await browser.newContext();
  const o = await loginAs(off, 'officer.tongxiang');

  // before version 2: version 1's application is listed, applied for, waiting for its review
  await o.goto(`${server.url}/bureau/rewards?year=2025&lang=zh`);
  const before = claimRow(o, 1, 'zh');
  await expect(before.count()).resolves.toBe(1);
  await expect(before.innerText()).resolves.toContain('已申请');
  const v1Amount = await amountIn(before);
  expect(v1Amount).toMatch(AMOUNT);
  // the address of version 1's application, as an officer who kept it would have it
  const refuseAction = (await before.locator('form[action$="/refuse"]').getAttribute('action'))!;
  const claim1 = Number(/\/bureau\/rewards\/(\d+)\/refuse$/.exec(refuseAction)![1]);
  await inspect(o, 'officer-rewards-before', 'zh');

  // 1. employer B uploads the second workbook, reads the smaller reward, submits it applying for the reward
  const emp = await browser.newContext();
  const e = await loginAs(emp, 'employer.b');
  await e.goto(`${server.url}/employer?lang=zh`);
  await expect(applicationLine(e, 1, 'zh').innerText()).resolves.toContain('已申请');
  await e.setInputFiles('#file', await secondWorkbook());
  await Promise.all([
    e.waitForURL(/\/employer\/checks\/[^/]+$/, { timeout: 120_000 }),
    e.locator('#upload-form button[type=submit]').click(),
  ]);
  const resultUrl = e.url();
  const v2Amount = await e.locator('[data-figure="rewards.total"]').innerText();
  expect(v2Amount).toMatch(AMOUNT);
  const fen = (a: string) => Number(a.replace(/[,.]/g, ''));
  expect(fen(v2Amount)).toBeGreaterThan(0);
  expect(fen(v2Amount)).toBeLessThan(fen(v1Amount));
  await inspect(e, 'employer-result', 'zh');

  await Promise.all([
    e.waitForURL((u) => u.pathname.endsWith('/confirm')),
    e.locator('form[action$="/confirm"] button').click(),
  ]);
  await expect(e.locator('.banner.warn').innerText()).resolves.toContain('第 1 版');
  // the page says, before sending, what becomes of version 1's application
  await expect(e.locator('#claim-superseded').innerText()).resolves.toBe(
    `第 1 版报送的奖励申请（${v1Amount} 元，已申请）将被本次报送取代，不再审批或发放。`,
  );
  const choice = e.locator('fieldset.choice');
  await expect(choice.innerText()).resolves.toContain(`本结果可获奖励 ${v2Amount} 元`);
  await inspect(e, 'employer-confirm', 'zh');
  // the choice is asked for: submitting without it sends nothing
  await e.locator('form[action$="/submit"] button[type=submit]').click();
  expect(new URL(e.url()).pathname).toMatch(/\/confirm$/);
  await choice.getByLabel('申请奖励').check();
  await Promise.all([
    e.waitForURL(/\/employer\/submissions\/\d+$/),
    e.locator('form[action$="/submit"] button[type=submit]').click(),
  ]);
  await inspect(e, 'employer-submission-v2', 'zh');

  // 2. 报送记录: version 1 superseded by version 2, its application too; version 2 awaiting review
  const employerChecks = async (lang: 'zh' | 'en') => {
    await e.goto(`${server.url}/employer?lang=${lang}`);
    const superseded = lang === 'zh' ? '已被第 2 版取代' : 'superseded by version 2';
    await expect(submissionRow(e, 1, lang).innerText()).resolves.toContain(superseded);
    await expect(submissionRow(e, 2, lang).innerText()).resolves.toContain(
      lang === 'zh' ? '待审核' : 'awaiting review',
    );
    await expect(submissionRow(e, 1, lang).innerText()).resolves.not.toContain(lang === 'zh' ? '待审核' : 'awaiting');
    const app1 = applicationLine(e, 1, lang);
    await expect(app1.innerText()).resolves.toContain(superseded);
    await expect(amountIn(app1)).resolves.toBe(v1Amount);
    const app2 = applicationLine(e, 2, lang);
    await expect(app2.innerText()).resolves.toContain(lang === 'zh' ? '已申请' : 'applied');
    await expect(amountIn(app2)).resolves.toBe(v2Amount);
    await inspect(e, 'employer-home', lang);
    // version 1's own page says it too, and no longer that it awaits review
    await Promise.all([e.waitForURL(/\/employer\/submissions\/\d+$/), submissionRow(e, 1, lang).locator('a').click()]);
    const page1 = await e.locator('main').innerText();
    expect(page1).toContain(superseded);
    expect(page1).not.toContain(lang === 'zh' ? '待审核' : 'awaiting review');
    await inspect(e, 'employer-submission-v1', lang);
  };
  await employerChecks('zh');

  // 3. the officer: version 1's application superseded with no approve action; version 2's waits for its review
  await officerSeesSuperseded(o, 'zh', v1Amount, v2Amount);
  const claim2 = Number(
    /\/bureau\/rewards\/(\d+)\/refuse$/.exec(
      (await claimRow(o, 2, 'zh').locator('form[action$="/refuse"]').getAttribute('action'))!,
    )![1],
  );
  const csrf = await o.locator('input[name=_csrf]').first().inputValue();
  // version 1's approve address, opened and posted (confirmed, with its amount): refused with the reason
  const refusedPage = async (lang: 'zh' | 'en') => {
    const res = await o.goto(`${server.url}/bureau/rewards/${claim1}/approve?lang=${lang}`);
    expect(res!.status()).toBe(409);
    await expect(o.locator('main').innerText()).resolves.toContain(
      lang === 'zh' ? '已被第 2 版取代，不能批准' : 'superseded by version 2: it cannot be approved',
    );
    await expect(o.locator('form[action$="/approve"]').count()).resolves.toBe(0);
    // the refusal is headed in words, not by its HTTP code alone
    await expect(o.locator('h1').innerText()).resolves.toBe(lang === 'zh' ? '无法办理' : 'This cannot be done');
    await expect(
      o.getByRole('link', { name: lang === 'zh' ? '返回' : 'Back', exact: true }).getAttribute('href'),
    ).resolves.toBe('/bureau');
    await expect(o.title()).resolves.toBe(lang === 'zh' ? '无法办理 · QuotaDesk' : 'This cannot be done · QuotaDesk');
    await inspect(o, 'officer-approve-superseded', lang);
  };
  await refusedPage('zh');
  const post = (id: number, body: string) =>
    o.evaluate(
      async ([path, form]) => {
        const r = await fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
          redirect: 'manual',
        });
        return { status: r.status, text: await r.text() };
      },
      [`/bureau/rewards/${id}/approve?lang=zh`, `_csrf=${encodeURIComponent(csrf)}&${body}`] as const,
    );
  for (const body of ['', `confirm=1&amountFen=${fen(v1Amount)}`]) {
    const forced = await post(claim1, body);
    expect(forced.status).toBe(409);
    expect(forced.text).toContain('已被第 2 版取代');
  }
  // version 2's approve address before version 2 is accepted: refused, nothing to confirm
  const early = await o.goto(`${server.url}/bureau/rewards/${claim2}/approve?lang=zh`);
  expect(early!.status()).toBe(409);
  await expect(o.locator('main').innerText()).resolves.toContain('尚未审核通过');
  await expect(o.locator('form[action$="/approve"]').count()).resolves.toBe(0);
  await inspect(o, 'officer-approve-too-early', 'zh');
  expect((await post(claim2, `confirm=1&amountFen=${fen(v2Amount)}`)).status).toBe(409);
  // nothing changed: the list reads as before, and the public list has no reward of B
  await officerSeesSuperseded(o, 'zh', v1Amount, v2Amount);

  // the same read-only pages in English
  await employerChecks('en');
  await officerSeesSuperseded(o, 'en', v1Amount, v2Amount);
  await refusedPage('en');

  const pub = await browser.newContext();
  const p = await pub.newPage();
  const publicList = async (lang: 'zh' | 'en', shown: boolean) => {
    await p.goto(`${server.url}/rewards?county=${encodeURIComponent('桐乡市')}&year=2025&lang=${lang}`);
    const text = await p.locator('main').innerText();
    expect(text).not.toContain(v1Amount);
    if (shown) {
      const row = p.locator('tbody tr').filter({ hasText: EMPLOYER_B.name });
      await expect(row.count()).resolves.toBe(1);
      await expect(amountIn(row)).resolves.toBe(v2Amount);
    } else expect(text).not.toContain(EMPLOYER_B.name);
    await inspect(p, shown ? 'public-rewards' : 'public-rewards-before', lang);
  };
  await publicList('zh', false);

  // 4. the officer accepts version 2 through its confirmation, then approves its application at the stated amount
  await o.goto(`${server.url}/bureau/rewards?year=2025&lang=zh`);
  await Promise.all([
    o.waitForURL(/\/bureau\/submissions\/\d+$/),
    claimRow(o, 2, 'zh').getByRole('link', { name: '第 2 版报送', exact: true }).click(),
  ]);
  const v2Url = o.url();
  await Promise.all([o.waitForNavigation(), o.getByRole('button', { name: '通过…' }).click()]);
  await expect(o.locator('h1').innerText()).resolves.toContain('确认通过');
  await inspect(o, 'officer-accept-confirm', 'zh');
  await Promise.all([o.waitForURL(v2Url), o.getByRole('button', { name: '确认通过' }).click()]);
  await expect(o.locator('.meta').first().innerText()).resolves.toContain('已通过');

  // the confirmation read in English first: the same amount, the employer's name kept as written
  await o.goto(`${server.url}/bureau/rewards/${claim2}/approve?lang=en`);
  await expect(o.locator('main').innerText()).resolves.toContain(`Amount to approve: ${v2Amount} yuan`);
  await expect(o.locator('h1 [translate=no]').innerText()).resolves.toBe(EMPLOYER_B.name);
  await inspect(o, 'officer-approve-confirm', 'en');
  await o.goto(`${server.url}/bureau/rewards?year=2025&lang=zh`);
  await expect(claimRow(o, 1, 'zh').locator('a[href$="/approve"]').count()).resolves.toBe(0);
  await Promise.all([
    o.waitForURL(/\/bureau\/rewards\/\d+\/approve$/),
    claimRow(o, 2, 'zh').getByRole('link', { name: '批准', exact: true }).click(),
  ]);
  const stated = await o.locator('main').innerText();
  expect(stated).toContain(`批准金额：${v2Amount} 元`);
  expect(stated).not.toContain(v1Amount);
  await inspect(o, 'officer-approve-confirm', 'zh');
  // the amount on the confirmation is the amount on version 2's result
  const r = await emp.newPage();
  await r.goto(`${resultUrl}?lang=zh`);
  await expect(r.locator('[data-figure="rewards.total"]').innerText()).resolves.toBe(v2Amount);
  await r.close();
  await Promise.all([
    o.waitForURL(/\/bureau\/rewards\?year=2025$/),
    o.getByRole('button', { name: `确认批准 ${v2Amount} 元` }).click(),
  ]);
  await expect(claimRow(o, 2, 'zh').innerText()).resolves.toContain('已批准');
  await expect(claimRow(o, 1, 'zh').innerText()).resolves.toContain('已被第 2 版取代');
  await inspect(o, 'officer-rewards-approved', 'zh');

  // 5. the public list, no login: version 2's amount, never version 1's
  await publicList('zh', true);
  await publicList('en', true);
  // the officer's English list after the approval: version 1 still superseded and without actions
  await o.goto(`${server.url}/bureau/rewards?year=2025&lang=en`);
  await expect(claimRow(o, 1, 'en').innerText()).resolves.toContain('superseded by version 2');
  await expect(claimRow(o, 1, 'en').locator('a[href$="/approve"], form').count()).resolves.toBe(0);
  await expect(claimRow(o, 2, 'en').innerText()).resolves.toContain('approved');
  await inspect(o, 'officer-rewards-approved', 'en');

  await off.close();
  await emp.close();
  await pub.close();
  expect(faults).toEqual([]);
});
