/**
 * The year's procedure through the web app (docs/rules.md §11–§16): an accepted submission issues a
 * verification certificate whose public check shows the same figures and no name; a returned one issues
 * none; entering the social average wage recomputes a provisional result and keeps the diff; a reward
 * application goes apply → approve → paid and is on the public reward list only once approved.
 */
import { disabilityWeight } from '../../server/rules/parameters/lookup';
import { join } from 'node:path';
import { findEmployerByUscc } from '../../db/stores/employers';
import { findCheckByUpload } from '../../db/stores/checks';
import { verifyAudit } from '../../db/stores/audit';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { decoded, download, loadWorkbook, login, testApp, type TestApp } from '../helpers/app';
import type { CheckResult } from '../../server/rules/result';
import { count } from '../../server/i18n/format';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

let uploads = 0;
/** Employer A uploads its (short, provisional) 2025 roster, each time with a different declared wage total; returns the stored check. */
async function uploadA(name: string) {
  const a = (await findEmployerByUscc(t.db, '91330481MA2B3C4D01'))!;
  const file = join(t.dataDir, name);
  await writeRosterWorkbook(file, a, 'short');
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  wb.getWorksheet('单位信息')!.addRow(['上年工资总额（元）', 10_620_000 + 1000 * ++uploads]);
  await wb.xlsx.writeFile(file);
  const up = await t.services.uploads.receive({ id: 1, username: 'employer.a' }, a, file, name, 1);
  await t.services.uploads.process(up, a);
  return (await findCheckByUpload(t.db, up))!;
}

const submissionIdOf = (location: string) => Number(/\/employer\/submissions\/(\d+)/.exec(location)![1]);

