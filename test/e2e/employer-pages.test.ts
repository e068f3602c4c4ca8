/**
 * The employer's journey in Chromium, in Chinese and in English, at 1366 and 390 px.
 * Every page fails the test on: a visible identifier-like token or a clause / interpretation code without
 * its words; a Chinese page with an English sentence (or the reverse; proper names marked translate="no",
 * and the language switch marked with its own lang, excepted); a time that is not Beijing time; a page
 * wider than a 390 px screen. The journey fails on an annotated workbook with a marked cell that has no
 * problem, a roster CSV that does not reach a result, and a second identical submission that is accepted.
 * Screenshots of every page, both widths, both languages: test-results/screenshots/employer-*.png.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadWorkbook } from '../helpers/app';
import { launch, shot } from '../helpers/browser';
import { employerSheet, rosterSheet } from '../helpers/demo-workbooks';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { startServer, type RunningServer } from '../helpers/server';
import { writeWorkbook } from '../helpers/workbook';

jest.setTimeout(600_000);

const EMPLOYER_A = {
  name: '嘉兴示例精密机械有限公司',
  uscc: '91330481MA2B3C4D01',
  county: '海宁市',
  unit_type: '企业',
};
const IDENTIFIER = /\b[a-z]+\.[a-z][A-Za-z]+\b/;
const CODE = /(?<![A-Za-z0-9])(?:J\d(?:\.\d)+|L(?:72|52|121|18|39|98|122)|I(?:[1-9]|10)|R24|ZJ)(?![A-Za-z0-9])/;
const NON_BEIJING = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b|\bUTC\b|\bGMT\b/;
const WIDTHS = [1366, 390] as const;

let server: RunningServer;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'qd-e2e-emp-'));

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

/** The page's own words: text outside proper names (translate="no"), other-language links (lang=…) and code. */
async function ownText(page: Page, lang: 'zh' | 'en'): Promise<string> {
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
      if (l && !l.startsWith(pageLang === 'zh' ? 'zh' : 'en')) return;
      for (const c of Array.from(n.childNodes)) walk(c);
    };
    walk(document.body);
    return out.join(' ').replace(/\s+/g, ' ');
  }, lang);
}

interface Fault {
  page: string;
  what: string;
}
const faults: Fault[] = [];

/** Checks one page and screenshots it at both widths. */
async function inspect(ctx: BrowserContext, url: string, name: string, lang: 'zh' | 'en') {
  const page = await ctx.newPage();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 768 });
    const res = await page.goto(url);
    const label = `${name} (${lang}, ${width} px)`;
    if (!res || res.status() >= 500) faults.push({ page: label, what: `status ${res?.status()}` });
    await shot(page, `employer-${lang}-${width}-${name}`);
    const visible = await page.evaluate(() => document.body.innerText);
    const own = await ownText(page, lang);
    const id = IDENTIFIER.exec(visible);
    if (id) faults.push({ page: label, what: `identifier "${id[0]}"` });
    const code = CODE.exec(visible);
    if (code) faults.push({ page: label, what: `code without words "${code[0]}"` });
    const time = NON_BEIJING.exec(visible);
    if (time) faults.push({ page: label, what: `non-Beijing time "${time[0]}"` });
    if (lang === 'zh') {
      const english = /(?:[A-Za-z]{2,}[\s,;:]+){3,}[A-Za-z]{2,}/.exec(
        own.replace(/QuotaDesk|Excel|WPS|CSV|\.xlsx|\.xls|\.et|\.csv|MB/g, ' '),
      );
      if (english) faults.push({ page: label, what: `English sentence on a Chinese page: "${english[0]}"` });
    } else {
      const chinese = /[\u3400-\u9fff]{2,}/.exec(own.replace(/“[^”]*”|"[^"]*"/g, ' '));
      if (chinese) faults.push({ page: label, what: `Chinese on an English page: "${chinese[0]}"` });
    }
    if (width === 390) {
      const over = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      if (over > 1) faults.push({ page: label, what: `${over} px of horizontal scroll` });
    }
  }
  await page.close();
}

