/**
 * Two app instances on one PostgreSQL, as on two machines: each its own process and its own DATA_DIR
 * (nothing shared on disk), raw uploads kept in the database. Employers log in on one and carry on on the
 * other; uploads go to both in turn; one instance is killed with SIGKILL while it reads a roster. The other
 * finishes its own uploads and takes over the dead one's once their leases lapse (UPLOAD_LEASE_SECONDS,
 * short here). Afterwards, from the database: every upload answered 202 has exactly one result and one
 * "processed" audit entry; the audit chain verifies with both instances' checkpoints; the annotated
 * workbook and the retention purge work from the survivor for files the dead instance received. Rate
 * limits hold across both, and a correction published on one stops the other serving the superseded notice
 * within NOTICE_CACHE_SECONDS. Without a PostgreSQL in DATABASE_URL a throwaway cluster is started.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Db } from '../../db/connection';
import { migrateLatest, rollbackAll } from '../../db/migrate';
import { upsertEmployer } from '../../db/stores/employers';
import { createUser } from '../../db/stores/users';
import { createServices } from '../../server/app';
import { main as cli } from '../../server/cli';
import { loadConfig } from '../../server/config';
import { makeLog } from '../../server/middleware/log';
import { hashPassword } from '../../server/services/passwords';
import { todayInChina } from '../../server/services/notices';
import { writeSynthetic } from '../bench/synthetic';
import type { TestApp } from '../helpers/app';
import { acceptedEmployer } from '../helpers/notices';
import { makeUscc } from '../helpers/people';
import { postgres, type Postgres } from '../helpers/postgres';
import { startServer, type RunningServer } from '../helpers/server';

jest.setTimeout(420_000);

const SECRET = 'two-instances-secret';
const PASSWORD = 'two-instances-1234';
const DEMO_PASSWORD = 'demo1234';
/** Rosters sent to A: long enough that A is caught reading one even on a fast machine (progress is written every second). */
const ROWS_A = 40_000;
/** Rosters sent to B, which processes them and then A's. */
const ROWS_B = 5_000;
/** Long enough that B's cached copy, made just before the publication, is certainly still served after it. */
const NOTICE_TTL = 20;
const API_LIMIT = 3;

const dir = mkdtempSync(join(tmpdir(), 'qd-two-'));
const dirA = join(dir, 'a');
const dirB = join(dir, 'b');
let pg: Postgres;
let db: Db;
let A: RunningServer | undefined;
let B: RunningServer | undefined;

const env = (dataDir: string) => ({
  DATA_DIR: dataDir,
  DATABASE_URL: pg.url,
  UPLOAD_STORAGE: 'database',
  SESSION_SECRET: SECRET,
  LOG_LEVEL: 'silent',
  UPLOAD_WORKERS: '1',
  // a dead instance's uploads are taken over 3 s after its last renewal; recovery looks every 5 s
  UPLOAD_LEASE_SECONDS: '3',
  RECOVER_AFTER_SECONDS: '2',
  AUDIT_CHECKPOINT_SECONDS: '1',
  NOTICE_CACHE_SECONDS: String(NOTICE_TTL),
  API_CHECK_LIMIT: String(API_LIMIT),
});

beforeAll(async () => {
  pg = postgres();
  db = connect({ databaseUrl: pg.url, dataDir: dir });
  await rollbackAll(db);
  await migrateLatest(db);
  // the first instance seeds the demo accounts on the empty database; the second starts on it afterwards
  A = await startServer(env(dirA));
  B = await startServer(env(dirB));
});

afterAll(async () => {
  await A?.kill();
  await B?.stop();
  await db?.destroy();
  pg?.stop();
});

/** A browser: one cookie jar and CSRF token, whichever instance it talks to. */
class Client {
  private cookie = '';
  csrf = '';
  async req(base: string, path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(base + path, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookie },
    });
    const set = res.headers.getSetCookie();
    if (set.length) this.cookie = set.map((c) => c.split(';')[0]).join('; ');
    return res;
  }
  token(html: string) {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1];
  }
  form(base: string, path: string, body: Record<string, string | number>) {
    return this.req(base, path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(
        Object.fromEntries(Object.entries({ _csrf: this.csrf, ...body }).map(([k, v]) => [k, String(v)])),
      ),
    });
  }
  async login(base: string, username: string, password: string, home: string) {
    this.token(await (await this.req(base, '/login')).text());
    const res = await this.form(base, '/login', { username, password });
    if (res.status !== 303) throw new Error(`login ${username}: ${res.status}`);
    this.token(await (await this.req(base, home)).text());
  }
}

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, ms = 240_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const count = async (q: Promise<unknown>) => Number(((await q) as { n: number | string } | undefined)?.n ?? 0);

