/**
 * A year's recompute as long work (docs/rules.md §6.1): it runs in the background and the wage page shows its
 * progress, reloading itself, instead of holding the request; a run whose instance stopped halfway is taken
 * over by another and resumed after its last written page — no result is recomputed twice, even when the
 * stopped instance wakes up again.
 */
import { join } from 'node:path';
import { findCheckByUpload } from '../../db/stores/checks';
import { findEmployerByUscc } from '../../db/stores/employers';
import { advanceRun, finishRun, insertRun } from '../../db/stores/recompute-runs';
import { YearRecompute } from '../../server/services/recompute';
import { FileUploadFiles, type UploadFiles } from '../../server/services/upload-files';
import { checkFile } from '../../server/services/check-file';
import { isPostgres } from '../../db/connection';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { decoded, login, testApp, type TestApp } from '../helpers/app';
import { enterWage, shortRosterChecked } from '../helpers/recompute';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

/** Employer A's (short, provisional) 2025 roster, each upload with a different declared wage total. */
async function uploadA(name: string, n: number) {
  const a = (await findEmployerByUscc(t.db, '91330481MA2B3C4D01'))!;
  const file = join(t.dataDir, name);
  await writeRosterWorkbook(file, a, 'short');
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  wb.getWorksheet('单位信息')!.addRow(['上年工资总额（元）', 10_620_000 + 1000 * n]);
  await wb.xlsx.writeFile(file);
  const up = await t.services.uploads.receive({ id: 1, username: 'employer.a' }, a, file, name, 1);
  await t.services.uploads.process(up, a);
  return (await findCheckByUpload(t.db, up))!;
}

const provisional = async () =>
  Number(
    (
      (await t
        .db('checks')
        .where({ year: 2025, has_problems: false })
        .andWhere('result_json', 'like', '%"wage-cap-not-checked"%')
        .count('* as n')
        .first()) as unknown as { n: number | string }
    ).n,
  );

async function until(what: () => Promise<boolean>, ms = 300_000) {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a run whose instance stopped halfway is resumed by another after its last page; no result is recomputed twice', async () => {
  const checks = [await uploadA('r1.xlsx', 1), await uploadA('r2.xlsx', 2), await uploadA('r3.xlsx', 3)];
  const total = await provisional();
  expect(total).toBeGreaterThanOrEqual(3);
  const admin = (await t.services.accounts.byUsername('admin'))!;
  expect(await enterWage(t, admin, 2025)).toEqual({ ok: true });

  // instance A writes its first page (one result), then stops dead while opening the second workbook
  const files = new FileUploadFiles(t.dataDir);
  let opened = 0;
  let wake!: () => void;
  const asleep = new Promise<void>((r) => (wake = r));
  const stalling: UploadFiles = {
    kind: 'files',
    put: (n, p) => files.put(n, p),
    remove: (n) => files.remove(n),
    open: async (n) => {
      if (++opened === 2) await asleep;
      return files.open(n);
    },
  };
  const log = () => undefined;
  const a = new YearRecompute(t.db, t.services.params, stalling, 0, undefined, log, { pageSize: 1, staleMs: 1000 });
  const run = await a.start(admin, 2025);
  expect(run).toMatchObject({ year: 2025, status: 'running', total });
  await until(async () => (await a.find(run.id))!.done === 1);

  // instance B sees the heartbeat stopped and takes the run over from its cursor
  const b = new YearRecompute(t.db, t.services.params, files, 0, undefined, log, { pageSize: 1, staleMs: 1000 });
  expect(await b.resumeStalled(Date.now() + 5000)).toBe(1);
  const done = (await b.settle(run.id, 30_000))!;
  expect(done).toMatchObject({ status: 'done', done: total });
  expect(done.summary.recomputed).toBe(total);
  expect(await provisional()).toBe(0);

  // A wakes up: its page no longer counts (the run is B's now), nothing is written twice
  wake();
  await a.settle(run.id, 30_000);
  for (const c of checks) {
    const versions = await t.db('result_versions').where({ check_id: c.id }).orderBy('version');
    expect(versions.map((v) => [v.version, v.reason])).toEqual([
      [1, 'original'],
      [2, 'social-average-wage'],
    ]);
    expect(await t.db('audit_log').where({ action: 'result.recomputed', target: `check:${c.id}` })).toHaveLength(1);
  }
  expect(await t.db('audit_log').where({ action: 'result.recomputed' })).toHaveLength(total);
  expect(await t.db('audit_log').where({ action: 'recompute.finished', target: 'year:2025' })).toHaveLength(1);
  expect((await a.find(run.id))!.summary.recomputed).toBe(total);
  await Promise.all([a.close(), b.close()]);
});

