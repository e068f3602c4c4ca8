/**
 * A reward across versions (J3 reward claims, docs/rules.md §13): employer B applied for the reward with its
 * first 2025 version, then submitted a second version with a smaller reward. The first version and its
 * application say 已被第 2 版取代 wherever they are listed; neither can be reviewed or approved; the second
 * version's application is approved only once that version is accepted, and only through the confirmation
 * that states its amount; the public reward list never shows the superseded amount — and stops showing an
 * approved amount once a later version supersedes it.
 */
import { join } from 'node:path';
import request from 'supertest';
import ExcelJS from 'exceljs';
import { findEmployerByUscc } from '../../db/stores/employers';
import { findCheckByUpload } from '../../db/stores/checks';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { decoded, login, testApp, visibleText, type TestApp } from '../helpers/app';
import type { CheckResult } from '../../server/rules/result';
import { amount } from '../../server/i18n/format';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const B_USCC = '91330483MA2B3C5E0L';
let uploads = 0;

/** Employer B's 2025 workbook with roster row `row` (1 is the header) left out; returns the check and its reward in 分. */
async function uploadB(row: number) {
  const b = (await findEmployerByUscc(t.db, B_USCC))!;
  const file = join(t.dataDir, `b-v${++uploads}.xlsx`);
  await writeRosterWorkbook(file, b, 'concentrated');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  // rows 2–13 are the twelve disabled employees, rows 14–41 the others
  wb.getWorksheet('职工名册')!.spliceRows(row, 1);
  await wb.xlsx.writeFile(file);
  const up = await t.services.uploads.receive({ id: 1, username: 'employer.b' }, b, file, `b-v${uploads}.xlsx`, 1);
  await t.services.uploads.process(up, b);
  const check = (await findCheckByUpload(t.db, up))!;
  const result = JSON.parse(check.result_json) as CheckResult;
  return { check, reward: result.rewards.reduce((a, r) => a + Math.round(r.amount * 100), 0) };
}

const publicList = async () => visibleText((await request(t.app).get('/rewards?county=桐乡市&year=2025')).text);

