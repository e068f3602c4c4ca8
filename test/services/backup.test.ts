/**
 * Backup and restore of a whole installation (server/services/backup.ts, `quota backup` / `quota restore`),
 * on SQLite and, with DATABASE_URL, on PostgreSQL (raw uploads there kept in the database, the production
 * default; on SQLite as files). An installation with submissions, certificates, a published notice with an
 * objection and raw uploads is backed up while uploads are still arriving, destroyed, restored into a fresh
 * data directory and database, and every record, every raw upload byte for byte and `quota audit verify`
 * come back; a truncated or altered archive is refused by `verify` and `restore`, and a non-empty target
 * by `restore` unless forced.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import * as tar from 'tar';
import { connect, type Db } from '../../db/connection';
import { rollbackAll } from '../../db/migrate';
import { verifyAudit } from '../../db/stores/audit';
import { dataTables } from '../../db/stores/backup';
import { main } from '../../server/cli';
import { checkpointKey, verifyCheckpoints } from '../../server/services/audit-checkpoint';
import { restoreBackup, verifyBackup } from '../../server/services/backup';
import { todayInChina } from '../../server/services/notices';
import { uploadFilesFor } from '../../server/services/upload-files';
import { csrfFrom, login, testApp, type TestApp } from '../helpers/app';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { acceptedEmployer, setIssuer } from '../helpers/notices';

jest.setTimeout(180_000);

const postgres = !!process.env.DATABASE_URL;
const databaseUrl = process.env.DATABASE_URL || null;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const work = mkdtempSync(join(tmpdir(), 'qd-backup-'));

/** Rows that change by themselves while the app serves (sessions, rate limits, the backup schedule's lock). */
const VOLATILE = new Set(['sessions', 'rate_limits']);

async function cli(args: string[], env: Record<string, string>) {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  let out = '',
    err = '';
  try {
    const code = await main(args, {
      out: (s) => {
        out += s + '\n';
      },
      err: (s) => {
        err += s;
      },
      isTTY: false,
    });
    return { code, out, err };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Every row of every table, as comparable strings, by table. */
async function everything(db: Db): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const table of await dataTables(db)) {
    if (VOLATILE.has(table)) continue;
    const rows = (await db(table).select('*')) as Record<string, unknown>[];
    out.set(
      table,
      new Set(
        rows
          .filter((r) => !(table === 'settings' && r.key === 'backup.schedule'))
          .map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))),
      ),
    );
  }
  return out;
}

let t: TestApp;
let archive = '';
let before: Map<string, Set<string>>;
/** upload id → sha256 of the bytes sent */
const sent = new Map<string, string>();
let noticeId = 0;
const env = () => ({ SESSION_SECRET: 'test-secret', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });

beforeAll(async () => {
  t = await testApp({ config: { uploadStorage: postgres ? 'database' : 'files' } });
  // submissions accepted by the officer (each issues a certificate), for the notice
  for (const [body, name, staff, disabled] of [
    ['PH00001A', '平湖市甲机械有限公司', 120, 1],
    ['PH00002B', '平湖市乙电子有限公司', 40, 3],
  ] as const)
    await acceptedEmployer(t, { body, name, county: '平湖市', staff, disabled, officer: 'officer.pinghu' });
  await setIssuer(t, '平湖市');
  const officer = await login(t.app, 'officer.pinghu');
  const built = await officer.agent
    .post('/bureau/notices/build')
    .type('form')
    .send({ _csrf: officer.csrf, year: 2025, confirm: '1' });
  noticeId = Number(/\/bureau\/notices\/(\d+)$/.exec(built.headers.location)![1]);
  await officer.agent
    .post(`/bureau/notices/${noticeId}/details`)
    .type('form')
    .send({ _csrf: officer.csrf, docNo: '平残联〔2026〕5号', periodStart: todayInChina(), days: 7 });
  const published = await officer.agent
    .post(`/bureau/notices/${noticeId}/publish`)
    .type('form')
    .send({ _csrf: officer.csrf, confirm: '1' });
  expect(published.status).toBe(303);
  const visitor = request.agent(t.app);
  const form = await visitor.get(`/notices/${noticeId}/objection`);
  const objection = await visitor
    .post(`/notices/${noticeId}/objection`)
    .type('form')
    .send({
      _csrf: csrfFrom(form.text),
      name: '王五',
      contact: '13800000000',
      uscc: (await t.db('employers').where({ name: '平湖市甲机械有限公司' }).first('uscc')).uscc,
      reason: '该单位有一名残疾职工未计入',
    });
  expect(objection.status).toBe(201);
}, 180_000);

