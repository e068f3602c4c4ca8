/**
 * Submitting: a confirmation step that says what happens next; after submitting, the result
 * says when and which version instead of offering the button again; the same result or an identical one
 * is refused with a clear message; the receipt has its number, Beijing time and figures, and its
 * verification link shows the same figures to anyone, with no personal data.
 */
import { join } from 'node:path';
import { login, testApp, visibleText, type TestApp } from '../helpers/app';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { substanceOf } from '../../reports/stored-result';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const EMPLOYER_A = {
  name: '嘉兴示例精密机械有限公司',
  uscc: '91330481MA2B3C4D01',
  county: '海宁市',
  unit_type: '企业',
};

async function uploadChecked(
  agent: Awaited<ReturnType<typeof login>>['agent'],
  csrf: string,
  file: string,
): Promise<string> {
  const up = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', file, 'roster.xlsx');
  expect(up.status).toBe(303);
  const page = await agent.get(up.headers.location);
  return /\/employer\/checks\/([0-9a-f-]{36})/.exec(page.headers.location)![1];
}

test('confirm, submit once, refuse the same or an identical result, print a receipt anyone can verify', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'a.xlsx');
  await writeRosterWorkbook(file, EMPLOYER_A, 'short');
  const checkId = await uploadChecked(agent, csrf, file);

  // the result page offers the next step, which is a confirmation, not the submission itself
  const result = await agent.get(`/employer/checks/${checkId}`);
  expect(result.text).toContain(`action="/employer/checks/${checkId}/confirm"`);
  expect(result.text).not.toContain(`action="/employer/checks/${checkId}/submit"`);
  const confirm = await agent.get(`/employer/checks/${checkId}/confirm`);
  expect(confirm.status).toBe(200);
  expect(confirm.text).toContain('报送后会发生什么');
  expect(confirm.text).toContain('海宁市残联收到报送');
  expect(confirm.text).toContain(`action="/employer/checks/${checkId}/submit"`);

  const sub = await agent.post(`/employer/checks/${checkId}/submit`).type('form').send({ _csrf: csrf });
  expect(sub.status).toBe(303);
  const subId = Number(/submissions\/(\d+)/.exec(sub.headers.location)![1]);

  // the list of submissions on the home page marks a levy still waiting for the social average wage 暂估,
  // as the result and the bureau's list do
  const provisional = await t.db('checks').where({ id: checkId }).first();
  expect(provisional.result_json).toContain('"wage-cap-not-checked"');
  const home = (await agent.get('/employer')).text;
  const row = new RegExp(`<tr>(?:(?!</tr>).)*href="/employer/submissions/${subId}"`, 's').exec(home)![0];
  expect(row).toMatch(/\d\.\d\d 元 <span class="tag provisional">暂估<\/span>/);

  // the button gives way to what happened
  const after = await agent.get(`/employer/checks/${checkId}`);
  expect(visibleText(after.text)).toMatch(/已于 \d{4}-\d\d-\d\d \d\d:\d\d 报送（第 1 版），待审核/);
  expect(after.text).not.toContain(`/employer/checks/${checkId}/confirm"`);
  expect((await agent.get(`/employer/checks/${checkId}/confirm`)).headers.location).toBe(
    `/employer/submissions/${subId}`,
  );

  // the same result twice: refused, saying why
  const again = await agent.post(`/employer/checks/${checkId}/submit`).type('form').send({ _csrf: csrf });
  expect(again.status).toBe(409);
  expect(again.text).toContain('这份结果已经报送过');

  // the same workbook uploaded again: an identical result, refused with what to do instead
  const sameId = await uploadChecked(agent, csrf, file);
  expect(sameId).not.toBe(checkId);
  const identical = await agent.post(`/employer/checks/${sameId}/submit`).type('form').send({ _csrf: csrf });
  expect(identical.status).toBe(409);
  expect(identical.text).toContain('与上一次报送的版本完全相同');
  const subs = await t
    .db('submissions')
    .where({ employer_id: (await t.db('employers').where({ uscc: EMPLOYER_A.uscc }).first()).id })
    .count('* as n')
    .first();
  expect(Number(subs?.n)).toBe(1); // pg answers count() as a string

  // the receipt: number, Beijing time, unit, year, headline figures, a verification link
  const receipt = await agent.get(`/employer/submissions/${subId}/receipt`);
  expect(receipt.status).toBe(200);
  const text = visibleText(receipt.text);
  expect(text).toContain(`R2025-${String(subId).padStart(6, '0')}-1`);
  const stored = await t.db('submissions').where({ id: subId }).first();
  const beijing = new Date(new Date(stored.submitted_at).getTime() + 8 * 3600_000)
    .toISOString()
    .slice(0, 16)
    .replace('T', ' ');
  expect(text).toContain(beijing);
  expect(text).toContain(EMPLOYER_A.name);
  expect(text).toContain('2025年度');
  const levy = (Number(stored.levy_payable_fen) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 });
  expect(text).toContain(`${levy} 元`);
  const link = /href="(https?:\/\/[^"]+\/receipts\/([^"]+))"/.exec(receipt.text)!;
  expect(link).toBeTruthy();

  // anyone can verify it: the same figures, nobody's name
  const anon = await (await import('supertest')).default(t.app).get(`/receipts/${link[2]}`);
  expect(anon.status).toBe(200);
  const shown = visibleText(anon.text);
  expect(shown).toContain(`${levy} 元`);
  expect(shown).toContain(EMPLOYER_A.name);
  const names = (await t.db('checks').where({ id: checkId }).first()).result_json.match(/"name":"([^"]{2,4})"/g) ?? [];
  for (const n of names.map((x: string) => x.slice(8, -1)).filter((n: string) => n !== EMPLOYER_A.name))
    expect(shown).not.toContain(n);
  // the code typed from the printed receipt with a full-width dash and a space still finds it
  const typed = link[2].replace('-', ' － ');
  expect((await (await import('supertest')).default(t.app).get(`/receipts/${encodeURIComponent(typed)}`)).status).toBe(
    200,
  );
  const forged = link[2].replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  expect((await (await import('supertest')).default(t.app).get(`/receipts/${forged}`)).status).toBe(404);
});