test('a superseded version’s reward is never approved or published; the accepted current one is, after confirming its amount', async () => {
  const emp = await login(t.app, 'employer.b');
  const officer = await login(t.app, 'officer.tongxiang');
  const b = (await findEmployerByUscc(t.db, B_USCC))!;

  // version 1: the fixtures' 2025 submission, reward applied for
  const v1 = await t.db('submissions').where({ employer_id: b.id, year: 2025 }).orderBy('version').first();
  expect(Number(v1.version)).toBe(1);
  const claim1 = await t.db('reward_claims').where({ submission_id: v1.id }).first();
  expect(claim1.status).toBe('applied');
  const v1Amount = amount(Number(claim1.amount_fen) / 100);

  // version 2: one disabled employee fewer, a smaller reward
  const second = await uploadB(3);
  expect(second.reward).toBeGreaterThan(0);
  expect(second.reward).toBeLessThan(Number(claim1.amount_fen));
  const sent = await emp.agent
    .post(`/employer/checks/${second.check.id}/submit`)
    .type('form')
    .send({ _csrf: emp.csrf, rewardChoice: 'apply' });
  expect(sent.status).toBe(303);
  const v2 = await t.db('submissions').where({ check_id: second.check.id }).first();
  expect(Number(v2.version)).toBe(2);
  const claim2 = await t.db('reward_claims').where({ submission_id: v2.id }).first();
  const v2Amount = amount(Number(claim2.amount_fen) / 100);
  expect(v2Amount).not.toBe(v1Amount);

  // version 1 and its application are superseded, and say so everywhere they are listed
  expect(Number((await t.db('submissions').where({ id: v1.id }).first()).superseded_by_version)).toBe(2);
  expect(Number((await t.db('reward_claims').where({ id: claim1.id }).first()).superseded_by_version)).toBe(2);
  const home = visibleText((await emp.agent.get('/employer')).text);
  expect(home).toContain('已被第 2 版取代');
  const v1Page = visibleText((await emp.agent.get(`/employer/submissions/${v1.id}`)).text);
  expect(v1Page).toContain('已被第 2 版取代');
  expect(v1Page).not.toContain('待审核');
  const officerList = decoded((await officer.agent.get('/bureau/rewards?year=2025')).text);
  const row1 = officerList.slice(officerList.indexOf('第 1 版报送'));
  expect(row1.slice(0, row1.indexOf('</tr>'))).toContain('已被第 2 版取代');
  expect(row1.slice(0, row1.indexOf('</tr>'))).not.toContain(`/bureau/rewards/${claim1.id}/approve`);
  expect(visibleText((await officer.agent.get(`/bureau/submissions/${v1.id}`)).text)).toContain('已被第 2 版取代');

  // approving version 1's reward is refused, with or without confirming, and so is reviewing version 1
  for (const body of [{}, { confirm: '1', amountFen: String(claim1.amount_fen) }]) {
    const res = await officer.agent
      .post(`/bureau/rewards/${claim1.id}/approve`)
      .type('form')
      .send({ _csrf: officer.csrf, ...body });
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('已被第 2 版取代');
  }
  expect((await officer.agent.get(`/bureau/rewards/${claim1.id}/approve`)).status).toBe(409);
  const review1 = await officer.agent
    .post(`/bureau/submissions/${v1.id}/accept`)
    .type('form')
    .send({ _csrf: officer.csrf, confirm: '1' });
  expect(review1.status).toBe(409);
  expect(visibleText(review1.text)).toContain('已被第 2 版取代');

  // version 2's application waits for version 2 to be accepted
  const tooEarly = await officer.agent.get(`/bureau/rewards/${claim2.id}/approve`);
  expect(tooEarly.status).toBe(409);
  expect(visibleText(tooEarly.text)).toContain('尚未审核通过');
  expect(
    (
      await officer.agent
        .post(`/bureau/submissions/${v2.id}/accept`)
        .type('form')
        .send({ _csrf: officer.csrf, confirm: '1' })
    ).status,
  ).toBe(303);

  // the confirmation states the amount; a post without it approves nothing
  const confirm = await officer.agent.get(`/bureau/rewards/${claim2.id}/approve`);
  expect(confirm.status).toBe(200);
  expect(visibleText(confirm.text)).toContain(v2Amount);
  const unconfirmed = await officer.agent
    .post(`/bureau/rewards/${claim2.id}/approve`)
    .type('form')
    .send({ _csrf: officer.csrf });
  expect(unconfirmed.status).toBe(409);
  expect(visibleText(unconfirmed.text)).toContain(v2Amount);
  // a confirmation of another amount (a page shown before the application changed) approves nothing either
  const stale = await officer.agent
    .post(`/bureau/rewards/${claim2.id}/approve`)
    .type('form')
    .send({ _csrf: officer.csrf, confirm: '1', amountFen: String(claim1.amount_fen) });
  expect(stale.status).toBe(409);
  expect((await t.db('reward_claims').where({ id: claim2.id }).first()).status).toBe('applied');
  expect(await publicList()).not.toContain(b.name);

  const approved = await officer.agent
    .post(`/bureau/rewards/${claim2.id}/approve`)
    .type('form')
    .send({ _csrf: officer.csrf, confirm: '1', amountFen: String(claim2.amount_fen) });
  expect(approved.status).toBe(303);
  let list = await publicList();
  expect(list).toContain(b.name);
  expect(list).toContain(v2Amount);
  expect(list).not.toContain(v1Amount);

  // a third version (one other employee fewer) supersedes the approved second one: the unit leaves the public
  // list until the third version's own application is approved, and the second's cannot be paid
  const third = await uploadB(30);
  expect(
    (
      await emp.agent
        .post(`/employer/checks/${third.check.id}/submit`)
        .type('form')
        .send({ _csrf: emp.csrf, rewardChoice: 'apply' })
    ).status,
  ).toBe(303);
  list = await publicList();
  expect(list).not.toContain(b.name);
  expect(
    (
      await officer.agent
        .post(`/bureau/rewards/${claim2.id}/paid`)
        .type('form')
        .send({ _csrf: officer.csrf, paidOn: '2026-10-15' })
    ).status,
  ).toBe(409);
  // version 1 keeps the version that first superseded it
  expect(visibleText((await emp.agent.get('/employer')).text)).toContain('已被第 3 版取代');
  expect(Number((await t.db('reward_claims').where({ id: claim1.id }).first()).superseded_by_version)).toBe(2);
});