test('an accepted submission issues a certificate; its public check shows the same figures and no name', async () => {
  const check = await uploadA('a-cert.xlsx');
  const result = JSON.parse(check.result_json) as CheckResult;
  const emp = await login(t.app, 'employer.a');
  const sent = await emp.agent.post(`/employer/checks/${check.id}/submit`).type('form').send({ _csrf: emp.csrf });
  expect(sent.status).toBe(303);
  const subId = submissionIdOf(sent.headers.location);

  const officer = await login(t.app, 'officer.haining');
  // the confirmation says a certificate will be issued, and that 海宁市 (no issuing body set) gets it without one
  const asked = decoded(
    (await officer.agent.post(`/bureau/submissions/${subId}/accept`).type('form').send({ _csrf: officer.csrf })).text,
  );
  expect(asked).toContain('将出具审核确认书');
  expect(asked).toContain('海宁市尚未设置审核单位（落款）');
  expect(await t.db('certificates').where({ submission_id: subId })).toHaveLength(0);
  expect(
    (
      await officer.agent
        .post(`/bureau/submissions/${subId}/accept`)
        .type('form')
        .send({ _csrf: officer.csrf, confirm: '1' })
    ).status,
  ).toBe(303);

  const cert = await t.db('certificates').where({ submission_id: subId }).first();
  expect(cert).toBeDefined();
  expect(cert.number).toMatch(/^330481-2025-\d{4}$/);
  const audit = await t.db('audit_log').where({ action: 'certificate.issued', target: `certificate:${cert.number}` });
  expect(audit).toHaveLength(1);
  // 海宁市 has no issuing body configured in the fixtures: none is invented on the certificate
  expect(cert.issuing_body).toBe('');

  // the employer sees it on the home page, and the printable certificate with masked names
  const home = decoded((await emp.agent.get('/employer')).text);
  expect(home).toContain(cert.number);
  const page = decoded((await emp.agent.get(`/employer/certificates/${cert.id}`)).text);
  expect(page).toContain(cert.code);
  expect(page).toContain(`<dd>${result.employer.year}年度</dd>`);
  // the 合计 row totals both columns; the weighting named is the parameter's, the seal has its space
  const total = (f: string) => new RegExp(`data-figure="certificate\\.${f}">([^<]*)<`).exec(page)![1];
  expect(total('totalDisabled')).toBe(String(result.months.reduce((a, m) => a + m.disabled, 0)));
  expect(Number(total('weightedSum'))).toBe(result.months.reduce((a, m) => a + m.weighted, 0));
  const weight = disabilityWeight(await t.services.params.current(), '2025-12-31').value;
  expect(page).toContain(`折算人数（${weight.certGrades.join('、')}级按${weight.weight}人计）`);
  expect(page).toContain('（盖章）');
  // the issuing body's line is there, saying it is not set, rather than missing
  expect(page).toMatch(
    /<dt>审核单位<\/dt><dd data-figure="certificate.issuingBody"><span class="unset">未设置<\/span><\/dd>/,
  );
  expect(page).toContain(result.employer.name);
  expect(page).not.toContain('残疾人就业服务机构');
  const counted = result.counted;
  expect(counted.length).toBeGreaterThan(0);
  for (const c of counted) expect(page).not.toContain(c.name);
  expect(page).toContain([...counted[0].name][0] + '*');

  // anyone: number + code → the figures, never a name, an ID or the credit code
  const anon = await login(t.app, 'employer.b'); // another party: the public page needs no login, and shows the same to anyone
  for (const agent of [anon.agent, (await import('supertest')).default(t.app)]) {
    const res = await agent.get(`/certificates/verify?number=${encodeURIComponent(cert.number)}&code=${cert.code}`);
    expect(res.status).toBe(200);
    const text = decoded(res.text);
    const col7 = /data-figure="certificate.col7">([^<]+)</.exec(text)![1];
    expect(col7).toBe(count(result.annual.avgWeighted));
    for (const m of result.months) expect(text).toContain(`<td>${m.disabled}</td><td>${m.weighted}</td>`);
    for (const c of counted) expect(text).not.toContain(c.name);
    expect(text).not.toContain(result.employer.uscc);
    expect(text).not.toMatch(/\d{17}[\dX]/);
  }
  // typed from paper with a Chinese input method: full-width dashes and digits, spaces, lower case
  const typed = [...cert.number]
    .map((c) => (c === '-' ? '－' : /\d/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c))
    .join(' ');
  const typedCode = `${cert.code.slice(0, 4).toLowerCase()} ${cert.code.slice(4)}`;
  const fromPaper = await (
    await import('supertest')
  )
    .default(t.app)
    .get(`/certificates/verify?number=${encodeURIComponent(typed)}&code=${encodeURIComponent(typedCode)}`);
  expect(fromPaper.status).toBe(200);
  expect(decoded(fromPaper.text)).toContain(cert.number);
  const wrong = await (
    await import('supertest')
  )
    .default(t.app)
    .get(`/certificates/verify?number=${encodeURIComponent(cert.number)}&code=WRONGCOD`);
  expect(wrong.status).toBe(404);
  expect(decoded(wrong.text)).not.toContain(result.employer.name);
});

test('a returned submission issues no certificate', async () => {
  const check = await uploadA('a-return.xlsx');
  const emp = await login(t.app, 'employer.a');
  const subId = submissionIdOf(
    (await emp.agent.post(`/employer/checks/${check.id}/submit`).type('form').send({ _csrf: emp.csrf })).headers
      .location,
  );
  const officer = await login(t.app, 'officer.haining');
  expect(
    (
      await officer.agent
        .post(`/bureau/submissions/${subId}/return`)
        .type('form')
        .send({ _csrf: officer.csrf, reason: '请补充社保证明', confirm: '1' })
    ).status,
  ).toBe(303);
  expect(await t.db('certificates').where({ submission_id: subId }).first()).toBeUndefined();
});