test('the login rate limit and the calculator limit are counted once across both instances', async () => {
  // ten failed attempts per address and name (routes/public.ts), sent to A and B in turn: the eleventh is refused
  const c = new Client();
  c.token(await (await c.req(A!.url, '/login')).text());
  const statuses: number[] = [];
  for (let i = 0; i < 14; i++) {
    const res = await c.form(i % 2 ? B!.url : A!.url, '/login', { username: 'no.such.user', password: 'wrong' });
    statuses.push(res.status);
  }
  expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
  expect(statuses.slice(10)).toEqual(Array(4).fill(429));

  // the anonymous calculator: API_CHECK_LIMIT requests per client and window, whichever instance answers
  const answered: number[] = [];
  for (let i = 0; i < API_LIMIT + 3; i++) {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('不是工作簿')]), 'x.xlsx');
    const res = await fetch(`${(i % 2 ? B : A)!.url}/api/check`, { method: 'POST', body: form });
    answered.push(res.status);
    await res.arrayBuffer();
  }
  expect(answered.filter((s) => s !== 429)).toHaveLength(API_LIMIT);
  expect(answered.slice(API_LIMIT)).toEqual(Array(3).fill(429));
});

test('a correction published on A: B stops serving the superseded notice within NOTICE_CACHE_SECONDS', async () => {
  const first = Number(
    (await db('notices').where({ status: 'published', county: '桐乡市', year: 2024 }).first('id')).id,
  );
  // a unit accepted after publication, so the correction has something to correct
  const prepDir = join(dir, 'prep');
  mkdirSync(prepDir);
  const config = loadConfig({
    dataDir: prepDir,
    databaseUrl: pg.url,
    sessionSecret: SECRET,
    uploadWorkers: 0,
    uploadStorage: 'database',
  });
  const services = createServices({ db, config, log: makeLog(true) });
  try {
    await acceptedEmployer({ db, services, dataDir: prepDir } as unknown as TestApp, {
      body: 'TX00002A',
      name: '桐乡市补录纺织有限公司',
      county: '桐乡市',
      staff: 40,
      disabled: 1,
      officer: 'officer.tongxiang',
      year: 2024,
    });
  } finally {
    await services.close();
  }

  const anonB = async () => {
    const res = await fetch(`${B!.url}/notices/${first}`);
    return { text: await res.text(), etag: res.headers.get('etag'), cacheControl: res.headers.get('cache-control') };
  };
  const officer = new Client();
  await officer.login(A!.url, 'officer.tongxiang', DEMO_PASSWORD, '/bureau/notices');
  const corr = await officer.form(A!.url, `/bureau/notices/${first}/correct`, {});
  expect(corr.status).toBe(303);
  const second = Number(/(\d+)$/.exec(corr.headers.get('location')!)![1]);
  expect(
    (await officer.form(A!.url, '/bureau/notices/build', { year: 2024, confirm: '1' })).headers.get('location'),
  ).toBe(`/bureau/notices/${second}`);
  const details = await officer.form(A!.url, `/bureau/notices/${second}/details`, {
    docNo: '桐残联〔2026〕9号',
    periodStart: todayInChina(),
    days: 7,
    note: '补录桐乡市补录纺织有限公司',
  });
  expect(details.status).toBe(303);
  // everything prepared: B's cache is filled only now, immediately before the publication, so its copy is
  // certainly still fresh when the correction is published
  const before = await anonB();
  expect(before.text).not.toContain('本公示已被更正');
  const maxAge = Number(/max-age=(\d+)/.exec(before.cacheControl ?? '')?.[1]);
  expect(maxAge).toBeLessThanOrEqual(NOTICE_TTL); // no browser or proxy keeps it longer than the instance does
  const published = await officer.form(A!.url, `/bureau/notices/${second}/publish`, { confirm: '1' });
  expect(published.status).toBe(303);
  const publishedAt = Date.now();
  expect((await db('notices').where({ id: second }).first()).status).toBe('published');

  // B answers from its cache for at most the TTL after the publication, then with the page naming the correction
  let stale = 0;
  await waitFor(
    'B to serve the corrected notice',
    async () => {
      const sentAt = Date.now();
      const page = await anonB();
      if (page.text.includes(`href="/notices/${second}"`)) return true;
      expect(sentAt - publishedAt).toBeLessThanOrEqual(NOTICE_TTL * 1000);
      stale++;
      return undefined;
    },
    (NOTICE_TTL + 5) * 1000,
  );
  const after = await anonB();
  expect(after.text).toContain('本公示已被更正');
  // the machine-readable notice names its replacement at once, and is not kept downstream beyond the TTL
  const json = await fetch(`${B!.url}/notices/${first}.json`);
  expect(((await json.json()) as { replacedById: number | null }).replacedById).toBe(second);
  expect(Number(/max-age=(\d+)/.exec(json.headers.get('cache-control') ?? '')?.[1])).toBeLessThanOrEqual(NOTICE_TTL);
  expect(after.etag).not.toBe(before.etag);
  // the cache was really in play: B went on serving the cached page after the publication, within the TTL
  expect(stale).toBeGreaterThan(0);
});

