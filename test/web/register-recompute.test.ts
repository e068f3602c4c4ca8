/**
 * Stored results meet an import (docs/rules.md §4.3, §4.4, §6.1): confirming a certificate register or the insurer's
 * payment records recomputes the current submissions and provisional results it changes, in the background as the
 * social average wage's recompute does — a result whose figures move becomes a new version with what changed and
 * why, one whose figures do not keeps its version — and the confirm page links the run's progress. A run whose
 * instance stopped is taken over and finished.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { login, testApp, visibleText, type Agent, type TestApp } from '../helpers/app';
import { makeCert, makeId } from '../helpers/people';
import { employerRows, rosterRows, writeWorkbook } from '../helpers/workbook';
import { finishRun, insertRun } from '../../db/stores/recompute-runs';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const A = { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市' };
const ids = [1, 2].map((i) => makeId('1985-03-0' + i, 'M', '330481', 400 + i));

async function roster(file: string) {
  const staff = Array.from({ length: 95 }, (_, i) => ({
    name: `职工${i + 1}`,
    id_number: makeId('1990-01-01', 'F', '330481', i),
    hired: '2020-01-01',
    monthly_wage: 6000,
  }));
  const disabled = ids.map((id, i) => ({
    name: `残疾职工${'甲乙'[i]}`,
    id_number: id,
    disability_cert: makeCert(id, 4, 4),
    hired: '2020-01-01',
    monthly_wage: 6000,
  }));
  await writeWorkbook(file, [
    { name: '单位信息', rows: employerRows({ ...A, unit_type: '企业', founded: '2010-01-01', year: 2025 }) },
    {
      name: '职工名册',
      rows: rosterRows(['name', 'id_number', 'disability_cert', 'hired', 'monthly_wage'], [...staff, ...disabled]),
    },
  ]);
}

async function upload(agent: Agent, csrf: string, file: string): Promise<string> {
  const up = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', file, 'roster.xlsx');
  expect(up.status).toBe(303);
  const page = await agent.get(up.headers.location);
  return /\/employer\/checks\/([0-9a-f-]{36})/.exec(page.headers.location)![1];
}
const resultOf = async (checkId: string) =>
  JSON.parse((await t.db('checks').where({ id: checkId }).first()).result_json);
const versionsOf = async (checkId: string) =>
  (await t.db('result_versions').where({ check_id: checkId }).orderBy('version')) as {
    version: number;
    reason: string;
    diff_json: string;
  }[];

/** The administrator sends an import file and confirms it; the runs the confirm page names, once finished. */
async function importAndConfirm(
  admin: { agent: Agent; csrf: string },
  kind: 'certificate-register' | 'insurance-records',
  csv: string,
) {
  const file = join(t.dataDir, `${kind}.csv`);
  writeFileSync(file, csv);
  const sent = await admin.agent.post(`/bureau/${kind}`).set('x-csrf-token', admin.csrf).attach('file', file, 'x.csv');
  expect(sent.status).toBe(303);
  const id = new RegExp(`${kind}/(\\d+)`).exec(sent.headers.location)![1];
  const confirm = await admin.agent.post(`/bureau/${kind}/${id}/confirm`).type('form').send({ _csrf: admin.csrf });
  expect(confirm.status).toBe(303);
  const runs = [...(confirm.headers.location as string).matchAll(/run=(\d+)/g)].map((m) => Number(m[1]));
  expect(runs.length).toBeGreaterThan(0);
  for (const run of runs) expect((await t.services.procedure.settleRecompute(run, 120_000))?.status).toBe('done');
  const page = await admin.agent.get(confirm.headers.location);
  expect(page.status).toBe(200);
  for (const run of runs) expect(page.text).toContain(`/bureau/social-average-wage?run=${run}`);
  return { runs, page: visibleText(page.text) };
}

