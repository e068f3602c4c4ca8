/**
 * `npm run load`: 50 employers at once, each in a loop for LOAD_SECONDS — log in, upload a
 * 1,000-employee workbook, wait for the result, submit it — while autocannon reads the public notice page,
 * against the app started on loopback. Run on SQLite, then on PostgreSQL (DATABASE_URL, or a throwaway
 * cluster from .ci/postgres.sh when run as root). Reports throughput, p50/p99 latency and errors, then
 * counts in the database: every upload the clients saw accepted is processed, and every submission they
 * saw is there exactly once (versions 1…n per employer, no gaps, no duplicates).
 *
 * `LOAD_INSTANCES=2 npm run load`: on PostgreSQL only, two app processes on the same database, each with its
 * own DATA_DIR (raw uploads in the database); employer i talks to instance i mod 2, and the notice readers are
 * split between them. The same figures are reported, then each instance's share, then the same count.
 */
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Db } from '../../db/connection';
import { migrateLatest, rollbackAll } from '../../db/migrate';
import { createUser } from '../../db/stores/users';
import { upsertEmployer } from '../../db/stores/employers';
import { hashPassword } from '../../server/services/passwords';
import { seedPublishedNotice } from '../bench/http';
import { writeSynthetic } from '../bench/synthetic';
import { makeUscc } from '../helpers/people';
import { startServer, type RunningServer } from '../helpers/server';

const EMPLOYERS = Number(process.env.LOAD_EMPLOYERS ?? 50);
const ROWS = Number(process.env.LOAD_ROWS ?? 1000);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const INSTANCES = Math.max(1, Number(process.env.LOAD_INSTANCES ?? 1));
const PASSWORD = 'load-test-1234';
/** As the upload page's script polls (server/static/app.js). */
const POLL_MS = 700;

const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN;