afterAll(async () => {
  await t?.close().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

test('quota backup writes one archive while uploads are still arriving; verify reads it whole', async () => {
  const employer = await login(t.app, 'employer.a');
  before = await everything(t.db);
  for (const table of ['submissions', 'certificates', 'notices', 'objections', 'uploads', 'audit_log'])
    expect(before.get(table)?.size).toBeGreaterThan(0);
  // uploads arriving while the backup runs: each is either in the archive whole (row and bytes) or not at all
  const files: string[] = [];
  for (const [i, kind, year] of [
    [0, 'short', 2025],
    [1, 'concentrated', 2025],
    [2, 'short', 2024],
    [3, 'concentrated', 2024],
  ] as const) {
    const f = join(work, `arriving-${i}.xlsx`);
    await writeRosterWorkbook(
      f,
      { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市', unit_type: '企业' },
      kind,
      year,
    );
    files.push(f);
  }
  const arriving = files.map((f, i) =>
    employer.agent
      .post('/employer/uploads')
      .set('x-csrf-token', employer.csrf)
      .attach('file', f, `arriving-${i}.xlsx`)
      .then((res) => {
        expect(res.status).toBe(303);
        sent.set(/\/employer\/uploads\/([0-9a-f-]{36})/.exec(res.headers.location)![1], sha(readFileSync(f)));
      }),
  );
  const dir = join(work, 'backups');
  const made = await cli(['backup', '--to', dir], { ...env(), DATA_DIR: t.dataDir });
  await Promise.all(arriving);
  expect(sent.size).toBe(4);
  expect(made.err).toBe('');
  expect(made.code).toBe(0);
  archive = readdirSync(dir)
    .filter((n) => n.endsWith('.tar.gz'))
    .map((n) => join(dir, n))[0];
  expect(made.out).toContain(archive);

  const v = await cli(['backup', 'verify', archive], env());
  expect(v.code).toBe(0);
  expect(v.out).toContain('archive intact');
  const verdict = await verifyBackup(archive);
  if (!verdict.ok) throw new Error(verdict.reason);
  const m = verdict.manifest;
  expect(m.schemaVersion).toBe((await t.db('knex_migrations').orderBy('id', 'desc').first('name')).name);
  expect(m.database).toBe(postgres ? 'postgres' : 'sqlite');
  const paths = m.members.map((x) => x.path);
  expect(paths).toContain(postgres ? 'database/quotadesk.pgdump' : 'database/quotadesk.sqlite3');
  expect(paths).toContain('checkpoints/audit-checkpoints.jsonl');
  // on SQLite the raw uploads are files, each a member; on PostgreSQL they are in the database's dump
  if (!postgres) expect(paths.filter((p) => p.startsWith('uploads/')).length).toBeGreaterThanOrEqual(2);
  for (const x of m.members) expect(x.sha256).toMatch(/^[0-9a-f]{64}$/);
});

test('a truncated or altered archive is refused by verify and by restore, and nothing is written', async () => {
  const whole = readFileSync(archive);
  const cut = join(work, 'cut.tar.gz');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
  // altered: one member's bytes changed, the archive otherwise well formed; missing: one member left out
  const x = join(work, 'x');
  rmSync(x, { recursive: true, force: true });
  mkdirSync(x);
  await tar.x({ file: archive, cwd: x });
  const manifest = JSON.parse(readFileSync(join(x, 'manifest.json'), 'utf8')) as { members: { path: string }[] };
  const victim = manifest.members.find((m) => m.path.startsWith('database/'))!.path;
  const members = manifest.members.map((m) => m.path);
  const original = readFileSync(join(x, victim));
  const changed = Buffer.from(original);
  changed[changed.length >> 1] ^= 0xff;
  writeFileSync(join(x, victim), changed);
  const altered = join(work, 'altered.tar.gz');
  await tar.c({ gzip: true, file: altered, cwd: x, portable: true }, ['manifest.json', ...members]);
  // forged: the member changed and its manifest line made to match, the signature left as it was
  const manifestText = readFileSync(join(x, 'manifest.json'), 'utf8');
  const forgedManifest = JSON.parse(manifestText) as { members: { path: string; bytes: number; sha256: string }[] };
  const line = forgedManifest.members.find((m) => m.path === victim)!;
  line.sha256 = sha(changed);
  writeFileSync(join(x, 'manifest.json'), JSON.stringify(forgedManifest, null, 2) + '\n');
  const forged = join(work, 'forged.tar.gz');
  await tar.c({ gzip: true, file: forged, cwd: x, portable: true }, ['manifest.json', ...members]);
  expect((await verifyBackup(forged)).ok).toBe(true); // the checksums alone agree: the signature is what refuses it
  writeFileSync(join(x, 'manifest.json'), manifestText);
  writeFileSync(join(x, victim), original);
  const missing = join(work, 'missing.tar.gz');
  await tar.c({ gzip: true, file: missing, cwd: x, portable: true }, [
    'manifest.json',
    ...members.filter((p) => p !== 'checkpoints/audit-checkpoints.jsonl'),
  ]);

  for (const [bad, says] of [
    [cut, /damaged or truncated/],
    [altered, /does not match its checksum/],
    [missing, /missing from the archive/],
    [forged, /signature does not match/],
  ] as const) {
    const v = await cli(['backup', 'verify', bad], env());
    expect(v.code).toBe(2);
    expect(v.out).toMatch(says);
    const target = mkdtempSync(join(tmpdir(), 'qd-restore-bad-'));
    const r = await cli(['restore', bad], { ...env(), DATA_DIR: target });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(says);
    expect(r.err).toContain('nothing was changed');
    expect(readdirSync(target)).toEqual([]);
    rmSync(target, { recursive: true, force: true });
  }
  // checked with another key (another SESSION_SECRET, no AUDIT_KEY), the genuine archive is refused too
  const other = await cli(['backup', 'verify', archive], { ...env(), SESSION_SECRET: 'another-secret' });
  expect(other.code).toBe(2);
  expect(other.out).toContain('made with another AUDIT_KEY / SESSION_SECRET');
  // the live installation is left as it is
  expect((await t.db('submissions').count('* as n').first())!.n).not.toBe(0);
});

test('restore refuses a non-empty installation unless --force, saying so', async () => {
  const r = await cli(['restore', archive], { ...env(), DATA_DIR: t.dataDir });
  expect(r.code).toBe(2);
  expect(r.err).toContain('目标不是空的');
  expect(r.err).toContain('add --force to overwrite it');
  expect(r.err).toContain('the database holds data');
});

test('destroyed, then restored into a fresh installation: every record, every raw upload byte for byte, the audit chain verified', async () => {
  const key = checkpointKey('test-secret');
  // the uploads that arrived during the backup have finished since; what the archive holds is checked below
  await t.close();
  if (postgres) {
    const db = connect({ databaseUrl, dataDir: t.dataDir });
    await rollbackAll(db);
    await db.destroy();
  }
  rmSync(t.dataDir, { recursive: true, force: true });

  const fresh = mkdtempSync(join(tmpdir(), 'qd-restored-'));
  const r = await cli(['restore', archive], { ...env(), DATA_DIR: fresh });
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toContain('restored');

  const db = connect({ databaseUrl, dataDir: fresh });
  try {
    const after = await everything(db);
    // every row there before the backup began is back, unchanged
    for (const [table, rows] of before) {
      const back = after.get(table)!;
      const lost = [...rows].filter((row) => !back.has(row));
      expect({ table, lost: lost.slice(0, 2) }).toEqual({ table, lost: [] });
    }
    expect((await db('notices').where({ id: noticeId }).first())?.status).toBe('published');
    // every upload the restored database names is there byte for byte: those received before and those that
    // arrived during the backup and made it into the snapshot (their bytes as sent)
    const files = uploadFilesFor(db, fresh, postgres ? 'database' : 'files', postgres);
    const uploads = (await db('uploads').whereNull('purged_at').select('id', 'stored_name', 'sha256')) as {
      id: string;
      stored_name: string;
      sha256: string;
    }[];
    expect(uploads.length).toBeGreaterThanOrEqual(2);
    for (const u of uploads) {
      const f = await files.open(u.stored_name);
      try {
        const got = sha(readFileSync(f.path));
        expect({ id: u.id, got }).toEqual({ id: u.id, got: u.sha256 });
        if (sent.has(u.id)) expect(got).toBe(sent.get(u.id));
      } finally {
        await f.release();
      }
    }
    // quota audit verify: the chain and the restored checkpoints hold
    expect(await verifyAudit(db)).toMatchObject({ ok: true });
    const cp = await verifyCheckpoints(db, [fresh], key);
    expect(cp).toMatchObject({ ok: true });
    if (cp.ok) expect(cp.latest).toBeDefined();
  } finally {
    await db.destroy();
  }
  const audit = await cli(['audit', 'verify'], { ...env(), DATA_DIR: fresh });
  expect(audit.out).toContain('audit chain intact');
  expect(audit.code).toBe(0);

  // --force replaces an installation that holds data
  const again = await cli(['restore', archive, '--force'], { ...env(), DATA_DIR: fresh });
  expect(again.code).toBe(0);
  const forced = await restoreBackup(archive, { dataDir: fresh, databaseUrl }, { force: true });
  expect(forced.manifest.schemaVersion).toMatch(/^\d{14}-/);
  if (postgres) {
    const db2 = connect({ databaseUrl, dataDir: fresh });
    await rollbackAll(db2);
    await db2.destroy();
  }
  rmSync(fresh, { recursive: true, force: true });
});
