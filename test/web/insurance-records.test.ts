/**
 * Insurance months against the insurer's records (docs/rules.md §4.4) through the web: the administrator imports
 * payment records (a bad row named by row and column), previews and confirms them; the employer's next upload counts
 * no month its roster gives as insured that the records do not show, and the result says so. A unit the records do
 * not cover keeps its roster's months. No ID number is kept in the records' tables or written to a log.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { login, testApp, visibleText, type Agent, type TestApp } from '../helpers/app';
import { makeCert, makeId } from '../helpers/people';
import { employerRows, rosterRows, writeWorkbook } from '../helpers/workbook';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const A = { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市' };
const ids = [1, 2, 3].map((i) => makeId('1986-04-0' + i, 'F', '330481', 200 + i));

async function roster(file: string) {
  const staff = Array.from({ length: 97 }, (_, i) => ({
    name: `职工${i + 1}`,
    id_number: makeId('1990-01-01', 'F', '330481', i),
    hired: '2020-01-01',
    insured_months: '1-12',
    monthly_wage: 6000,
  }));
  const disabled = ids.map((id, i) => ({
    name: `残疾职工${i + 1}`,
    id_number: id,
    disability_cert: makeCert(id, 4, 4),
    hired: '2020-01-01',
    insured_months: '1-12',
    monthly_wage: 6000,
  }));
  const header = ['name', 'id_number', 'disability_cert', 'hired', 'insured_months', 'monthly_wage'];
  await writeWorkbook(file, [
    { name: '单位信息', rows: employerRows({ ...A, unit_type: '企业', founded: '2010-01-01', year: 2025 }) },
    { name: '职工名册', rows: rosterRows(header, [...staff, ...disabled]) },
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

test('payment records imported and confirmed: a month claimed but not paid is not counted', async () => {
  const employer = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'roster.xlsx');
  await roster(file);
  const before = await upload(employer.agent, employer.csrf, file);
  expect((await resultOf(before)).insuranceRecords).toEqual({ checked: false });
  expect((await resultOf(before)).annual.avgWeighted).toBe(3);

  // E1 paid all year, E2 January–September, E3 not in the records; one bad row
  const admin = await login(t.app, 'admin');
  const csv = [
    '身份证号,统一社会信用代码,年度,缴费月份',
    `${ids[0]},${A.uscc},2025,1-12`,
    `${ids[1]},${A.uscc},2025,1-9`,
    `${ids[1].slice(0, 17)}0,${A.uscc},2025,13`,
  ].join('\n');
  const recFile = join(t.dataDir, 'records.csv');
  writeFileSync(recFile, csv);
  const sent = await admin.agent
    .post('/bureau/insurance-records')
    .set('x-csrf-token', admin.csrf)
    .attach('file', recFile, '社保缴费记录.csv');
  expect(sent.status).toBe(303);
  const preview = visibleText((await admin.agent.get(sent.headers.location)).text);
  expect(preview).toContain('可导入 2 条');
  expect(preview).toContain('第 4 行 D 列 · 缴费月份：缴费月份应写作 1-12 或 1-6,9-12');
  expect(preview).toContain('第 4 行 A 列 · 身份证号');
  expect(preview).toContain(A.uscc);
  const stored = JSON.stringify(await t.db('insurance_records').select());
  for (const id of ids) expect(stored).not.toContain(id);
  const id = /insurance-records\/(\d+)/.exec(sent.headers.location)![1];
  expect(
    (await admin.agent.post(`/bureau/insurance-records/${id}/confirm`).type('form').send({ _csrf: admin.csrf })).status,
  ).toBe(303);

  // E1 12 + E2 9 + E3 0 = 21 → 1.75
  const checked = await upload(employer.agent, employer.csrf, file);
  const r = await resultOf(checked);
  expect(r.insuranceRecords).toEqual({ checked: true });
  expect(r.annual.avgWeighted).toBe(1.75);
  expect(r.annual.avgStaff).toBe(100);
  expect(r.exclusions).toEqual([
    expect.objectContaining({ months: [10, 11, 12], reason: 'insurance-not-in-records' }),
    expect.objectContaining({ months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], reason: 'insurance-not-in-records' }),
  ]);
  const page = visibleText((await employer.agent.get(`/employer/checks/${checked}`)).text);
  expect(page).toContain('社保缴纳月份已与社保部门的缴费记录核对');
  expect(page).toContain('社保部门记录中当月未缴纳社会保险');

  for (const x of ids) expect(t.logs.join('\n')).not.toContain(x);
});

test('a unit the records do not cover keeps its roster months', async () => {
  const b = await login(t.app, 'employer.b');
  const file = join(t.dataDir, 'roster-b.xlsx');
  const staff = Array.from({ length: 50 }, (_, i) => ({
    name: `职工${i + 1}`,
    id_number: makeId('1991-01-01', 'M', '330483', i),
    hired: '2020-01-01',
    monthly_wage: 6000,
  }));
  await writeWorkbook(file, [
    {
      name: '单位信息',
      rows: employerRows({
        name: '桐乡市福康服装有限公司',
        uscc: '91330483MA2B3C5E0L',
        county: '桐乡市',
        unit_type: '企业',
        founded: '2010-01-01',
        year: 2025,
      }),
    },
    { name: '职工名册', rows: rosterRows(['name', 'id_number', 'hired', 'monthly_wage'], staff) },
  ]);
  const checked = await upload(b.agent, b.csrf, file);
  expect((await resultOf(checked)).insuranceRecords).toEqual({ checked: false });
});
