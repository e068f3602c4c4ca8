/**
 * One person, one unit, one month (docs/rules.md §4.2) through the web: three units count one disabled person —
 * 示例精密机械 (海宁市) all year, 皮革制品 (海宁市, the same county) from July, 福康服装 (桐乡市, another county)
 * until March. The 海宁市 officer reviewing 精密机械's submission sees both clashes with the other unit, its county
 * and the dates each gives; the employer sees that the person is counted elsewhere and what that would change,
 * never the other unit. The officer gives July–December to 精密机械 and January–March to 福康服装: each result that
 * gives months up is computed again without them as a new version, audited, and the clashes are gone.
 */
import { join } from 'node:path';
import { login, testApp, visibleText, type Agent, type TestApp } from '../helpers/app';
import { makeCert, makeId } from '../helpers/people';
import { employerRows, rosterRows, writeWorkbook } from '../helpers/workbook';
import { hashPassword } from '../../server/services/passwords';
import { FIXTURE_PASSWORD } from '../helpers/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  const c = await t.db('employers').where({ uscc: '91330481MA2B3C6F0E' }).first();
  await t.services.accounts.create({
    username: 'employer.c',
    password_hash: await hashPassword(FIXTURE_PASSWORD),
    role: 'employer',
    employer_id: c.id,
    county: null,
    display_name: '皮革制品 人事部',
  });
});
afterAll(async () => {
  await t.close();
});

