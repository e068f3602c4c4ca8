/**
 * Certificates against the 残联's register (docs/rules.md §4.3) through the web: the administrator imports a CSV
 * register — its bad rows named by row and column, the rest previewed without a number — and confirms it; the
 * employer's next upload is checked against it: an expired, a cancelled and a re-graded certificate and one not in
 * the register, each said with what to do, the figures as the rules give them; the officer sees the same on the
 * review. Before the register, results say certificates were not checked against one. No certificate number is
 * kept in the register's tables or written to a log.
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
const ids = [1, 2, 3, 4, 5].map((i) => makeId('1985-03-0' + i, 'M', '330481', 300 + i));
// the roster: E1 valid, E2 expired 2025-06-30, E3 cancelled 2025-04-15, E4 grade 1 on the roster (grade 3 in the
// register), E5 not in the register
const GRADES = [4, 4, 4, 1, 4];

async function roster(file: string) {
  const staff = Array.from({ length: 95 }, (_, i) => ({
    name: `职工${i + 1}`,
    id_number: makeId('1990-01-01', 'F', '330481', i),
    hired: '2020-01-01',
    monthly_wage: 6000,
  }));
  const disabled = ids.map((id, i) => ({
    name: `残疾职工${'甲乙丙丁戊'[i]}`,
    id_number: id,
    disability_cert: makeCert(id, 4, GRADES[i]),
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

test('a register imported, previewed and confirmed; an upload checked against it', async () => {
  const employer = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'roster.xlsx');
  await roster(file);

  // before any register: the result says certificates were not checked against one, and counts E4 twice
  const before = await upload(employer.agent, employer.csrf, file);
  expect((await resultOf(before)).certificateRegister).toEqual({ checked: false, findings: [] });
  expect((await resultOf(before)).annual.avgWeighted).toBe(6);
  expect(visibleText((await employer.agent.get(`/employer/checks/${before}`)).text)).toContain(
    '尚未导入残联的残疾人证库，残疾人证未与证库核对',
  );

  // the administrator imports the register: two bad rows named by row and column, four good ones
  const admin = await login(t.app, 'admin');
  const csv = [
    '残疾人证号,残疾类别,残疾等级,发证日期,有效期至,状态,注销日期',
    `${ids[0]}44,肢体,四级,2015-01-01,2030-12-31,正常,`,
    `${ids[1]}44,4,4,2015-07-01,2025-06-30,正常,`,
    `${ids[2]}44,4,4,2015-01-01,,注销,2025-04-15`,
    `${ids[3]}43,4,3,2015-01-01,,正常,`,
    `${ids[4].slice(0, 17)}044,4,4,2015-01-01,,正常,`, // a wrong check character
    `${makeId('1970-01-01', 'F', '330481', 9)}45,4,4,2015-01-01,,作废,`, // grade 5 and an unknown status
  ].join('\n');
  const regFile = join(t.dataDir, 'register.csv');
  writeFileSync(regFile, csv);
  const page = await admin.agent.get('/bureau/certificate-register');
  expect(visibleText(page.text)).toContain('尚未导入证库');
  const sent = await admin.agent
    .post('/bureau/certificate-register')
    .set('x-csrf-token', admin.csrf)
    .attach('file', regFile, '嘉兴市残疾人证库.csv');
  expect(sent.status).toBe(303);
  const preview = await admin.agent.get(sent.headers.location);
  const text = visibleText(preview.text);
  expect(text).toContain('可导入 4 条，其中已注销 1 条、已过有效期 1 条');
  expect(text).toContain('第 6 行 A 列 · 残疾人证号：证号中的身份证号校验位不对');
  expect(text).toContain('第 7 行 A 列 · 残疾人证号：残疾人证号应为20位');
  expect(text).toContain('第 7 行 F 列 · 状态：状态应为“正常”或“注销”');
  // no number on the preview, none in the register's tables
  for (const id of ids) expect(preview.text).not.toContain(id);
  const stored = JSON.stringify(await t.db('cert_register_entries').select());
  for (const id of ids) expect(stored).not.toContain(id.slice(0, 17));
  expect(JSON.stringify(await t.db('cert_register_imports').select())).not.toContain(ids[0].slice(0, 17));

  // a preview is not the register yet
  const unconfirmed = await upload(employer.agent, employer.csrf, file);
  expect((await resultOf(unconfirmed)).certificateRegister.checked).toBe(false);

  const id = /certificate-register\/(\d+)/.exec(sent.headers.location)![1];
  const confirm = await admin.agent
    .post(`/bureau/certificate-register/${id}/confirm`)
    .type('form')
    .send({ _csrf: admin.csrf });
  expect(confirm.status).toBe(303);
  expect(visibleText((await admin.agent.get(confirm.headers.location)).text)).toContain('当前使用的证库');

  // the next upload is checked against it: 12 + 6 + 3 + 12 + 12 = 45 → 3.75 (6 without the register)
  const checked = await upload(employer.agent, employer.csrf, file);
  const r = await resultOf(checked);
  expect(r.annual.avgWeighted).toBe(3.75);
  expect(r.certificateRegister.checked).toBe(true);
  expect(r.certificateRegister.findings.map((f: { finding: string }) => f.finding)).toEqual([
    'valid',
    'expired',
    'cancelled',
    'grade-differs',
    'not-in-register',
  ]);
  expect(r.exclusions).toEqual([
    expect.objectContaining({ months: [7, 8, 9, 10, 11, 12], reason: 'certificate-expired' }),
    expect.objectContaining({ months: [4, 5, 6, 7, 8, 9, 10, 11, 12], reason: 'certificate-cancelled' }),
  ]);
  const mine = visibleText((await employer.agent.get(`/employer/checks/${checked}`)).text);
  expect(mine).toContain('残疾人证自 2025年7月1日 起已过有效期');
  expect(mine).toContain('残疾人证自 2025年4月15日 起已注销');
  expect(mine).toContain('名册填写为1级，证库为3级，按证库等级计算');
  expect(mine).toContain('证库中未找到该残疾人证，仍计入');
  expect(mine).toContain('残疾人证已过有效期');

  // the officer sees the same on the review
  const sub = await employer.agent
    .post(`/employer/checks/${checked}/submit`)
    .type('form')
    .send({ _csrf: employer.csrf, rewardChoice: 'waive' });
  expect(sub.status).toBe(303);
  const subRow = await t.db('submissions').where({ check_id: checked }).first();
  const officer = await login(t.app, 'officer.haining');
  const review = visibleText((await officer.agent.get(`/bureau/submissions/${subRow.id}`)).text);
  expect(review).toContain('残疾人证自 2025年4月15日 起已注销');
  const en = visibleText((await officer.agent.get(`/bureau/submissions/${subRow.id}?lang=en`)).text);
  expect(en).toContain('grade 1 on the roster, grade 3 in the register');

  // the log holds no certificate number
  for (const x of ids) expect(t.logs.join('\n')).not.toContain(x);
});

test('in an upload worker the register is sent once and every later upload is still checked against it', async () => {
  const w = await testApp({ uploadWorkers: 1 });
  try {
    const admin = await login(w.app, 'admin');
    const regFile = join(w.dataDir, 'register.csv');
    writeFileSync(
      regFile,
      ['残疾人证号,残疾类别,残疾等级,发证日期,有效期至,状态', `${ids[1]}44,4,4,2015-07-01,2025-06-30,正常`].join('\n'),
    );
    const sent = await admin.agent
      .post('/bureau/certificate-register')
      .set('x-csrf-token', admin.csrf)
      .attach('file', regFile, 'register.csv');
    const id = /certificate-register\/(\d+)/.exec(sent.headers.location)![1];
    await admin.agent.post(`/bureau/certificate-register/${id}/confirm`).type('form').send({ _csrf: admin.csrf });
    const employer = await login(w.app, 'employer.a');
    const file = join(w.dataDir, 'roster.xlsx');
    await roster(file);
    const findings = [];
    for (let k = 0; k < 2; k++) {
      const up = await employer.agent
        .post('/employer/uploads')
        .set('x-csrf-token', employer.csrf)
        .attach('file', file, 'roster.xlsx');
      let page = await employer.agent.get(up.headers.location);
      for (let i = 0; i < 100 && page.status === 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        page = await employer.agent.get(up.headers.location);
      }
      const checkId = /\/employer\/checks\/([0-9a-f-]{36})/.exec(page.headers.location)![1];
      const r = JSON.parse((await w.db('checks').where({ id: checkId }).first()).result_json);
      findings.push(r.certificateRegister.findings.map((f: { finding: string }) => f.finding));
    }
    // E2 expired; the other four are not in this register
    const expected = ['not-in-register', 'expired', 'not-in-register', 'not-in-register', 'not-in-register'];
    expect(findings).toEqual([expected, expected]);
  } finally {
    await w.close();
  }
});