async function loginAs(ctx: BrowserContext, username: string, lang: 'zh' | 'en'): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${server.url}/login?lang=${lang}`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill('demo1234');
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.locator('form button[type=submit]').last().click(),
  ]);
  return page;
}

async function uploadFile(page: Page, file: string, form: Record<string, string> = {}): Promise<void> {
  await page.goto(`${server.url}/employer`);
  await page.setInputFiles('#file', file);
  for (const [k, v] of Object.entries(form)) await page.locator(`[name=${k}]`).fill(v);
  await Promise.all([
    page.waitForURL(/\/employer\/checks\//, { timeout: 120_000 }),
    page.locator('#upload-form button[type=submit]').click(),
  ]);
}

/**
 * The tax form's copy buttons put the column's value on the clipboard and say so, and are left out of
 * print. In Chinese through the asynchronous clipboard; in English as on a bureau's plain-http address,
 * where the browser offers no asynchronous clipboard and the page copies through a selected text field.
 */
async function copyButtonsCopy(ctx: BrowserContext, page: Page, lang: 'zh' | 'en') {
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const button = page.locator('.tax-form button[data-copy]').first();
  const value = await button.getAttribute('data-copy');
  expect(value).toMatch(/^\d+(\.\d+)?$/);
  await page.evaluate(() => navigator.clipboard.writeText('-'));
  if (lang === 'en')
    await page.evaluate(() => {
      (window as unknown as { realClipboard: Clipboard }).realClipboard = navigator.clipboard;
      Object.defineProperty(navigator, 'clipboard', { value: undefined });
    });
  await button.click();
  // the label changes once the clipboard write resolves and reverts 2 s later: watched in the page, so a
  // busy machine can neither read it before the write ends nor after it reverts
  const copied = lang === 'zh' ? '已复制' : 'Copied';
  await expect(
    button.evaluate(
      (b, want) =>
        new Promise<string>((resolve) => {
          const seen = () => b.textContent === want && (resolve(want), true);
          if (!seen())
            new MutationObserver(() => seen()).observe(b, { childList: true, characterData: true, subtree: true });
        }),
      copied,
    ),
  ).resolves.toBe(copied);
  const pasted = await page.evaluate(() =>
    ((window as unknown as { realClipboard?: Clipboard }).realClipboard ?? navigator.clipboard).readText(),
  );
  expect(pasted).toBe(value);
  await expect(page.locator('[data-copy-status]').innerText()).resolves.toContain(lang === 'zh' ? '已复制' : 'Copied');
  await page.emulateMedia({ media: 'print' });
  await expect(button.isVisible()).resolves.toBe(false);
  await page.emulateMedia({ media: 'screen' });
}

test('the employer journey in both languages: words, one language, Beijing time, phone width, annotated cells, CSV, one submission', async () => {
  // workbooks: a clean one, one with problems, a roster CSV
  const good = join(dir, '精密机械2025.xlsx');
  await writeRosterWorkbook(good, EMPLOYER_A, 'short');
  const bad = join(dir, '有问题的名册.xlsx');
  const roster = rosterSheet(40, 1);
  roster[3][1] = '330481199001011235'; // a wrong check digit
  roster[5][3] = '2025-13-45'; // not a date
  await writeWorkbook(bad, [
    { name: '单位信息', rows: employerSheet({ 统一社会信用代码: EMPLOYER_A.uscc }) },
    { name: '职工名册', rows: roster },
  ]);
  const csv = join(dir, '名册.csv');
  writeFileSync(
    csv,
    '\ufeff' +
      rosterSheet(60, 1)
        .map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))).join(','))
        .join('\n'),
  );

  for (const lang of ['zh', 'en'] as const) {
    const ctx = await browser.newContext({ acceptDownloads: true });
    const e = await loginAs(ctx, 'employer.a', lang);
    await inspect(ctx, `${server.url}/employer`, 'home', lang);

    // a file over the limit is stopped in the browser before anything is sent, with the limit stated
    await e.goto(`${server.url}/employer`);
    await e.evaluate(() => document.getElementById('upload-form')!.setAttribute('data-max-bytes', '1024'));
    await e.setInputFiles('#file', good);
    let sent = false;
    e.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/employer/uploads')) sent = true;
    });
    await e.locator('#upload-form button[type=submit]').click();
    await expect(e.locator('.progress.failed').innerText()).resolves.toMatch(
      lang === 'en' ? /over the 30 MB limit/ : /超过 30 MB 上限/,
    );
    expect(sent).toBe(false);
    await shot(e, `employer-${lang}-1366-upload-too-large`);

    // the clean workbook: result, report, confirmation, submission, receipt, public verification
    await uploadFile(e, good);
    const resultUrl = e.url();
    await copyButtonsCopy(ctx, e, lang);
    await inspect(ctx, resultUrl, 'result', lang);
    await inspect(ctx, `${resultUrl}/report`, 'report', lang);
    let submissionUrl: string | null = null;
    const submitButton = e.locator('form[action$="/confirm"] button');
    if (await submitButton.count()) {
      await Promise.all([e.waitForURL(/\/confirm/), submitButton.click()]);
      await inspect(ctx, e.url(), 'confirm', lang);
      await e.reload(); // a page opened in another tab renews the form token
      await Promise.all([e.waitForNavigation(), e.locator('form[action$="/submit"] button[type=submit]').click()]);
      if (!/\/employer\/submissions\//.test(e.url()))
        throw new Error(`submitting failed: ${await e.locator('main').innerText()}`);
      submissionUrl = e.url();
    } else {
      // the English round uploads the year submitted in the Chinese round again: the page says it is identical
      await expect(e.locator('#identical-state').innerText()).resolves.toMatch(/identical to version 1/);
      // and the server refuses it even when asked directly
      await e.goto(`${resultUrl}/confirm`);
      await e.reload();
      await Promise.all([e.waitForNavigation(), e.locator('form[action$="/submit"] button[type=submit]').click()]);
      await expect(e.locator('main').innerText()).resolves.toMatch(/identical to the version you last submitted/);
    }
    if (submissionUrl) {
      await inspect(ctx, submissionUrl, 'submission', lang);
      await inspect(ctx, `${submissionUrl}/receipt`, 'receipt', lang);
      const r = await ctx.newPage();
      await r.goto(`${submissionUrl}/receipt`);
      const verify = await r.locator('.verify-link a').getAttribute('href');
      const shown = await r.locator('[data-time]').innerText();
      const beijingNow = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
      expect(
        Math.abs(Date.parse(shown.replace(' ', 'T') + 'Z') - Date.parse(beijingNow.replace(' ', 'T') + 'Z')),
      ).toBeLessThanOrEqual(5 * 60_000);
      await r.close();
      const anon = await browser.newContext();
      await inspect(anon, `${verify!}?lang=${lang}`, 'receipt-verify', lang);
      await anon.close();

      // the same workbook again: the page says it is identical, and the server refuses it when asked directly
      await uploadFile(e, good);
      await expect(e.locator('#identical-state').count()).resolves.toBe(1);
      await inspect(ctx, e.url(), 'identical', lang);
      await e.goto(`${e.url()}/confirm`);
      await e.reload();
      await Promise.all([e.waitForNavigation(), e.locator('form[action$="/submit"] button[type=submit]').click()]);
      await expect(e.locator('main').innerText()).resolves.toMatch(/完全相同/);
    }

    // the workbook with problems: the problems page, and an annotated workbook marking only problem cells
    await uploadFile(e, bad);
    await inspect(ctx, e.url(), 'problems', lang);
    const listed = await e.locator('.problem-list tbody tr th').allInnerTexts();
    expect(listed.length).toBeGreaterThan(0);
    const [dl] = await Promise.all([e.waitForEvent('download'), e.locator('a[href$="/annotated.xlsx"]').click()]);
    const annotatedPath = join(dir, `annotated-${lang}.xlsx`);
    await dl.saveAs(annotatedPath);
    const [csvDl] = await Promise.all([e.waitForEvent('download'), e.locator('a[href$="/problems.csv"]').click()]);
    const listPath = join(dir, `problems-${lang}.csv`);
    await csvDl.saveAs(listPath);
    const problemCells = new Set(
      readFileSync(listPath, 'utf8')
        .replace(/^\ufeff/, '')
        .split(/\r\n/)
        .slice(1)
        .map((line) => line.split(',').map((f) => f.replace(/^"|"$/g, '')))
        .filter((f) => f[1] && f[2])
        .map((f) => `${f[0]}!${f[2]}${f[1]}`),
    );
    expect(problemCells.size).toBeGreaterThan(0);
    const wb = await loadWorkbook(readFileSync(annotatedPath));
    const marked: string[] = [];
    const MARKS = new Set(['FFFFC7CE', 'FFFFEB9C', 'FFDDEBF7']);
    wb.eachSheet((ws) =>
      ws.eachRow({ includeEmpty: false }, (row) =>
        row.eachCell({ includeEmpty: false }, (cell) => {
          const fill = cell.fill as { fgColor?: { argb?: string } } | undefined;
          if (fill?.fgColor?.argb && MARKS.has(fill.fgColor.argb)) marked.push(`${ws.name}!${cell.address}`);
        }),
      ),
    );
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.filter((c) => !problemCells.has(c))).toEqual([]);

    // a roster CSV on the web, with the account's details and the form's year and founding date
    await e.goto(`${server.url}/employer`);
    await e.setInputFiles('#file', csv);
    await expect(e.locator('#csv-fields').isVisible()).resolves.toBe(true);
    // the form's required fields are marked and asked for before anything is sent
    await expect(e.locator('#csv-fields .req').count()).resolves.toBe(2);
    let posted = 0;
    const count = (r: { method(): string; url(): string }) => {
      if (r.method() === 'POST' && r.url().endsWith('/employer/uploads')) posted++;
    };
    e.on('request', count);
    await e.click('#upload-form button[type=submit]');
    await expect(e.locator('#csv-year').evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).resolves.toBe(
      true,
    );
    e.off('request', count);
    expect(posted).toBe(0);
    await inspect(ctx, `${server.url}/employer`, 'home-after', lang);
    await uploadFile(e, csv, { year: '2025', founded: '2012-04-01' });
    await expect(e.locator('#headline-h').count()).resolves.toBe(1);
    await inspect(ctx, e.url(), 'csv-result', lang);
    await ctx.close();
  }
  expect(faults).toEqual([]);
});