test('while a run is under way the wage page shows its progress and reloads itself; entering the wage again does not start a second run', async () => {
  const admin = (await t.services.accounts.byUsername('admin'))!;
  // a run under way on another instance (its heartbeat is fresh)
  const id = (await insertRun(t.db, {
    year: 2024,
    total: 10,
    started_by: admin.id,
    claimed_by: 'elsewhere',
    heartbeat: Date.now(),
  }))!;
  await advanceRun(t.db, id, 'elsewhere', {
    done: 4,
    recomputed: 4,
    unchanged: 0,
    purged: 0,
    by_county_json: '[]',
    cursor: null,
    heartbeat: Date.now(),
  });
  const s = await login(t.app, 'admin');
  const zh = decoded((await s.agent.get('/bureau/social-average-wage')).text);
  expect(zh).toContain('正在重新计算2024年度的暂定结果');
  expect(zh).toContain('保障金为暂定数的结果正在后台按社会平均工资重新计算：已处理 4 / 10 个');
  expect(zh).toMatch(/<progress max="10" value="4"/);
  expect(zh).toContain('data-refresh="3"');
  const en = decoded((await s.agent.get('/bureau/social-average-wage?lang=en')).text);
  expect(en).toContain('4 of 10 done');
  expect(en).not.toContain('已处理');

  // the form answers at once with the run's page (303 while the run is under way), not after the whole recompute
  const res = await s.agent
    .post('/bureau/social-average-wage')
    .type('form')
    .send({ _csrf: s.csrf, year: '2024', amount: '90000', source: '测试值' });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe(`/bureau/social-average-wage?run=${id}`);
  expect(await t.db('recompute_runs').where({ year: 2024 })).toHaveLength(1);

  // once finished, the run's page says what changed
  await advanceRun(t.db, id, 'elsewhere', {
    done: 10,
    recomputed: 9,
    unchanged: 0,
    purged: 1,
    by_county_json: JSON.stringify([{ county: '海宁市', results: 9, levyBeforeFen: 100000, levyAfterFen: 90000 }]),
    cursor: null,
    heartbeat: Date.now(),
  });
  expect(await finishRun(t.db, id, 'elsewhere', 'done')).toBe(true);
  const after = decoded((await s.agent.get(`/bureau/social-average-wage?run=${id}&lang=zh`)).text);
  expect(after).toContain('2024年度：已重新计算 9 个结果；1 个结果的原始工作簿已删除，仍为暂定数。');
  expect(after).toContain('海宁市');
  expect(after).not.toContain('data-refresh');
});

test('a long run reads in worker threads of its own, with the same figures as a fresh check with the wage', async () => {
  // 2026: a year of its own, so this run is the only one
  const a = (await findEmployerByUscc(t.db, '91330481MA2B3C4D01'))!;
  const file = join(t.dataDir, 'w2026.xlsx');
  await writeRosterWorkbook(file, a, 'short', 2026);
  const up = await t.services.uploads.receive({ id: 1, username: 'employer.a' }, a, file, 'w2026.xlsx', 1);
  await t.services.uploads.process(up, a);
  const check = (await findCheckByUpload(t.db, up))!;
  expect(check.year).toBe(2026);
  expect(check.result_json).toContain('"wage-cap-not-checked"');
  const admin = (await t.services.accounts.byUsername('admin'))!;
  const added = await enterWage(t, admin, 2026, 40000);
  expect(added).toEqual({ ok: true });
  const inWorkers = new YearRecompute(
    t.db,
    t.services.params,
    new FileUploadFiles(t.dataDir),
    1,
    undefined,
    () => undefined,
    {
      ownPoolFrom: 0,
    },
  );
  const run = await inWorkers.start(admin, 2026);
  const done = (await inWorkers.settle(run.id, 60_000))!;
  expect(done).toMatchObject({ status: 'done', total: 1, done: 1 });
  const stored = JSON.parse((await findCheckByUpload(t.db, up))!.result_json);
  const fresh = await checkFile(file, await t.services.params.current(), {
    fileName: 'w2026.xlsx',
    lang: 'zh',
    origin: 'upload',
    expectedUscc: a.uscc,
  });
  expect(fresh.result).toBeDefined();
  const figures = (r: { annual: unknown; quota: unknown; levy: unknown; rewards: unknown; months: unknown }) => ({
    annual: r.annual,
    quota: r.quota,
    levy: r.levy,
    rewards: r.rewards,
    months: r.months,
  });
  expect(figures(stored)).toEqual(figures(fresh.result!));
  expect(stored.annual.wageBase).toBeLessThanOrEqual(80000);
  await inWorkers.close();
});