/** A minimal browser: a cookie jar and the page's CSRF token. */
class Client {
  private cookie = '';
  csrf = '';
  constructor(private readonly base: string) {}
  async req(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(this.base + path, {
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
  async login(username: string) {
    this.token(await (await this.req('/login')).text());
    const res = await this.req('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password: PASSWORD, _csrf: this.csrf }),
    });
    if (res.status !== 303) throw new Error(`login ${username}: ${res.status}`);
    this.token(await (await this.req('/employer')).text());
  }
}

interface Stats {
  upload: number[];
  processing: number[];
  submit: number[];
  errors: string[];
  accepted: Map<string, number>;
  submitted: Map<string, number>;
}

async function employerLoop(base: string, username: string, files: string[], until: number, s: Stats) {
  const c = new Client(base);
  await c.login(username);
  // Two rosters that differ by one employee, sent in turn: a version identical to the last is refused (409).
  const variants = files.map((f) => readFileSync(f));
  let turn = 0;
  s.accepted.set(username, 0);
  s.submitted.set(username, 0);
  while (Date.now() < until) {
    const form = new FormData();
    form.append('file', new Blob([variants[turn++ % variants.length]]), 'roster.xlsx');
    let t0 = performance.now();
    const up = await c.req('/employer/uploads', {
      method: 'POST',
      body: form,
      headers: { accept: 'application/json', 'x-csrf-token': c.csrf },
    });
    s.upload.push(performance.now() - t0);
    if (up.status !== 202) {
      s.errors.push(`upload ${up.status}`);
      continue;
    }
    s.accepted.set(username, s.accepted.get(username)! + 1);
    const { statusUrl } = (await up.json()) as { statusUrl: string };
    t0 = performance.now();
    let checkUrl: string | null = null;
    for (;;) {
      const st = (await (await c.req(statusUrl)).json()) as { status: string; checkUrl: string | null };
      if (st.status === 'processed') {
        checkUrl = st.checkUrl;
        break;
      }
      if (st.status === 'failed') {
        s.errors.push('processing failed');
        break;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    s.processing.push(performance.now() - t0);
    if (!checkUrl) continue;
    t0 = performance.now();
    const sub = await c.req(`${checkUrl}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      // as the confirmation form sends it: the synthetic rosters are over the quota, so a reward is due
      body: new URLSearchParams({ _csrf: c.csrf, rewardChoice: 'apply' }),
    });
    s.submit.push(performance.now() - t0);
    if (sub.status !== 303) {
      s.errors.push(`submit ${sub.status}`);
      continue;
    }
    s.submitted.set(username, s.submitted.get(username)! + 1);
  }
}

async function prepare(db: Db, dir: string) {
  const hash = await hashPassword(PASSWORD);
  const files: { username: string; files: string[] }[] = [];
  for (let i = 0; i < EMPLOYERS; i++) {
    const e = {
      name: `嘉兴负载测试${i + 1}号有限公司`,
      uscc: makeUscc(`MA2LD${String(i).padStart(3, '0')}`),
      county: '海宁市',
    };
    const id = await upsertEmployer(db, { ...e, unit_type: '企业' });
    const username = `load.${i + 1}`;
    await createUser(db, {
      username,
      password_hash: hash,
      role: 'employer',
      employer_id: id,
      county: null,
      display_name: username,
    });
    const variants = [join(dir, `${username}-a.xlsx`), join(dir, `${username}-b.xlsx`)];
    await writeSynthetic(variants[0], ROWS, e);
    await writeSynthetic(variants[1], ROWS + 1, e);
    files.push({ username, files: variants });
  }
  return files;
}

const emptyStats = (): Stats => ({
  upload: [],
  processing: [],
  submit: [],
  errors: [],
  accepted: new Map(),
  submitted: new Map(),
});

/** One line of figures for a set of stats. */
function figures(s: Stats) {
  return {
    flows: s.submit.length,
    accepted: [...s.accepted.values()].reduce((a, b) => a + b, 0),
    upload: `p50 ${pct(s.upload, 50).toFixed(0)} ms  p99 ${pct(s.upload, 99).toFixed(0)} ms`,
    processing: `p50 ${pct(s.processing, 50).toFixed(0)} ms  p99 ${pct(s.processing, 99).toFixed(0)} ms`,
    submit: `p50 ${pct(s.submit, 50).toFixed(0)} ms  p99 ${pct(s.submit, 99).toFixed(0)} ms`,
  };
}

async function runOn(label: string, databaseUrl: string | null, instances = 1) {
  const dir = mkdtempSync(join(tmpdir(), 'qd-load-'));
  const dataDir = join(dir, 'data');
  const db = connect({ databaseUrl, dataDir });
  if (databaseUrl) await rollbackAll(db);
  await migrateLatest(db);
  const files = await prepare(db, dir);
  const noticeId = await seedPublishedNotice(dataDir, databaseUrl, 1000);
  // several instances: one process each, each with a data directory of its own (as on separate machines)
  const servers: RunningServer[] = [];
  for (let k = 0; k < instances; k++)
    servers.push(
      await startServer({
        DATA_DIR: instances === 1 ? dataDir : join(dir, `instance-${k + 1}`),
        DATABASE_URL: databaseUrl ?? '',
        LOG_LEVEL: 'silent',
        DEMO: '0',
      }),
    );
  const per = servers.map(() => emptyStats());
  // every instance's figures together
  const s = emptyStats();
  const until = Date.now() + SECONDS * 1000;
  const started = performance.now();
  try {
    // the 10 reading connections split between the instances
    const reads = servers.map((server, k) =>
      autocannon({
        url: `${server.url}/notices/${noticeId}`,
        connections: Math.max(1, Math.floor(10 / instances) + (k < 10 % instances ? 1 : 0)),
        duration: SECONDS,
        headers: { 'accept-encoding': 'gzip' },
      }),
    );
    await Promise.all([
      ...files.map((f, i) =>
        employerLoop(servers[i % instances].url, f.username, f.files, until, per[i % instances]).catch((e) => {
          per[i % instances].errors.push(`${f.username}: ${(e as Error).message}`);
        }),
      ),
      ...reads,
    ]);
    const rs = await Promise.all(reads);
    const elapsed = (performance.now() - started) / 1000;
    for (const p of per) {
      s.upload.push(...p.upload);
      s.processing.push(...p.processing);
      s.submit.push(...p.submit);
      s.errors.push(...p.errors);
      for (const [k, v] of p.accepted) s.accepted.set(k, v);
      for (const [k, v] of p.submitted) s.submitted.set(k, v);
    }
    const all = figures(s);
    const readRate = rs.reduce((a, r) => a + r.requests.average, 0);
    const readErrors = rs.reduce((a, r) => a + r.errors + r.timeouts, 0);
    const non2xx = rs.reduce((a, r) => a + r.non2xx, 0);
    console.log(
      `\n== ${label}${instances > 1 ? `, ${instances} instances` : ''}: ${EMPLOYERS} employers × ${ROWS}-employee workbooks for ${SECONDS} s, plus notice reads (10 connections)`,
    );
    console.log(
      `employer flows completed: ${all.flows} (${(all.flows / elapsed).toFixed(1)}/s); uploads accepted ${all.accepted}`,
    );
    console.log(`upload (to 202)      ${all.upload}`);
    console.log(`processing (to done) ${all.processing}`);
    console.log(`submit               ${all.submit}`);
    console.log(
      `notice reads         ${readRate.toFixed(0)} req/s  p50 ${rs.map((r) => r.latency.p50).join('/')} ms  p99 ${rs.map((r) => r.latency.p99).join('/')} ms  errors ${readErrors}  non-2xx ${non2xx}`,
    );
    if (instances > 1)
      per.forEach((p, k) => {
        const f = figures(p);
        console.log(
          `instance ${k + 1}: ${p.accepted.size} employers, flows ${f.flows}, uploads accepted ${f.accepted}, upload ${f.upload}, submit ${f.submit}, notice reads ${rs[k].requests.average.toFixed(0)} req/s, client errors ${p.errors.length}`,
        );
      });
    console.log(
      `client errors: ${s.errors.length}${s.errors.length ? ` (${[...new Set(s.errors)].slice(0, 5).join('; ')})` : ''}`,
    );
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
  // count afterwards: nothing lost, nothing duplicated
  let problems = 0;
  for (const f of files) {
    const user = await db('users').where({ username: f.username }).first();
    const uploads = Number((await db('uploads').where({ employer_id: user.employer_id }).count('* as n').first())!.n);
    const unprocessed = Number(
      (await db('uploads')
        .where({ employer_id: user.employer_id })
        .whereNot({ status: 'processed' })
        .count('* as n')
        .first())!.n,
    );
    const versions = (
      await db('submissions').where({ employer_id: user.employer_id }).orderBy('version').select('version')
    ).map((x) => Number(x.version));
    const expectedVersions = Array.from({ length: s.submitted.get(f.username) ?? 0 }, (_, i) => i + 1);
    if (
      uploads !== s.accepted.get(f.username) ||
      unprocessed !== 0 ||
      JSON.stringify(versions) !== JSON.stringify(expectedVersions)
    ) {
      problems++;
      console.log(
        `MISMATCH ${f.username}: uploads ${uploads} vs ${s.accepted.get(f.username)} accepted, ${unprocessed} unprocessed, versions ${versions.join(',')} vs ${expectedVersions.length} submitted`,
      );
    }
  }
  if (instances > 1) {
    // which instance processed what, from the claim each stored result was written under (host:pid:attempt)
    const claims: string[] = await db('uploads').where({ status: 'processed' }).pluck('claimed_by');
    const byPid = servers.map((server) => claims.filter((c) => c?.split(':')[1] === String(server.child.pid)).length);
    console.log(
      `processed per instance (database): ${byPid.map((n, k) => `instance ${k + 1} ${n}`).join(', ')}; other ${claims.length - byPid.reduce((a, b) => a + b, 0)}`,
    );
  }
  const dup = await db('submissions')
    .select('employer_id', 'year', 'version')
    .count('* as n')
    .groupBy('employer_id', 'year', 'version')
    .having(db.raw('count(*) > 1'));
  console.log(
    `counted afterwards: ${problems === 0 && dup.length === 0 ? 'OK — every accepted upload processed, every submission present once' : `${problems} employers mismatched, ${dup.length} duplicated versions`}`,
  );
  await db.destroy();
  return problems + dup.length + s.errors.length;
}

async function main() {
  // several instances share one PostgreSQL: the embedded SQLite serves one instance, so that run is left out
  let failures = INSTANCES > 1 ? 0 : await runOn('SQLite', null);
  if (INSTANCES > 1)
    console.log(`\n== SQLite: not run (LOAD_INSTANCES=${INSTANCES}: several instances need PostgreSQL)`);
  let pg = process.env.DATABASE_URL || '';
  const rootFile = join(mkdtempSync(join(tmpdir(), 'qd-pg-')), 'root');
  if (!pg) {
    try {
      pg = execFileSync('bash', [join(__dirname, '..', '..', '.ci', 'postgres.sh')], {
        encoding: 'utf8',
        env: { ...process.env, PGPORT: process.env.PGPORT ?? '55433', PGROOT_FILE: rootFile },
      }).trim();
    } catch {
      pg = '';
    }
  }
  if (pg) {
    failures += await runOn('PostgreSQL', pg);
    // the same load on the same database through several instances, in the same run for the ratio
    if (INSTANCES > 1) failures += await runOn('PostgreSQL', pg, INSTANCES);
    if (existsSync(rootFile)) {
      // the throwaway cluster this run started
      const pgbin = execFileSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], {
        encoding: 'utf8',
      }).trim();
      execFileSync(
        'runuser',
        [
          '-u',
          'postgres',
          '--',
          `${pgbin}/pg_ctl`,
          '-D',
          `${readFileSync(rootFile, 'utf8').trim()}/data`,
          '-m',
          'fast',
          'stop',
        ],
        { stdio: 'ignore' },
      );
    }
  } else console.log('\n== PostgreSQL: not run (set DATABASE_URL, or run as root with Debian postgresql installed)');
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