interface Sent {
  id: string;
  to: 'A' | 'B';
  employer: string;
}

test('SIGKILL on one instance mid-upload: the other processes every accepted upload exactly once', async () => {
  // four employers; each logs in on one instance, sends its first roster to A and its second to B
  const hash = await hashPassword(PASSWORD);
  const employers: { username: string; id: number; files: string[] }[] = [];
  for (let i = 0; i < 4; i++) {
    const e = { name: `嘉兴双实例测试${i + 1}号有限公司`, uscc: makeUscc(`MA2TW${i}00`), county: '海宁市' };
    const id = await upsertEmployer(db, { ...e, unit_type: '企业' });
    const username = `two.${i + 1}`;
    await createUser(db, {
      username,
      password_hash: hash,
      role: 'employer',
      employer_id: id,
      county: null,
      display_name: username,
    });
    const files = [join(dir, `${username}-1.xlsx`), join(dir, `${username}-2.xlsx`)];
    // the first employer's first roster names another county than its registration: a problem at a cell,
    // so it has an annotated workbook
    await writeSynthetic(files[0], i === 0 ? 200 : ROWS_A, i === 0 ? { ...e, county: '桐乡市' } : e);
    await writeSynthetic(files[1], ROWS_B, e);
    employers.push({ username, id, files });
  }
  const clients = await Promise.all(
    employers.map(async (e, i) => {
      const c = new Client();
      await c.login((i % 2 ? B : A)!.url, e.username, PASSWORD, '/employer');
      return c;
    }),
  );
  const sent: Sent[] = [];
  const upload = async (i: number, k: number, to: 'A' | 'B') => {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(employers[i].files[k])]), `名册${k + 1}.xlsx`);
    const res = await clients[i].req((to === 'A' ? A : B)!.url, '/employer/uploads', {
      method: 'POST',
      body: form,
      headers: { accept: 'application/json', 'x-csrf-token': clients[i].csrf },
    });
    // a session begun on one instance is honoured by the other
    expect(res.status).toBe(202);
    sent.push({ id: ((await res.json()) as { id: string }).id, to, employer: employers[i].username });
  };
  for (let i = 0; i < employers.length; i++) {
    await upload(i, 0, 'A');
    await upload(i, 1, 'B');
  }
  const fromA = sent.filter((s) => s.to === 'A');
  const fromB = sent.filter((s) => s.to === 'B');

  // kill A while it is reading one of its rosters, with more of its uploads still waiting
  const inFlight = await waitFor('A to be reading a roster', async () => {
    const row = await db('uploads')
      .whereIn(
        'id',
        fromA.map((s) => s.id),
      )
      .andWhere({ status: 'processing' })
      .andWhere('rows_read', '>', 0)
      .first();
    return row?.id as string | undefined;
  });
  const aPid = A!.child.pid!;
  await A!.kill();
  A = undefined;
  const unfinishedAtKill = await db('uploads')
    .whereIn(
      'id',
      fromA.map((s) => s.id),
    )
    .whereNot({ status: 'processed' })
    .pluck('id');
  expect(unfinishedAtKill).toContain(inFlight);

  // B finishes its own and A's: each employer asks B for its uploads' status
  for (const s of sent) {
    const c = clients[employers.findIndex((e) => e.username === s.employer)];
    const st = await waitFor(`upload ${s.id} processed`, async () => {
      const res = await c.req(B!.url, `/employer/uploads/${s.id}/status`);
      const body = (await res.json()) as { status: string; checkUrl: string | null };
      return body.status === 'processed' ? body : undefined;
    });
    expect(st.checkUrl).toMatch(/^\/employer\/checks\//);
  }

  // exactly once: one result and one "processed" audit entry per accepted upload, nothing half-written
  for (const s of sent) {
    expect((await db('uploads').where({ id: s.id }).first()).status).toBe('processed');
    expect(await count(db('checks').where({ upload_id: s.id }).count('* as n').first())).toBe(1);
    expect(
      await count(
        db('audit_log')
          .where({ action: 'upload.processed', target: `upload:${s.id}` })
          .count('* as n')
          .first(),
      ),
    ).toBe(1);
  }
  // what A left unfinished was taken over by B (named in the claim) on a second attempt; B's own ran once
  const bPid = `:${B!.child.pid}:`;
  for (const id of unfinishedAtKill) {
    const u = await db('uploads').where({ id }).first();
    expect(u.claimed_by).toContain(bPid);
    expect(u.claimed_by).not.toContain(`:${aPid}:`);
  }
  expect((await db('uploads').where({ id: inFlight }).first()).attempts).toBe(2);
  for (const s of fromB) expect((await db('uploads').where({ id: s.id }).first()).attempts).toBe(1);

  // the annotated workbook of a file A received, from B: the raw file is in the database, not on A's disk
  const annotatedOf = fromA.find((s) => s.employer === employers[0].username)!;
  const check = await db('checks').where({ upload_id: annotatedOf.id }).first();
  expect(check.has_problems).toBeTruthy();
  const annotated = await clients[0].req(B!.url, `/employer/checks/${check.id}/annotated.xlsx`);
  expect(annotated.status).toBe(200);
  const xlsx = Buffer.from(await annotated.arrayBuffer());
  expect(xlsx.subarray(0, 2).toString()).toBe('PK');
  expect(existsSync(join(dirB, 'uploads'))).toBe(false); // nothing of it kept on B's disk

  // retention, from B: the administrator keeps raw uploads one day; the purge run with B's settings a few
  // days on deletes the files A received (their chunks in the database) and their personal data
  const admin = new Client();
  await admin.login(B!.url, 'admin', DEMO_PASSWORD, '/bureau/settings');
  const saved = await admin.form(B!.url, '/bureau/settings', {
    mode: 'days',
    days: 1,
    correctionWindowDays: 90,
    orphanDays: 180,
  });
  expect(saved.status).toBe(303);
  const later = new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10);
  const purge = await runCli(dirB, ['retention', 'purge', '--date', later]);
  expect(purge.code).toBe(0);
  // a provisional levy's workbook is kept until the social average wage is entered (docs/rules.md §6.1)
  const provisional = new Set(
    (
      await db('checks')
        .whereIn(
          'upload_id',
          sent.map((s) => s.id),
        )
        .select('upload_id', 'result_json')
    )
      .filter((c) => String(c.result_json).includes('"wage-cap-not-checked"'))
      .map((c) => c.upload_id as string),
  );
  const purgeable = fromA.filter((s) => !provisional.has(s.id));
  expect(purgeable.length).toBeGreaterThan(0);
  for (const s of purgeable) {
    const u = await db('uploads').where({ id: s.id }).first();
    expect(u.purged_at).toBeTruthy();
    expect(await count(db('upload_blobs').where({ stored_name: u.stored_name }).count('* as n').first())).toBe(0);
    expect(
      await count(
        db('audit_log')
          .where({ action: 'upload.purged', target: `upload:${s.id}` })
          .count('* as n')
          .first(),
      ),
    ).toBe(1);
  }
  // a purged workbook is gone for the employer too, on whichever instance
  expect((await clients[0].req(B!.url, `/employer/checks/${check.id}/annotated.xlsx`)).status).toBe(410);

  // the audit chain, with the checkpoints both instances wrote into their own data directories
  await B!.stop(); // B's last checkpoint at shutdown
  B = undefined;
  expect(readFileSync(join(dirA, 'audit-checkpoints.jsonl'), 'utf8').trim().split('\n').length).toBeGreaterThan(0);
  const verify = await runCli(dirB, ['audit', 'verify', '--checkpoints', dirA, '--checkpoints', dirB]);
  expect(verify.out).toContain('audit chain intact');
  expect(verify.out).toContain('checkpoints of 2 instances');
  expect(verify.code).toBe(0);
});

/** `quota …` as the operator runs it on the surviving host: its DATA_DIR, the shared database. */
async function runCli(dataDir: string, args: string[]) {
  const keys = ['DATA_DIR', 'SESSION_SECRET', 'DATABASE_URL', 'UPLOAD_STORAGE'] as const;
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    SESSION_SECRET: SECRET,
    DATABASE_URL: pg.url,
    UPLOAD_STORAGE: 'database',
  });
  let out = '';
  try {
    const code = await cli(args, {
      out: (s) => {
        out += s + '\n';
      },
      err: (s) => {
        out += s;
      },
      isTTY: false,
    });
    return { code, out };
  } finally {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}
