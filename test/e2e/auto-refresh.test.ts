/**
 * A page showing long background work (a year's recompute, docs/rules.md §6.1) reloads itself while the work
 * runs (server/static/app.js, `data-refresh`): to the run's own address, so its outcome shows once it ends,
 * and never while the reader is filling in the form on the same page — what they typed would be lost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launch } from '../helpers/browser';

jest.setTimeout(60_000);

const APP_JS = readFileSync(join(__dirname, '..', '..', 'server', 'static', 'app.js'), 'utf8');
const ORIGIN = 'http://refresh.test';
const PAGE = `<!doctype html><html lang="zh-CN"><body>
<section data-refresh="0.2" data-refresh-to="/wage?run=7" role="status"><p>已处理 4 / 10 个</p></section>
<form><label for="amount">社会平均工资</label><input id="amount" name="amount"></form>
<script src="/static/app.js"></script></body></html>`;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * A page served from memory; every address asked for is recorded. With `clock`, the page's timers run only
 * when the test moves its clock (`page.clock.runFor`), so nothing reloads the page between two steps of the
 * test however slowly a busy machine runs them.
 */
async function served(clock = false): Promise<{ page: Page; asked: string[] }> {
  const page = await browser.newPage();
  if (clock) {
    // the page's clock is stopped from its first script on: its timers fire only in clock.runFor
    await page.clock.install({ time: new Date('2026-12-01T08:00:00+08:00') });
    await page.clock.pauseAt(new Date('2026-12-01T08:00:01+08:00'));
  }
  const asked: string[] = [];
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/static/app.js')
      return route.fulfill({ contentType: 'application/javascript', body: APP_JS });
    if (url.pathname === '/ping') return route.fulfill({ contentType: 'text/plain', body: 'pong' });
    asked.push(url.pathname + url.search);
    return route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: url.search ? '<!doctype html><html lang="zh-CN"><body><p>完成</p></body></html>' : PAGE,
    });
  });
  await page.goto(`${ORIGIN}/wage`);
  return { page, asked };
}

test("left alone, the page goes to the run's own address", async () => {
  const { page, asked } = await served();
  await page.waitForURL(`${ORIGIN}/wage?run=7`);
  expect(asked).toEqual(['/wage', '/wage?run=7']);
  await page.close();
});

test('a reader typing into the form keeps what they typed: the page no longer reloads', async () => {
  const { page, asked } = await served(true);
  // typed as a reader types (focus, keys, leave the field); not through locators, whose waiting would run on
  // the page's stopped clock
  await page.evaluate(() => document.getElementById('amount')!.focus());
  await page.keyboard.type('98765');
  await page.evaluate(() => (document.activeElement as HTMLElement).blur());
  // many reload intervals later (0.2 s each, on the page's clock), the same page with the same figure
  await page.clock.runFor(1500);
  // a request from the page after those intervals: a reload started by one of them would have been asked
  // for first, or would have ended this page and its request with it
  expect(await page.evaluate(() => fetch('/ping').then((r) => r.text()))).toBe('pong');
  expect(asked).toEqual(['/wage']);
  expect(await page.evaluate(() => (document.getElementById('amount') as HTMLInputElement).value)).toBe('98765');
  await page.close();
});