test('a register and then payment records recompute the stored results they change, and only those', async () => {
  const employer = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'roster.xlsx');
  await roster(file);
  // A's provisional 2025 result (no social average wage for 2025 yet): both disabled employees all year
  const mine = await upload(employer.agent, employer.csrf, file);
  expect((await resultOf(mine)).annual.avgWeighted).toBe(2);
  expect((await resultOf(mine)).quota.status).toBe('met');
  // B's submitted 2025 result (the fixtures'): none of its employees is named by the register or records below
  const theirs = (await t
    .db('submissions as s')
    .join('employers as e', 'e.id', 's.employer_id')
    .where({ 's.year': 2025 })
    .whereNot('e.uscc', A.uscc)
    .whereNull('s.superseded_by_version')
    .first('s.check_id', 's.levy_payable_fen'))!;
  const theirsBefore = (await t.db('checks').where({ id: theirs.check_id }).first()).result_json;

  // the register cancels employee 甲's certificate from 2025-04-15
  const admin = await login(t.app, 'admin');
  const reg = await importAndConfirm(
    admin,
    'certificate-register',
    [
      '残疾人证号,残疾类别,残疾等级,发证日期,有效期至,状态,注销日期',
      `${ids[0]}44,4,4,2015-01-01,,注销,2025-04-15`,
      `${ids[1]}44,4,4,2015-01-01,,正常,`,
    ].join('\n'),
  );
  expect(reg.page).toContain('2025年度已存结果已按新导入的数据重新计算：1 份结果变化');
  // each run's progress page says what it was started by and what it did
  const progress = (
    await Promise.all(
      reg.runs.map(async (r) => visibleText((await admin.agent.get(`/bureau/social-average-wage?run=${r}`)).text)),
    )
  ).join(' ');
  expect(progress).toContain('残联证库已导入：2025年度已重新计算 1 个结果，');
  expect(progress).not.toContain('仍为暂定数');

  // A's result: a new version counting 甲 for January–March only (3 + 12 = 15 months → 1.25), the change named
  const r = await resultOf(mine);
  expect(r.annual.avgWeighted).toBe(1.25);
  expect(r.exclusions).toEqual([expect.objectContaining({ months: [4, 5, 6, 7, 8, 9, 10, 11, 12] })]);
  const v = await versionsOf(mine);
  expect(v.map((x) => [x.version, x.reason])).toEqual([
    [1, 'original'],
    [2, 'certificate-register'],
  ]);
  const diff = JSON.parse(v[1].diff_json) as { figure: string; before: unknown; after: unknown }[];
  expect(diff).toEqual(
    expect.arrayContaining([
      { figure: 'quota.status', before: 'met', after: 'short' },
      expect.objectContaining({ figure: 'levy.payable', before: 0 }),
    ]),
  );
  // B's result: its figures do not move, so it keeps its version and its stored text
  expect(await versionsOf(theirs.check_id)).toEqual([]);
  expect((await t.db('checks').where({ id: theirs.check_id }).first()).result_json).toBe(theirsBefore);

  // audited: the run's start and end with its reason, the result recomputed with what changed
  const audit = (
    await t.db('audit_log').whereIn('action', ['recompute.started', 'recompute.finished', 'result.recomputed'])
  ).map((x: { action: string; target: string; detail_json?: string; detail?: string }) => ({
    action: x.action,
    target: x.target,
    detail: JSON.parse(x.detail_json ?? x.detail ?? '{}'),
  }));
  expect(audit).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        action: 'recompute.started',
        detail: expect.objectContaining({ reason: 'certificate-register', run: reg.runs[0] }),
      }),
      expect.objectContaining({
        action: 'result.recomputed',
        target: `check:${mine}`,
        detail: expect.objectContaining({ reason: 'certificate-register', version: 2 }),
      }),
    ]),
  );

  // the employer's home page says why and what changed
  const home = visibleText((await employer.agent.get('/employer')).text);
  expect(home).toContain('残联证库导入后，结果已按证库重新计算');

  // A submits its recomputed result; the payment records below then recompute a submitted result
  const submitted = await employer.agent
    .post(`/employer/checks/${mine}/submit`)
    .type('form')
    .send({ _csrf: employer.csrf, rewardChoice: 'waive' });
  expect(submitted.status).toBe(303);
  const subRow = await t.db('submissions').where({ check_id: mine }).first();

  // the payment records: 乙 paid January–November only; they cover A alone
  const ins = await importAndConfirm(
    admin,
    'insurance-records',
    ['身份证号,统一社会信用代码,年度,缴费月份', `${ids[0]},${A.uscc},2025,1-12`, `${ids[1]},${A.uscc},2025,1-11`].join(
      '\n',
    ),
  );
  expect(ins.runs).toHaveLength(1);
  // 3 + 11 = 14 months → 1.17 (rounded as the result keeps it)
  const after = await resultOf(mine);
  expect(after.annual.avgWeighted).toBeLessThan(1.25);
  expect(after.exclusions).toEqual(
    expect.arrayContaining([expect.objectContaining({ months: [12], reason: 'insurance-not-in-records' })]),
  );
  const v2 = await versionsOf(mine);
  expect(v2.map((x) => [x.version, x.reason])).toEqual([
    [1, 'original'],
    [2, 'certificate-register'],
    [3, 'insurance-records'],
  ]);
  expect(JSON.parse(v2[2].diff_json)).toEqual(
    expect.arrayContaining([expect.objectContaining({ figure: 'levy.payable' })]),
  );
  expect(await versionsOf(theirs.check_id)).toEqual([]);
  expect(visibleText((await employer.agent.get('/employer')).text)).toContain(
    '社保缴费记录导入后，结果已按缴费记录重新计算',
  );
  // the submission stays the current one, its figures follow the new version
  const subAfter = await t.db('submissions').where({ id: subRow.id }).first();
  expect(subAfter.superseded_by_version).toBeNull();
  expect(Number(subAfter.levy_payable_fen)).toBe(Math.round(after.levy.payable * 100));
  // the officer's review and the employer's submission page say why it was computed again, and what moved
  const officer = await login(t.app, 'officer.haining');
  for (const page of [
    await officer.agent.get(`/bureau/submissions/${subRow.id}`),
    await employer.agent.get(`/employer/submissions/${subRow.id}`),
  ]) {
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    expect(text).toContain('社保缴费记录导入后，结果已按缴费记录重新计算 · 计算版本 3');
    expect(text).toContain('残联证库导入后，结果已按证库重新计算 · 计算版本 2');
    expect(page.text).toContain('data-figure="levy.payable"');
  }
  const en = visibleText((await officer.agent.get(`/bureau/submissions/${subRow.id}?lang=en`)).text);
  expect(en).toContain('After the certificate register was imported, the result was computed again against it');
  for (const x of ids) expect(t.logs.join('\n')).not.toContain(x);
});