test('a stored workbook that cannot be read keeps its provisional figures; the rest of the year is recomputed', async () => {
  const ids: string[] = [];
  for (const n of [1, 2]) ids.push((await shortRosterChecked(t, 2023, `g${n}.xlsx`)).id);
  // the first one's raw workbook is gone from the disk (without the retention rule saying so)
  const gone = await t
    .db('uploads as u')
    .join('checks as c', 'c.upload_id', 'u.id')
    .where('c.id', ids[0])
    .first('u.stored_name');
  await new FileUploadFiles(t.dataDir).remove(gone.stored_name);
  const admin = (await t.services.accounts.byUsername('admin'))!;
  const logged: string[] = [];
  const r = new YearRecompute(t.db, t.services.params, new FileUploadFiles(t.dataDir), 0, undefined, (msg) =>
    logged.push(msg),
  );
  expect(await enterWage(t, admin, 2023)).toEqual({ ok: true });
  const run = await r.start(admin, 2023);
  const done = (await r.settle(run.id, 30_000))!;
  expect(done).toMatchObject({ status: 'done', total: 2, done: 2 });
  expect(done.summary).toMatchObject({ recomputed: 1, unchanged: 1 });
  expect(logged).toContain('recompute could not read a stored workbook');
  const stillProvisional = (id: string) => t.db('checks').where({ id }).first('result_json');
  expect((await stillProvisional(ids[0])).result_json).toContain('"wage-cap-not-checked"');
  expect((await stillProvisional(ids[1])).result_json).not.toContain('"wage-cap-not-checked"');
  await r.close();
});

test('a page that takes longer than the takeover time keeps its run while its results are being computed', async () => {
  for (const n of [1, 2, 3]) await shortRosterChecked(t, 2022, `slow${n}.xlsx`);
  const admin = (await t.services.accounts.byUsername('admin'))!;
  expect(await enterWage(t, admin, 2022)).toEqual({ ok: true });

  // one page of three results; the second and third workbooks open only when let through
  const files = new FileUploadFiles(t.dataDir);
  let opened = 0;
  const gates: (() => void)[] = [];
  const slow: UploadFiles = {
    kind: 'files',
    put: (n, p) => files.put(n, p),
    remove: (n) => files.remove(n),
    open: async (n) => {
      if (++opened > 1) await new Promise<void>((r) => gates.push(r));
      return files.open(n);
    },
  };
  const staleMs = 600;
  const log = () => undefined;
  const r = new YearRecompute(t.db, t.services.params, slow, 0, undefined, log, { pageSize: 10, staleMs });
  const run = await r.start(admin, 2022);
  const heartbeat = async () =>
    Number((await t.db('recompute_runs').where({ id: run.id }).first('heartbeat')).heartbeat);
  const started = await heartbeat();
  await until(async () => gates.length === 2);

  // half the takeover time later, one more result is computed: the run's heartbeat moves with it
  await new Promise((res) => setTimeout(res, staleMs / 2));
  gates[0]();
  await until(async () => (await heartbeat()) > started);

  // so another instance, looking once the first heartbeat would have been stale, leaves the run alone
  const b = new YearRecompute(t.db, t.services.params, files, 0, undefined, log, { pageSize: 10, staleMs });
  expect(await b.resumeStalled(started + staleMs + 1)).toBe(0);

  gates[1]();
  const done = (await r.settle(run.id, 30_000))!;
  expect(done).toMatchObject({ status: 'done', total: 3, done: 3 });
  expect(done.summary.recomputed).toBe(3);
  expect(await t.db('audit_log').where({ action: 'recompute.finished', target: 'year:2022' })).toHaveLength(1);
  await Promise.all([r.close(), b.close()]);
});