test('the wage form names every field that is wrong at once, and takes an amount written with thousands separators', async () => {
  const admin = await login(t.app, 'admin');
  const bad = await admin.agent
    .post('/bureau/social-average-wage')
    .type('form')
    .send({ _csrf: admin.csrf, year: 'next', amount: 'lots', source: '' });
  expect(bad.status).toBe(422);
  const page = decoded(bad.text);
  expect(page).toContain('数据年度：请填写年份');
  expect(page).toContain('社会平均工资：金额应为正数');
  expect(page).toContain('请填写来源');
  const en = await admin.agent
    .post('/bureau/social-average-wage?lang=en')
    .type('form')
    .send({ _csrf: admin.csrf, year: 'next', amount: 'lots', source: 'x' });
  expect(decoded(en.text)).toContain('Data year: a year such as 2025');
  expect(decoded(en.text)).toContain('Social average wage: the amount must be positive');
  expect(decoded(en.text)).not.toContain('金额应为正数');

  // a year with no results: "88,500" is 88,500.00 元, as an amount in the workbook would be read
  const ok = await admin.agent
    .post('/bureau/social-average-wage')
    .type('form')
    .send({ _csrf: admin.csrf, year: '2019', amount: '88,500', source: '嘉兴市统计局 2019 年统计公报（测试值）' });
  expect(ok.status).toBe(200);
  expect((await t.services.params.current()).maybeAt('social-average-wage', '2019-12-31')?.value).toBe(88500);
});