test('an identical result is refused by its stored fingerprint, and results stored without one are compared by their text', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'a-2024.xlsx');
  await writeRosterWorkbook(file, EMPLOYER_A, 'short', 2024);
  const first = await uploadChecked(agent, csrf, file);
  const row = await t.db('checks').where({ id: first }).first();
  // written with the result, from the text as stored
  expect(row.substance).toMatch(/^[0-9a-f]{64}$/);
  expect(row.substance).toBe(substanceOf(row.result_json, row.employee_keys_json));

  // a result stored before fingerprints were: submitted as before
  await t.db('checks').where({ id: first }).update({ substance: null });
  const sub = await agent.post(`/employer/checks/${first}/submit`).type('form').send({ _csrf: csrf });
  expect(sub.status).toBe(303);

  // the same workbook again: refused against the submitted version, whose fingerprint is computed from its text
  const second = await uploadChecked(agent, csrf, file);
  expect((await t.db('checks').where({ id: second }).first()).substance).toBe(row.substance);
  const refused = await agent.post(`/employer/checks/${second}/submit`).type('form').send({ _csrf: csrf });
  expect(refused.status).toBe(409);
  expect(refused.text).toContain('与上一次报送的版本完全相同');
  expect((await agent.get(`/employer/checks/${second}`)).text).not.toContain(`/employer/checks/${second}/confirm"`);

  // neither fingerprint stored: still refused
  await t.db('checks').where({ id: second }).update({ substance: null });
  expect((await agent.post(`/employer/checks/${second}/submit`).type('form').send({ _csrf: csrf })).status).toBe(409);

  // once fingerprints are stored, they are what is compared: a different one is a new version
  await t.db('checks').whereIn('id', [first, second]).update({ substance: row.substance });
  expect((await agent.post(`/employer/checks/${second}/submit`).type('form').send({ _csrf: csrf })).status).toBe(409);
  await t
    .db('checks')
    .where({ id: second })
    .update({ substance: 'f'.repeat(64) });
  const v2 = await agent.post(`/employer/checks/${second}/submit`).type('form').send({ _csrf: csrf });
  expect(v2.status).toBe(303);
  const versions = await t.db('submissions').whereIn('check_id', [first, second]).orderBy('version').select('version');
  expect(versions.map((v: { version: number }) => Number(v.version))).toEqual([1, 2]);
});