test("a page write that fails logs the database's reason, never the statement's values (names, results)", async () => {
  const stored = await shortRosterChecked(t, 2020, 'fails2020.xlsx');
  const names = (JSON.parse(stored.result_json).counted as { name: string }[]).map((c) => c.name);
  expect(names.length).toBeGreaterThan(0);
  const admin = (await t.services.accounts.byUsername('admin'))!;
  expect(await enterWage(t, admin, 2020)).toEqual({ ok: true });

  // the database refuses every new result version: the page's transaction fails on a statement holding the result
  const pg = isPostgres(t.db);
  if (pg) {
    await t.db.raw(
      `create function refuse_version() returns trigger as $$ begin raise exception 'versions refused'; end $$ language plpgsql`,
    );
    await t.db.raw(
      'create trigger refuse_version before insert on result_versions for each row execute function refuse_version()',
    );
  } else
    await t.db.raw(
      `create trigger refuse_version before insert on result_versions begin select raise(abort, 'versions refused'); end`,
    );
  const logged: { msg: string; fields?: Record<string, unknown> }[] = [];
  const r = new YearRecompute(t.db, t.services.params, new FileUploadFiles(t.dataDir), 0, undefined, (msg, fields) =>
    logged.push({ msg, fields }),
  );
  try {
    const run = await r.start(admin, 2020);
    const done = (await r.settle(run.id, 30_000))!;
    expect(done.status).toBe('failed');
    const failure = logged.find((l) => l.msg === 'recompute failed');
    expect(failure).toBeDefined();
    const error = String(failure!.fields!.error);
    expect(error).toContain('versions refused');
    const row = await t.db('recompute_runs').where({ id: run.id }).first('error');
    for (const text of [error, String(row.error)]) {
      expect(text).not.toMatch(/insert into/i);
      for (const name of names) expect(text).not.toContain(name);
    }
  } finally {
    await r.close();
    await t.db.raw('drop trigger refuse_version' + (pg ? ' on result_versions' : ''));
    if (pg) await t.db.raw('drop function refuse_version()');
  }
});

test('a provisional result stored during a run with an id below its cursor is recomputed by the sweep at the end', async () => {
  const ids: string[] = [];
  const stored = new Map<string, string>();
  for (const n of [1, 2, 3]) {
    const c = await shortRosterChecked(t, 2021, `s${n}.xlsx`);
    ids.push(c.id);
    stored.set((await t.db('uploads').where({ id: c.upload_id }).first('stored_name')).stored_name, c.id);
  }
  ids.sort();
  // the result with the middle id is not there when the run starts (another year for now); it is stored while the
  // run reads the last of the others, when its cursor has passed its id
  const late = ids[1];
  await t.db('checks').where({ id: late }).update({ year: 1999 });
  const admin = (await t.services.accounts.byUsername('admin'))!;
  expect(await enterWage(t, admin, 2021)).toEqual({ ok: true });
  const files = new FileUploadFiles(t.dataDir);
  const opened: string[] = [];
  const storing: UploadFiles = {
    kind: 'files',
    put: (n, p) => files.put(n, p),
    remove: (n) => files.remove(n),
    open: async (n) => {
      const id = stored.get(n)!;
      opened.push(id);
      if (id === ids[2])
        await t.db('checks').where({ id: late }).update({ year: 2021, created_at: new Date().toISOString() });
      return files.open(n);
    },
  };
  const r = new YearRecompute(t.db, t.services.params, storing, 0, undefined, () => undefined, { pageSize: 1 });
  const run = await r.start(admin, 2021);
  expect(run.total).toBe(2);
  const done = (await r.settle(run.id, 30_000))!;
  expect(done).toMatchObject({ status: 'done', total: 3, done: 3 });
  expect(done.summary.recomputed).toBe(3);
  // the pages took the first and the last; the sweep the one stored meanwhile; none read twice
  expect(opened).toEqual([ids[0], ids[2], late]);
  for (const id of ids) {
    expect((await t.db('checks').where({ id }).first('result_json')).result_json).not.toContain(
      '"wage-cap-not-checked"',
    );
    expect(await t.db('audit_log').where({ action: 'result.recomputed', target: `check:${id}` })).toHaveLength(1);
  }
  await r.close();
});