test('an import’s run whose instance stopped is taken over and finished', async () => {
  const admin = (await t.db('users').where({ username: 'admin' }).first('id')) as { id: number };
  const id = (await insertRun(t.db, {
    year: 2025,
    total: 1,
    started_by: Number(admin.id),
    claimed_by: 'recompute-stopped',
    heartbeat: 0,
    reason: 'insurance-records',
    scope_json: JSON.stringify([A.uscc]),
  }))!;
  expect(await t.services.procedure.resumeRecomputes()).toBeGreaterThanOrEqual(1);
  const run = await t.services.procedure.settleRecompute(id, 120_000);
  expect(run).toEqual(expect.objectContaining({ status: 'done', reason: 'insurance-records', done: 1 }));
  // the records are the ones in force already: the result's figures do not move, no new version
  expect(run!.summary.recomputed).toBe(0);
  expect(run!.summary.unchanged).toBe(1);
});

test('an import’s failed run is run again over the same units, with the same reason', async () => {
  const admin = (await t.db('users').where({ username: 'admin' }).first('id', 'username')) as {
    id: number;
    username: string;
  };
  const id = (await insertRun(t.db, {
    year: 2025,
    total: 1,
    started_by: Number(admin.id),
    claimed_by: 'recompute-failed',
    heartbeat: Date.now(),
    reason: 'certificate-register',
    scope_json: JSON.stringify([A.uscc]),
  }))!;
  expect(await finishRun(t.db, id, 'recompute-failed', 'failed', 'stopped')).toBe(true);
  const again = await t.services.procedure.recomputeAgain({ id: Number(admin.id), username: admin.username }, id);
  expect(again).toEqual(expect.objectContaining({ reason: 'certificate-register', year: 2025 }));
  expect(again!.id).not.toBe(id);
  const run = await t.services.procedure.settleRecompute(again!.id, 120_000);
  expect(run).toEqual(expect.objectContaining({ status: 'done', done: 1 }));
  const row = await t.db('recompute_runs').where({ id: again!.id }).first();
  expect(JSON.parse(row.scope_json)).toEqual([A.uscc]);
});
