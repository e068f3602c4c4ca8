/**
 * Raw uploads are deleted once their retention period has passed — by default the year's
 * notice period plus the correction window — while the computed figures stay; the administrator sets the
 * period; everything is audited.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { verifyAudit } from '../../db/stores/audit';
import { findCheckByUpload } from '../../db/stores/checks';
import { main as cli } from '../../server/cli';
import { buildDraft, publishNotice, todayInChina } from '../../server/services/notices';
import { addDays } from '../../server/rules/calendar';
import { expiresOn, DEFAULT_RETENTION, scrubResult } from '../../server/services/retention-rule';
import { purgeExpired } from '../../server/services/retention';
import { reviewDecision, submitCheck } from '../../server/services/submissions';
import { login, testApp, type TestApp } from '../helpers/app';
import { setIssuer } from '../helpers/notices';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const A = { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市', unit_type: '企业' };

test('the expiry rule: after the notice period plus the window; kept while no notice is published; fixed days; orphans', () => {
  const p = { ...DEFAULT_RETENTION, correctionWindowDays: 30 };
  expect(expiresOn({ createdAt: '2026-03-01T08:00:00Z', year: 2025 }, null, p)).toBeNull();
  expect(expiresOn({ createdAt: '2026-03-01T08:00:00Z', year: 2025 }, '2026-06-07', p)).toBe('2026-07-08');
  expect(expiresOn({ createdAt: '2026-03-01T08:00:00Z', year: null }, null, p)).toBe('2026-08-28');
  expect(
    expiresOn({ createdAt: '2026-03-01T08:00:00Z', year: 2025 }, '2026-06-07', { ...p, mode: 'days', days: 10 }),
  ).toBe('2026-03-11');
});

test('scrubbing a result removes names and quoted values, keeps the figures', () => {
  const r = JSON.stringify({
    levy: { payable: 18000 },
    exclusions: [{ row: 5, name: '张三丰', reason: 'not-working-age' }],
    subsidies: [{ list: [{ name: '李四', row: 6 }] }],
    problems: [{ value: '330481198505051239', message: '第5行 张三丰' }],
  });
  const s = scrubResult(r);
  expect(s).not.toMatch(/张三丰|李四|330481198505051239/);
  expect(JSON.parse(s).levy.payable).toBe(18000);
});

test('purge: an upload past its notice period and window loses its file and personal data, keeps its figures; audited', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'r.xlsx');
  await writeRosterWorkbook(file, A, 'short');
  const up = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', file, '张三的名册.xlsx');
  const uploadId = /uploads\/([\w-]+)$/.exec(up.headers.location)![1];
  const check = (await findCheckByUpload(t.db, uploadId))!;
  const before = JSON.parse(check.result_json);
  expect(await t.db('counted_persons').where({ check_id: check.id })).not.toEqual([]);
  const names: string[] = before.exclusions.map((x: { name: string }) => x.name);
  expect(names.length).toBeGreaterThan(0);
  const sub = await submitCheck(t.db, { id: 1, username: 'employer.a' }, check.employer_id, check.id, {
    rewardChoice: 'apply',
  });
  await reviewDecision(t.db, { id: 2, username: 'officer.haining' }, sub.id, 'accepted', null);
  const stored = join(t.dataDir, 'uploads', (await t.db('uploads').where({ id: uploadId }).first()).stored_name);
  expect(existsSync(stored)).toBe(true);

  // no notice yet: kept whatever the date
  expect((await purgeExpired(t.db, t.dataDir, 'test', '2099-01-01', true)).purged.map((x) => x.uploadId)).not.toContain(
    uploadId,
  );
  await setIssuer(t, '海宁市');
  const nid = await buildDraft(t.db, { id: 2, username: 'officer.haining' }, '海宁市', 2025);
  await publishNotice(t.db, { id: 2, username: 'officer.haining' }, nid, {
    docNo: '1',
    periodStart: todayInChina(),
    days: 7,
    note: '',
  });
  const end = addDays(todayInChina(), 6);
  // within the window: kept; the day after the window: purged
  expect(
    (await purgeExpired(t.db, t.dataDir, 'test', addDays(end, 90), true)).purged.map((x) => x.uploadId),
  ).not.toContain(uploadId);

  // the levy is provisional (no 2025 social average wage yet): the workbook is kept past the window until the
  // wage is entered and the result recomputed from it
  expect(before.warnings.map((w: { code: string }) => w.code)).toContain('wage-cap-not-checked');
  expect(
    (await purgeExpired(t.db, t.dataDir, 'test', addDays(end, 91), true)).purged.map((x) => x.uploadId),
  ).not.toContain(uploadId);
  const admin = await login(t.app, 'admin');
  const entered = await admin.agent
    .post('/bureau/social-average-wage')
    .type('form')
    .send({ _csrf: admin.csrf, year: '2025', amount: '96000', source: '测试值' });
  expect(entered.status).toBe(200);
  expect(
    JSON.parse((await findCheckByUpload(t.db, uploadId))!.result_json).warnings.map((w: { code: string }) => w.code),
  ).not.toContain('wage-cap-not-checked');

  const out: string[] = [];
  const code = await withEnv(
    { DATA_DIR: t.dataDir, DATABASE_URL: process.env.DATABASE_URL ?? '', UPLOAD_STORAGE: 'files' },
    () =>
      cli(['retention', 'purge', '--date', addDays(end, 91)], {
        out: (s) => out.push(s),
        err: (s) => out.push(s),
        isTTY: false,
      }),
  );
  expect(code).toBe(0);
  expect(out.join('\n')).toContain(uploadId);
  expect(existsSync(stored)).toBe(false);
  const after = (await findCheckByUpload(t.db, uploadId))!;
  // the disabled employees it counted (by key, for the search across units) go with the keys
  expect(await t.db('counted_persons').where({ check_id: after.id })).toEqual([]);
  for (const n of names) expect(after.result_json).not.toContain(n);
  expect(after.result_json).not.toMatch(/[1-9]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])\d{5}[\dX]/);
  expect(after.employee_keys_json).toBe('[]');
  const figures = JSON.parse(after.result_json);
  expect(figures.levy.payable).toBe(before.levy.payable);
  expect(figures.annual).toEqual(before.annual);
  const row = await t.db('uploads').where({ id: uploadId }).first();
  expect(row.purged_at).not.toBeNull();
  expect(row.file_name).not.toContain('张三');
  // the pages still work; the annotated workbook says why it is gone
  expect((await agent.get(`/employer/checks/${check.id}`)).status).toBe(200);
  expect((await agent.get(`/bureau/submissions/${sub.id}`)).status).toBe(403);
  const gone = await agent.get(`/employer/checks/${check.id}/annotated.xlsx`);
  expect(gone.status).toBe(410);
  expect(gone.text).toContain('保留期限');
  expect((await t.db('audit_log').where({ action: 'upload.purged', target: `upload:${uploadId}` })).length).toBe(1);
  expect((await verifyAudit(t.db)).ok).toBe(true);
});

test('the administrator sets the retention period; others cannot; bad values are refused', async () => {
  const admin = await login(t.app, 'admin');
  expect((await admin.agent.get('/bureau/settings')).text).toContain('公示期结束后的更正期');
  const bad = await admin.agent
    .post('/bureau/settings')
    .type('form')
    .send({ _csrf: admin.csrf, mode: 'days', correctionWindowDays: '30', days: '0', orphanDays: '10' });
  expect(bad.status).toBe(422);
  const ok = await admin.agent
    .post('/bureau/settings')
    .type('form')
    .send({ _csrf: admin.csrf, mode: 'days', correctionWindowDays: '30', days: '400', orphanDays: '10' });
  expect(ok.status).toBe(303);
  expect((await admin.agent.get('/bureau/settings')).text).toMatch(/value="days" checked/);
  expect((await t.db('audit_log').where({ action: 'settings.retention' })).length).toBe(1);
  const officer = await login(t.app, 'officer.haining');
  expect(
    (
      await officer.agent
        .post('/bureau/settings')
        .type('form')
        .send({ _csrf: officer.csrf, mode: 'days', correctionWindowDays: '1', days: '1', orphanDays: '1' })
    ).status,
  ).toBe(403);
});

async function withEnv<T>(env: Record<string, string>, f: () => Promise<T>): Promise<T> {
  const old = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await f();
  } finally {
    for (const [k, v] of Object.entries(old)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
