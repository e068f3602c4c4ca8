/**
 * The upload form and the registered employer's facts: a roster CSV on the web
 * takes the unit's details from the account and asks only what a CSV lacks, reaching a result; a missing
 * detail is named as a form field, never as a command-line flag; a workbook whose county or unit type
 * differ from the registration is refused naming the cell — or, with EMPLOYER_FACTS=registered, computed
 * with the registered facts and a note at that cell.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { login, testApp, visibleText, type TestApp } from '../helpers/app';
import { employerSheet, rosterSheet } from '../helpers/demo-workbooks';
import { writeWorkbook } from '../helpers/workbook';

const EMPLOYER_A = { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市', unitType: '企业' };

function rosterCsv(path: string, disabled = 1) {
  const rows = rosterSheet(60, disabled);
  writeFileSync(
    path,
    '\ufeff' + rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))).join(',')).join('\n'),
  );
}

async function upload(
  t: TestApp,
  user: string,
  file: string,
  name: string,
  form: Record<string, string> = {},
  lang = 'zh',
) {
  const { agent, csrf } = await login(t.app, user);
  let req = agent.post(`/employer/uploads?lang=${lang}`).set('x-csrf-token', csrf);
  for (const [k, v] of Object.entries(form)) req = req.field(k, v);
  const up = await req.attach('file', file, name);
  expect(up.status).toBe(303);
  const page = await agent.get(up.headers.location);
  expect(page.status).toBe(303);
  const check = /\/employer\/checks\/([0-9a-f-]{36})/.exec(page.headers.location)![1];
  return { agent, check, page: await agent.get(page.headers.location) };
}

describe('the default rule: a mismatch is an error naming the cell', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test("a roster CSV reaches a result with the account's details and the form's year and founding date", async () => {
    const file = join(t.dataDir, 'roster.csv');
    rosterCsv(file);
    const { page, check } = await upload(t, 'employer.a', file, '名册.csv', { year: '2025', founded: '2012-04-01' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('结论：');
    const stored = JSON.parse((await t.db('checks').where({ id: check }).first()).result_json);
    expect(stored.result?.employer ?? stored.employer).toMatchObject({
      name: EMPLOYER_A.name,
      uscc: EMPLOYER_A.uscc,
      county: '海宁市',
      unitType: '企业',
      year: 2025,
    });
  });

  test('a provisional CSV result is recomputed when the social average wage is entered, read with the same details', async () => {
    const file = join(t.dataDir, 'roster-short.csv');
    rosterCsv(file, 0);
    const { check } = await upload(t, 'employer.a', file, '名册.csv', { year: '2025', founded: '2012-04-01' });
    const codes = async () =>
      JSON.parse((await t.db('checks').where({ id: check }).first()).result_json).warnings.map(
        (w: { code: string }) => w.code,
      );
    expect(await codes()).toContain('wage-cap-not-checked');
    const admin = await login(t.app, 'admin');
    const res = await admin.agent
      .post('/bureau/social-average-wage')
      .type('form')
      .send({ _csrf: admin.csrf, year: '2025', amount: '96000', source: '测试值' });
    expect(res.status).toBe(200);
    expect(await codes()).not.toContain('wage-cap-not-checked');
    expect(await t.db('audit_log').where({ action: 'result.recomputed', target: `check:${check}` })).toHaveLength(1);
  });

  test('a CSV without the data year names the form field by its label on the form, located on the form, once, with no command-line flag', async () => {
    const file = join(t.dataDir, 'roster2.csv');
    rosterCsv(file);
    for (const lang of ['zh', 'en']) {
      const { page } = await upload(t, 'employer.a', file, 'roster.csv', { founded: '2012-04-01' }, lang);
      const text = visibleText(page.text);
      const label = lang === 'zh' ? '数据年度' : 'Data year';
      expect(text).toContain(lang === 'zh' ? `请在上传表单中填写“${label}”` : `fill in "${label}" on the upload form`);
      expect(text).toContain(lang === 'zh' ? `上传表单“${label}”栏` : `the upload form, field "${label}"`);
      expect(text).not.toMatch(/--[a-z]/);
      // one problem for the one missing field: not also a "label missing" in column A of a sheet
      expect(text).not.toMatch(/第 1 行，A 列|row 1, column A/);
      expect(text).not.toContain('单位信息缺少');
      expect(text.split(label).length - 1).toBeGreaterThanOrEqual(2);
    }
  });

  test('a CSV with a date on the form that is not a date is located at that field of the form', async () => {
    const file = join(t.dataDir, 'roster3.csv');
    rosterCsv(file);
    const { page } = await upload(t, 'employer.a', file, 'roster.csv', { year: '2025', founded: '2012-13-45' });
    const text = visibleText(page.text);
    expect(text).toContain('上传表单“成立日期”栏');
    expect(text).not.toContain('“上传表单”表');
  });

  test('a workbook naming another county is refused at the county cell', async () => {
    const file = join(t.dataDir, 'other-county.xlsx');
    await writeWorkbook(file, [
      { name: '单位信息', rows: employerSheet({ 统一社会信用代码: EMPLOYER_A.uscc, '所在县（市、区）': '桐乡市' }) },
      { name: '职工名册', rows: rosterSheet(60, 1) },
    ]);
    const { page } = await upload(t, 'employer.a', file, 'wb.xlsx');
    const text = visibleText(page.text);
    expect(text).toContain('与本单位登记的“海宁市”不一致');
    expect(text).toMatch(/“单位信息”表第 \d+ 行，B 列（所在县（市、区））/);
    expect(page.text).not.toContain('action="/employer/checks/');
  });
});

describe('EMPLOYER_FACTS=registered: the registered facts win, with a note at the cell', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ config: { employerFacts: 'registered' } });
  });
  afterAll(async () => {
    await t.close();
  });

  test('computed for the registered county and unit type', async () => {
    const file = join(t.dataDir, 'other.xlsx');
    await writeWorkbook(file, [
      {
        name: '单位信息',
        rows: employerSheet({ 统一社会信用代码: EMPLOYER_A.uscc, '所在县（市、区）': '桐乡市', 单位类型: '事业单位' }),
      },
      { name: '职工名册', rows: rosterSheet(60, 1) },
    ]);
    const { page, check } = await upload(t, 'employer.a', file, 'wb.xlsx');
    const stored = JSON.parse((await t.db('checks').where({ id: check }).first()).result_json);
    expect(stored.result?.employer ?? stored.employer).toMatchObject({ county: '海宁市', unitType: '企业' });
    expect(visibleText(page.text)).toContain('已按本单位登记的“海宁市”计算');
  });
});