const A = { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市' };
const B = { name: '桐乡市福康服装有限公司', uscc: '91330483MA2B3C5E0L', county: '桐乡市' };
const C = { name: '海宁市皮革制品有限公司', uscc: '91330481MA2B3C6F0E', county: '海宁市' };

const PERSON_ID = makeId('1988-05-17', 'M', '330481', 401);
const PERSON = { name: '张伟明', id_number: PERSON_ID, disability_cert: makeCert(PERSON_ID, 4, 4) };

/** 99 staff at 6,000 a month and the one disabled person, with the dates this unit gives. */
async function workbook(
  file: string,
  unit: { name: string; uscc: string; county: string },
  person: { hired: string; left?: string; insured_months: string },
  area: string,
) {
  const staff = Array.from({ length: 99 }, (_, i) => ({
    name: `职工${i + 1}`,
    id_number: makeId('1990-01-01', 'F', area, i),
    hired: '2020-01-01',
    insured_months: '1-12',
    monthly_wage: 6000,
  }));
  const rows = [...staff, { ...PERSON, ...person, monthly_wage: 6000 }];
  const header = ['name', 'id_number', 'disability_cert', 'hired', 'left', 'insured_months', 'monthly_wage'];
  await writeWorkbook(file, [
    {
      name: '单位信息',
      rows: employerRows({ ...unit, unit_type: '企业', founded: '2010-01-01', year: 2025 }),
    },
    { name: '职工名册', rows: rosterRows(header, rows) },
  ]);
}

async function uploadAndSubmit(agent: Agent, csrf: string, file: string): Promise<{ checkId: string; subId: number }> {
  const up = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', file, 'roster.xlsx');
  expect(up.status).toBe(303);
  const page = await agent.get(up.headers.location);
  const checkId = /\/employer\/checks\/([0-9a-f-]{36})/.exec(page.headers.location)![1];
  const sub = await agent.post(`/employer/checks/${checkId}/submit`).type('form').send({ _csrf: csrf });
  expect(sub.status).toBe(303);
  return { checkId, subId: Number(/submissions\/(\d+)/.exec(sub.headers.location)![1]) };
}

const resultOf = async (checkId: string) =>
  JSON.parse((await t.db('checks').where({ id: checkId }).first()).result_json);

test('two units counting one person in overlapping months: seen, decided, recomputed as a new version', async () => {
  const a = await login(t.app, 'employer.a');
  const b = await login(t.app, 'employer.b');
  const c = await login(t.app, 'employer.c');
  const fa = join(t.dataDir, 'xu-a.xlsx'),
    fb = join(t.dataDir, 'xu-b.xlsx'),
    fc = join(t.dataDir, 'xu-c.xlsx');
  await workbook(fa, A, { hired: '2020-01-01', insured_months: '1-12' }, '330481');
  await workbook(fb, B, { hired: '2019-01-01', left: '2025-03-31', insured_months: '1-3' }, '330483');
  await workbook(fc, C, { hired: '2025-07-01', insured_months: '7-12' }, '330402');
  const sa = await uploadAndSubmit(a.agent, a.csrf, fa);
  const sb = await uploadAndSubmit(b.agent, b.csrf, fb);
  const sc = await uploadAndSubmit(c.agent, c.csrf, fc);

  // before: 精密机械 counts the person all year (weighted 1, ratio 1 % → 50 %: 0.5 × 72,000 × 50 % = 18,000)
  expect((await resultOf(sa.checkId)).levy.payable).toBe(18000);
  // no ID number is kept with the counted persons: only the keyed hash and the masked name
  const kept = await t.db('counted_persons').where({ check_id: sa.checkId });
  expect(kept).toHaveLength(1);
  expect(kept[0].masked_name).toBe('张**');
  expect(JSON.stringify(kept)).not.toContain(PERSON_ID);
  expect(JSON.stringify(kept)).not.toContain('张伟明');

  // the city-wide search finds one person counted twice, in two pairs of units: 1–3 (A, B) and 7–12 (A, C)
  expect(await t.services.crossUnit.clashesOfYear(2025)).toEqual({ persons: 1, pairs: 2, personMonths: 9 });

  // the 海宁市 officer reviewing 精密机械's submission sees both, with the other unit, its county and its dates
  const officer = await login(t.app, 'officer.haining');
  const review = await officer.agent.get(`/bureau/submissions/${sa.subId}`);
  expect(review.status).toBe(200);
  const text = visibleText(review.text);
  expect(text).toContain('同一残疾人同月被其他单位计入');
  expect(text).toContain('第 101 行 张**');
  expect(text).toContain('重复计入月份：1–3月');
  expect(text).toContain('重复计入月份：7–12月');
  expect(text).toContain('桐乡市福康服装有限公司（桐乡市） 1–3月 2019年1月1日 离职日期 2025年3月31日');
  expect(text).toContain('海宁市皮革制品有限公司（海宁市） 7–12月 2025年7月1日 2025年7月1日 起，无固定期限 7–12月');
  expect(review.text).not.toContain(PERSON_ID);
  expect(review.text).not.toContain('张伟明');
  // the suggestion (I12): both insured, so the earlier entry — 福康服装 for January–March, 精密机械 for July–December
  const forms = review.text
    .split('<form method="post" action="/bureau/submissions/')
    .slice(1)
    .map((f) => f.split('</form>')[0]);
  const withB = forms.find((f) => f.includes('福康服装'))!;
  const withC = forms.find((f) => f.includes('皮革制品'))!;
  expect(withB).toMatch(/name="m1" value="other" checked/);
  expect(withC).toMatch(/name="m7" value="here" checked/);

  // the employer sees the clash and what it would change, never the other unit
  const mine = await a.agent.get(`/employer/checks/${sa.checkId}`);
  const mineText = visibleText(mine.text);
  expect(mineText).toContain('有残疾职工同时被其他单位计入');
  expect(mineText).toContain('张**（第 101 行）1–3月同时被其他单位计入');
  expect(mineText).toContain('如果其他单位的计入成立');
  expect(mine.text).toContain('data-figure="levy.payable"');
  expect(mineText).not.toContain('福康');
  expect(mineText).not.toContain('皮革');

  // the officer gives July–December to 精密机械: 皮革制品's result is computed again without them
  const hidden = (f: string, n: string) => new RegExp(`name="${n}" value="(\\d+)"`).exec(f)![1];
  // the first post says what the decision does and asks again: nothing is decided yet
  const decisionsBefore = (await t.db('cross_unit_decisions').count('* as n').first())!.n;
  const ask = await officer.agent
    .post(`/bureau/submissions/${sa.subId}/clashes`)
    .type('form')
    .send({
      _csrf: officer.csrf,
      here: hidden(withC, 'here'),
      other: hidden(withC, 'other'),
      ...Object.fromEntries([7, 8, 9, 10, 11, 12].map((m) => [`m${m}`, 'here'])),
    });
  expect(ask.status).toBe(200);
  const askText = visibleText(ask.text);
  expect(askText).toMatch(/嘉兴示例精密机械有限公司（海宁市）计入 7–12月/);
  expect(askText).toContain('海宁市皮革制品有限公司（海宁市）的结果将不计这些月份重新计算，保留为新的计算版本');
  expect(ask.text).toContain('name="confirm" value="1"');
  expect((await t.db('cross_unit_decisions').count('* as n').first())!.n).toBe(decisionsBefore);
  expect(await t.db('result_versions').where({ check_id: sc.checkId })).toEqual([]);
  const decideC = await officer.agent
    .post(`/bureau/submissions/${sa.subId}/clashes`)
    .type('form')
    .send({
      _csrf: officer.csrf,
      here: hidden(withC, 'here'),
      other: hidden(withC, 'other'),
      ...Object.fromEntries([7, 8, 9, 10, 11, 12].map((m) => [`m${m}`, 'here'])),
      confirm: '1',
    });
  expect(decideC.status).toBe(303);
  const cAfter = await resultOf(sc.checkId);
  expect(cAfter.annual.avgWeighted).toBe(0);
  expect(cAfter.exclusions).toEqual([
    expect.objectContaining({ months: [7, 8, 9, 10, 11, 12], reason: 'counted-by-another-unit' }),
  ]);
  const cVersions = await t.db('result_versions').where({ check_id: sc.checkId }).orderBy('version');
  expect(cVersions.map((v) => [v.version, v.reason])).toEqual([
    [1, 'original'],
    [2, 'cross-unit'],
  ]);
  expect(JSON.parse(cVersions[1].diff_json)).toEqual(
    expect.arrayContaining([expect.objectContaining({ figure: 'levy.full' })]),
  );
  // 精密机械 keeps its months: unchanged
  expect((await resultOf(sa.checkId)).levy.payable).toBe(18000);

  // then January–March to 福康服装 (another county): 精密机械's result without them, 0.75 weighted, ratio 0.75 %
  // → 90 %: 0.75 × 72,000 × 90 % = 48,600
  const decideB = await officer.agent
    .post(`/bureau/submissions/${sa.subId}/clashes`)
    .type('form')
    .send({
      _csrf: officer.csrf,
      here: hidden(withB, 'here'),
      other: hidden(withB, 'other'),
      m1: 'other',
      m2: 'other',
      m3: 'other',
      confirm: '1',
    });
  expect(decideB.status).toBe(303);
  const aAfter = await resultOf(sa.checkId);
  expect(aAfter.annual.avgWeighted).toBe(0.75);
  expect(aAfter.levy.payable).toBe(48600);
  expect(aAfter.exclusions).toEqual([
    expect.objectContaining({ months: [1, 2, 3], reason: 'counted-by-another-unit' }),
  ]);
  expect(aAfter.explanations).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ figure: 'exclusions.counted-by-another-unit', clauses: ['L72', 'CDPF63'] }),
    ]),
  );
  const subA = await t.db('submissions').where({ id: sa.subId }).first();
  expect(Number(subA.levy_payable_fen)).toBe(4_860_000);
  // 福康服装 keeps its months
  expect(
    (await resultOf(sb.checkId)).exclusions.some((e: { reason: string }) => e.reason === 'counted-by-another-unit'),
  ).toBe(false);

  // audited, with no personal data
  const audit = await t.db('audit_log').whereIn('action', ['cross-unit.decided', 'result.recomputed']).orderBy('id');
  expect(audit.map((e) => e.action)).toEqual([
    'cross-unit.decided',
    'result.recomputed',
    'cross-unit.decided',
    'result.recomputed',
  ]);
  expect(JSON.stringify(audit)).not.toContain(PERSON_ID);
  expect(JSON.stringify(audit)).not.toContain('张伟明');

  // the clashes are gone; the decisions stay on the review page, with the versions made
  expect(await t.services.crossUnit.clashesOfYear(2025)).toEqual({ persons: 0, pairs: 0, personMonths: 0 });
  const reviewed = visibleText((await officer.agent.get(`/bureau/submissions/${sa.subId}`)).text);
  expect(reviewed).toContain('本年度其他单位的报送中没有同月计入本单位残疾职工的情况');
  expect(reviewed).toContain(
    '7–12月：由 嘉兴示例精密机械有限公司（海宁市）计入，海宁市皮革制品有限公司（海宁市）不计入',
  );
  expect(reviewed).toContain('已重新计算为计算版本 2');

  // the employer reads the decision on its result and on its home page; the result lists the exclusion
  const after = visibleText((await a.agent.get(`/employer/checks/${sa.checkId}`)).text);
  expect(after).toContain('经审核，张**（第 101 行）1–3月由其他单位计入，本单位不计入');
  expect(after).toContain('当月由其他单位计入');
  expect(after).not.toContain('福康');
  const home = visibleText((await a.agent.get('/employer')).text);
  expect(home).toContain('经审核，部分月份由其他单位计入，结果已重新计算');

  // English
  const en = visibleText((await officer.agent.get(`/bureau/submissions/${sa.subId}?lang=en`)).text);
  expect(en).toContain('July–December: kept by');

  // the year's social average wage recomputes the provisional results: the months given up stay withheld.
  // 30,000 → cap 60,000 < 72,000: 0.75 × 60,000 × 90 % = 40,500
  const admin = (await t.services.accounts.byUsername('admin'))!;
  const entered = await t.services.procedure.enterSocialAverageWage(admin, 2025, '30000', '测试数值');
  if (!entered.ok) throw new Error(entered.problems.join('; '));
  expect((await t.services.procedure.settleRecompute(entered.run.id, 30_000))!.status).toBe('done');
  const aFinal = await resultOf(sa.checkId);
  expect(aFinal.annual.wageBase).toBe(60000);
  expect(aFinal.levy.payable).toBe(40500);
  expect(aFinal.exclusions).toEqual([
    expect.objectContaining({ months: [1, 2, 3], reason: 'counted-by-another-unit' }),
  ]);

  // no ID number or full name in any log line
  expect(t.logs.join('\n')).not.toContain(PERSON_ID);
  expect(t.logs.join('\n')).not.toContain('张伟明');
});

test('an officer of a third county cannot decide on a 海宁市 submission', async () => {
  const sub = await t
    .db('submissions as s')
    .join('employers as e', 'e.id', 's.employer_id')
    .where('e.county', '海宁市')
    .whereNull('s.superseded_by_version')
    .first('s.id');
  const person = await t.db('counted_persons').first('id');
  const before = (await t.db('cross_unit_decisions').count('* as n').first())!.n;
  const other = await login(t.app, 'officer.jiashan');
  const res = await other.agent
    .post(`/bureau/submissions/${sub.id}/clashes`)
    .type('form')
    .send({ _csrf: other.csrf, here: String(person.id), other: String(person.id), m1: 'here' });
  expect(res.status).toBe(404);
  expect((await t.db('cross_unit_decisions').count('* as n').first())!.n).toBe(before);
});