test('entering a social average wage recomputes a provisional submission and its diff shows the levy change', async () => {
  const check = await uploadA('a-saw.xlsx');
  const before = JSON.parse(check.result_json) as CheckResult;
  expect(before.warnings.map((w) => w.code)).toContain('wage-cap-not-checked');
  expect(before.taxForm.provisional).toBe(true);
  const emp = await login(t.app, 'employer.a');
  const subId = submissionIdOf(
    (await emp.agent.post(`/employer/checks/${check.id}/submit`).type('form').send({ _csrf: emp.csrf })).headers
      .location,
  );
  const levyBeforeFen = (await t.db('submissions').where({ id: subId }).first()).levy_payable_fen;

  const admin = await login(t.app, 'admin');
  const bad = await admin.agent
    .post('/bureau/social-average-wage')
    .type('form')
    .send({ _csrf: admin.csrf, year: '2025', amount: 'lots', source: 'x' });
  expect(bad.status).toBe(422);
  // one language per page: the refusal in Chinese only
  expect(decoded(bad.text)).toContain('金额应为正数');
  expect(decoded(bad.text)).not.toContain('amount must be positive');
  const res = await admin.agent
    .post('/bureau/social-average-wage')
    .type('form')
    .send({ _csrf: admin.csrf, year: '2025', amount: '30000', source: '嘉兴市统计局 2025 年统计公报（测试值）' });
  expect(res.status).toBe(200);
  const page = decoded(res.text);
  expect(page).toMatch(/已重新计算 \d+ 个结果/);

  // recomputed from the stored workbook with the same engine: the cap 2 × 30,000 now binds
  const after = JSON.parse((await t.db('checks').where({ id: check.id }).first()).result_json) as CheckResult;
  expect(after.annual.wageBase).toBe(60000);
  expect(after.warnings.map((w) => w.code)).not.toContain('wage-cap-not-checked');
  expect(after.taxForm.provisional).toBe(false);
  const expectedPayable = Math.round(after.quota.shortfall * 60000 * after.levy.rate * 100) / 100;
  expect(after.levy.payable).toBeCloseTo(expectedPayable, 2);
  expect(after.levy.payable).toBeLessThan(before.levy.payable);

  const versions = await t.db('result_versions').where({ check_id: check.id }).orderBy('version');
  expect(versions.map((v) => v.version)).toEqual([1, 2]);
  expect(JSON.parse(versions[0].result_json).levy.payable).toBe(before.levy.payable);
  const diff = JSON.parse(versions[1].diff_json) as { figure: string; before: number; after: number }[];
  expect(diff).toEqual(
    expect.arrayContaining([
      { figure: 'levy.payable', before: before.levy.payable, after: after.levy.payable },
      { figure: 'annual.wageBase', before: before.annual.wageBase, after: 60000 },
    ]),
  );
  expect(Number((await t.db('submissions').where({ id: subId }).first()).levy_payable_fen)).toBe(
    Math.round(after.levy.payable * 100),
  );
  expect(Number(levyBeforeFen)).toBe(Math.round(before.levy.payable * 100));
  expect(await t.db('audit_log').where({ action: 'result.recomputed', target: `check:${check.id}` })).toHaveLength(1);

  // the bureau sees how the county's total moved; the employer sees the change on the home page
  expect(page).toContain('海宁市');
  const home = decoded((await emp.agent.get('/employer')).text);
  expect(home).toContain('保障金已按社会平均工资重新计算');
  expect(home).toContain(
    `${before.levy.payable.toLocaleString('en-US', { minimumFractionDigits: 2 })} → ${after.levy.payable.toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
  );
});

test('a reward application goes apply → approve → paid and is on the reward list only once approved', async () => {
  const b = (await findEmployerByUscc(t.db, '91330483MA2B3C5E0L'))!;
  const file = join(t.dataDir, 'b-2025.xlsx');
  await writeRosterWorkbook(file, b, 'concentrated');
  // a corrected wage total, so this is a new version and not the fixture's 2025 submission again
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  wb.getWorksheet('单位信息')!.addRow(['上年工资总额（元）', 1_900_000]);
  await wb.xlsx.writeFile(file);
  const up = await t.services.uploads.receive({ id: 1, username: 'employer.b' }, b, file, 'b.xlsx', 1);
  await t.services.uploads.process(up, b);
  const check = (await findCheckByUpload(t.db, up))!;
  const result = JSON.parse(check.result_json) as CheckResult;
  const reward = result.rewards.reduce((a, r) => a + r.amount, 0);
  expect(reward).toBeGreaterThan(0);

  const emp = await login(t.app, 'employer.b');
  const confirmPage = decoded((await emp.agent.get(`/employer/checks/${check.id}/confirm`)).text);
  expect(confirmPage).toContain('name="rewardChoice" value="apply"');
  const noChoice = await emp.agent.post(`/employer/checks/${check.id}/submit`).type('form').send({ _csrf: emp.csrf });
  expect(noChoice.status).toBe(422);
  expect(decoded(noChoice.text)).toContain('申请奖励');
  const sent = await emp.agent
    .post(`/employer/checks/${check.id}/submit`)
    .type('form')
    .send({ _csrf: emp.csrf, rewardChoice: 'apply' });
  expect(sent.status).toBe(303);
  const subId = submissionIdOf(sent.headers.location);
  const claim = await t.db('reward_claims').where({ submission_id: subId }).first();
  expect(claim).toMatchObject({ status: 'applied', county: '桐乡市', year: 2025 });
  expect(Number(claim.amount_fen)).toBe(Math.round(reward * 100));

  const onList = async () =>
    decoded((await (await import('supertest')).default(t.app).get('/rewards?county=桐乡市&year=2025')).text).includes(
      b.name,
    );
  expect(await onList()).toBe(false);

  const officer = await login(t.app, 'officer.tongxiang');
  // the earlier 2025 version's application was superseded by this version: it can be neither refused nor approved
  const earlier = await t
    .db('reward_claims')
    .where({ county: '桐乡市', year: 2025 })
    .whereNot({ id: claim.id })
    .first();
  expect(earlier.superseded_by_version).toBe(Number((await t.db('submissions').where({ id: subId }).first()).version));
  const refuseEarlier = await officer.agent
    .post(`/bureau/rewards/${earlier.id}/refuse`)
    .type('form')
    .send({ _csrf: officer.csrf, reason: '已报送更正版本' });
  expect(refuseEarlier.status).toBe(409);
  expect(decoded(refuseEarlier.text)).toContain('已被第');
  expect(await onList()).toBe(false);
  const other = await login(t.app, 'officer.haining');
  expect(
    (await other.agent.post(`/bureau/rewards/${claim.id}/approve`).type('form').send({ _csrf: other.csrf })).status,
  ).toBe(404);
  // paid before approval is refused
  expect(
    (
      await officer.agent
        .post(`/bureau/rewards/${claim.id}/paid`)
        .type('form')
        .send({ _csrf: officer.csrf, paidOn: '2026-10-15' })
    ).status,
  ).toBe(409);
  // approving before the submission is accepted is refused, with the reason
  const early = await officer.agent
    .post(`/bureau/rewards/${claim.id}/approve`)
    .type('form')
    .send({ _csrf: officer.csrf, confirm: '1', amountFen: String(claim.amount_fen) });
  expect(early.status).toBe(409);
  expect(decoded(early.text)).toContain('尚未审核通过');
  expect(
    (
      await officer.agent
        .post(`/bureau/submissions/${subId}/accept`)
        .type('form')
        .send({ _csrf: officer.csrf, confirm: '1' })
    ).status,
  ).toBe(303);
  // without the confirmation nothing is approved: the answer states the amount and asks again
  const unconfirmed = await officer.agent
    .post(`/bureau/rewards/${claim.id}/approve`)
    .type('form')
    .send({ _csrf: officer.csrf });
  expect(unconfirmed.status).toBe(409);
  expect(decoded(unconfirmed.text)).toContain(
    Number(claim.amount_fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 }),
  );
  expect((await t.db('reward_claims').where({ id: claim.id }).first()).status).toBe('applied');
  expect(await onList()).toBe(false);
  expect(
    (
      await officer.agent
        .post(`/bureau/rewards/${claim.id}/approve`)
        .type('form')
        .send({ _csrf: officer.csrf, confirm: '1', amountFen: String(claim.amount_fen) })
    ).status,
  ).toBe(303);
  expect(await onList()).toBe(true);
  expect(
    (
      await officer.agent
        .post(`/bureau/rewards/${claim.id}/paid`)
        .type('form')
        .send({ _csrf: officer.csrf, paidOn: '2026-10-15' })
    ).status,
  ).toBe(303);
  expect(await t.db('reward_claims').where({ id: claim.id }).first()).toMatchObject({
    status: 'paid',
    paid_on: '2026-10-15',
  });
  expect(await onList()).toBe(true);
  const actions = (
    await t
      .db('audit_log')
      .where({ target: `reward-claim:${claim.id}` })
      .orderBy('id')
  ).map((a) => a.action);
  expect(actions).toEqual(['reward.applied', 'reward.approved', 'reward.paid']);
  // the choice is chained right after the submission it was made with, written together
  const [submittedEntry, choiceEntry] = await t
    .db('audit_log')
    .where((w) =>
      w
        .where({ target: `submission:${subId}`, action: 'submission.submitted' })
        .orWhere({ target: `reward-claim:${claim.id}`, action: 'reward.applied' }),
    )
    .orderBy('id');
  expect([submittedEntry.action, choiceEntry.action]).toEqual(['submission.submitted', 'reward.applied']);
  expect(Number(choiceEntry.id)).toBe(Number(submittedEntry.id) + 1);
  expect(choiceEntry.prev_hash).toBe(submittedEntry.hash);
  expect((await verifyAudit(t.db)).ok).toBe(true);
  expect(decoded((await emp.agent.get('/employer')).text)).toContain('已发放');

  // the 2024 application approved when it was accepted is on that year's list
  expect(
    decoded((await (await import('supertest')).default(t.app).get('/rewards?county=桐乡市&year=2024')).text),
  ).toContain(b.name);
});

test('deadlines: the administrator sets them, employers see them, a submission after the window is flagged late', async () => {
  const admin = await login(t.app, 'admin');
  const bad = await admin.agent.post('/bureau/deadlines').type('form').send({
    _csrf: admin.csrf,
    year: '2025',
    verificationFrom: '2026-04-01',
    verificationTo: '2026-03-01',
    collectionFrom: '2026-09-01',
    collectionTo: '2026-09-30',
  });
  expect(bad.status).toBe(422);
  // a window that has already closed (Beijing today is after it)
  const ok = await admin.agent.post('/bureau/deadlines').type('form').send({
    _csrf: admin.csrf,
    year: '2025',
    verificationFrom: '2026-01-01',
    verificationTo: '2026-01-02',
    collectionFrom: '2026-09-01',
    collectionTo: '2026-09-30',
  });
  expect(ok.status).toBe(303);
  const emp = await login(t.app, 'employer.a');
  const home = decoded((await emp.agent.get('/employer')).text);
  expect(home).toContain('2026年1月2日');
  expect(home).toContain('2026年9月30日');
  const check = await uploadA('a-late.xlsx');
  const subId = submissionIdOf(
    (await emp.agent.post(`/employer/checks/${check.id}/submit`).type('form').send({ _csrf: emp.csrf })).headers
      .location,
  );
  const officer = await login(t.app, 'officer.haining');
  const page = decoded((await officer.agent.get(`/bureau/submissions/${subId}`)).text);
  expect(page).toContain('data-flag="late"');
  expect(page).toContain('逾期报送');
});

test('the result page and the report workbook carry the tax form column by column', async () => {
  const check = await uploadA('a-taxform.xlsx');
  const r = JSON.parse(check.result_json) as CheckResult;
  const emp = await login(t.app, 'employer.a');
  const page = decoded((await emp.agent.get(`/employer/checks/${check.id}`)).text);
  expect(page).toContain('《残疾人就业保障金缴费申报表》填报参考');
  for (let n = 4; n <= 12; n++) expect(page).toContain(`data-figure="taxForm.col${n}"`);
  expect(page).toContain(`data-copy="${r.taxForm.col12.toFixed(2)}"`);
  const { body } = await download(emp.agent, `/employer/checks/${check.id}/report.xlsx`);
  const wb = await loadWorkbook(body);
  const ws = wb.getWorksheet('申报表填报')!;
  expect(ws).toBeDefined();
  const values = new Map<string, unknown>();
  ws.eachRow((row, i) => {
    if (i > 1) values.set(String(row.getCell(1).value), row.getCell(3).value);
  });
  expect(values.get('第4栏')).toBe(r.taxForm.col4);
  expect(values.get('第7栏')).toBe(r.taxForm.col7);
  expect(values.get('第12栏')).toBe(r.taxForm.col12);
});

test("carry forward: the next year's workbook holds the staff still employed at year end", async () => {
  const check = await uploadA('a-carry.xlsx');
  const emp = await login(t.app, 'employer.a');
  expect(decoded((await emp.agent.get(`/employer/checks/${check.id}`)).text)).toContain(
    `/employer/checks/${check.id}/next-year.xlsx`,
  );
  const { res, body } = await download(emp.agent, `/employer/checks/${check.id}/next-year.xlsx`);
  expect(res.status).toBe(200);
  // named for the unit and the year it is for
  const a = (await findEmployerByUscc(t.db, '91330481MA2B3C4D01'))!;
  expect(decodeURIComponent(res.headers['content-disposition'])).toContain(`${a.name}-2026年度-职工名册（预填）.xlsx`);
  const wb = await loadWorkbook(body);
  const employer = wb.getWorksheet('单位信息')!;
  let year: unknown;
  employer.eachRow((row) => {
    if (row.getCell(1).value === '评估年度') year = row.getCell(2).value;
  });
  expect(year).toBe(2026);
  const roster = wb.getWorksheet('职工名册')!;
  let rows = 0;
  roster.eachRow((row, i) => {
    if (i > 2 && row.getCell(1).value) rows++;
  });
  // the short roster has 120 staff all year and one on a contract ending 2025-08-31 who is still on the books
  expect(rows).toBe(121);
  const other = await login(t.app, 'employer.b');
  expect((await other.agent.get(`/employer/checks/${check.id}/next-year.xlsx`)).status).toBe(404);
});

test('arrears: a verified year and a year billed as if nobody was placed, with the late fee', async () => {
  const a = (await findEmployerByUscc(t.db, '91330481MA2B3C4D01'))!;
  const officer = await login(t.app, 'officer.haining');
  const q = new URLSearchParams({
    employer: String(a.id),
    paymentDate: '2026-10-30',
    include2024: '1',
    due2024: '2025-09-30',
    avgStaff2024: '100',
    wageTotal2024: '7200000',
  });
  const res = await officer.agent.get(`/bureau/arrears?${q}`);
  expect(res.status).toBe(200);
  const text = decoded(res.text);
  // 2024 not verified: 1.5 × 72,000 × 90 % = 97,200.00; 395 days late → 97,200 × 0.5 % × 395 = 191,970.00
  expect(text).toContain('97,200.00');
  expect(text).toContain('191,970.00');
  expect(text).toContain('289,170.00');
  const other = await login(t.app, 'officer.tongxiang');
  const theirs = decoded((await other.agent.get(`/bureau/arrears?${q}`)).text);
  expect(theirs).not.toContain('97,200.00');
});
