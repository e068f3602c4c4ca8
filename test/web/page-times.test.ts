/**
 * Every page a user can reach shows times in Beijing: no ISO timestamps with a zone or "T", no "UTC".
 * Crawls the demo as each role, in both languages.
 */
import { login, testApp, type Agent, type TestApp } from '../helpers/app';
import request from 'supertest';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

/** What a page must not show: a machine timestamp (2026-11-29T03:28…, …Z) or the word UTC. */
export const NON_BEIJING_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b|\bUTC\b|\bGMT\b/;

function visible(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ');
}

async function crawl(
  agent: Agent | ReturnType<typeof request.agent>,
  starts: string[],
  limit = 40,
): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const queue = [...starts];
  while (queue.length && seen.size < limit) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    const res = await agent.get(path);
    if (res.status !== 200 || !/html/.test(String(res.headers['content-type']))) {
      seen.set(path, '');
      continue;
    }
    seen.set(path, res.text);
    for (const m of res.text.matchAll(/href="(\/(?:employer|bureau|notices)[^"#?]*)"/g)) {
      if (/\.(xlsx|csv|json|atom|xml)$|\/objection$|annotated/.test(m[1])) continue;
      if (!seen.has(m[1])) queue.push(m[1]);
    }
  }
  return seen;
}

test('the check catches what it is meant to', () => {
  expect(NON_BEIJING_TIME.test('生成于 2026-11-29T03:28:41.123Z')).toBe(true);
  expect(NON_BEIJING_TIME.test('2026-11-29 03:28 UTC')).toBe(true);
  expect(NON_BEIJING_TIME.test('2026-11-29 11:28')).toBe(false);
  expect(NON_BEIJING_TIME.test('2026年11月29日')).toBe(false);
});

for (const lang of ['zh', 'en'] as const) {
  test.each(['employer.a', 'employer.b', 'officer.tongxiang', 'admin', null])(
    `pages as %s (${lang}) show Beijing times only`,
    async (who) => {
      const agent = who ? (await login(t.app, who)).agent : request.agent(t.app);
      await agent.get(`/?lang=${lang}`);
      const starts =
        who === null
          ? ['/', '/notices']
          : who.startsWith('employer')
            ? ['/employer']
            : ['/bureau', '/bureau/notices', '/bureau/audit', '/bureau/dashboard', '/bureau/settings'];
      const pages = await crawl(agent, starts);
      expect(pages.size).toBeGreaterThan(1);
      const faults = [...pages]
        .filter(([, html]) => NON_BEIJING_TIME.test(visible(html)))
        .map(([p, html]) => `${p}: ${NON_BEIJING_TIME.exec(visible(html))![0]}`);
      expect(faults).toEqual([]);
    },
  );
}

/** The Beijing wall clock of a stored time, computed here independently of the app's formatter. */
function beijing(stored: string): string {
  const d = new Date(stored);
  const b = new Date(d.getTime() + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${b.getUTCFullYear()}-${p(b.getUTCMonth() + 1)}-${p(b.getUTCDate())} ${p(b.getUTCHours())}:${p(b.getUTCMinutes())}`;
}

test('a stored time is shown as Beijing time (8 hours ahead of the stored UTC), not as stored', async () => {
  const at = '2026-11-28T20:05:00.000Z'; // 2026-11-29 04:05 in Beijing
  const { agent } = await login(t.app, 'employer.b'); // the demo's employer with a stored upload
  const up = await t
    .db('uploads')
    .where({ employer_id: (await t.db('users').where({ username: 'employer.b' }).first()).employer_id })
    .first();
  expect(up).toBeDefined();
  await t.db('uploads').where({ id: up.id }).update({ created_at: at });
  const home = await agent.get('/employer');
  expect(home.text).toContain('2026-11-29 04:05');
  expect(home.text).not.toContain('2026-11-28 20:05');
  const admin = (await login(t.app, 'admin')).agent;
  const last = await t.db('audit_log').orderBy('id', 'desc').first();
  const audit = await admin.get('/bureau/audit');
  expect(audit.text).toContain(beijing(last.at));
});
