/**
 * The officer reads first and decides last — the decision at the end, with confirmation; the
 * counted disabled employees by month and the exclusions (masked), not the employer's hiring advice. The
 * submissions list: 报送时间, sorted and paged on the server, amounts right-aligned with their unit, and
 * the total always said (no silent cap).
 */
import { randomUUID } from 'node:crypto';
import { decoded, login, testApp, type TestApp } from '../helpers/app';

let t: TestApp;
let officer: Awaited<ReturnType<typeof login>>;
let pending = 0;

beforeAll(async () => {
  t = await testApp();
  officer = await login(t.app, 'officer.tongxiang');
  // 桐乡市 gets 60 more submissions for 2025 (rows only: the list reads the stored figures), one check reused
  const sub = await t.db('submissions').where({ year: 2025, status: 'submitted' }).first();
  pending = sub.id;
  const now = Date.parse('2026-03-01T02:00:00Z');
  for (let i = 0; i < 60; i++) {
    const [row] = await t
      .db('employers')
      .insert({
        uscc: `91330483LIST${String(i).padStart(5, '0')}X`.slice(0, 18),
        name: `桐乡市列表测试${String(i).padStart(2, '0')}有限公司`,
        county: '桐乡市',
        unit_type: '企业',
        created_at: new Date().toISOString(),
      })
      .returning('id');
    const employerId = typeof row === 'object' ? row.id : row;
    await t.db('submissions').insert({
      employer_id: employerId,
      year: 2025,
      version: 1,
      check_id: sub.check_id,
      status: 'accepted',
      quota_status: 'short',
      avg_staff: 100,
      required: 1.5,
      avg_weighted: 0,
      levy_payable_fen: (i + 1) * 100_000,
      reward_total_fen: 0,
      vat_ceiling_fen: 0,
      concentrated_months: 0,
      submitted_by: sub.submitted_by,
      submitted_at: new Date(now + i * 3600_000).toISOString(),
    });
  }
}, 60_000);
afterAll(async () => {
  await t.close();
});

const rowsOf = (html: string) =>
  [...decoded(html).matchAll(/<a href="\/bureau\/submissions\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);

test('the list says how many there are, pages on the server and sorts on the server', async () => {
  const first = await officer.agent.get('/bureau?year=2025');
  const text = decoded(first.text);
  expect(text).toContain('共 61 条，当前显示第 1–50 条');
  expect(text).toContain('第 1/2 页');
  expect(text).toContain('报送时间');
  expect(rowsOf(first.text)).toHaveLength(50);
  const second = await officer.agent.get('/bureau?year=2025&page=2');
  expect(rowsOf(second.text)).toHaveLength(11);
  expect(decoded(second.text)).toContain('共 61 条，当前显示第 51–61 条');
  // every submission appears once across the pages
  expect(new Set([...rowsOf(first.text), ...rowsOf(second.text)]).size).toBe(61);
  // sorted by the levy, largest first, on the server (the first page holds the 50 largest)
  const byLevy = rowsOf((await officer.agent.get('/bureau?year=2025&sort=levy&dir=desc')).text);
  expect(byLevy.slice(0, 3)).toEqual([
    '桐乡市列表测试59有限公司',
    '桐乡市列表测试58有限公司',
    '桐乡市列表测试57有限公司',
  ]);
  const byName = rowsOf((await officer.agent.get('/bureau?year=2025&sort=name&dir=asc')).text);
  expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b, 'zh-Hans-CN')));
  // amounts right-aligned, with their unit; times in Beijing time
  expect(first.text).toMatch(/<td class="num"[^>]*>60,000\.00 元<\/td>/);
  expect(text).toContain('2026-03-03 21:00'); // 13:00 UTC on the third day is 21:00 in Beijing
  // a page past the end shows the last page rather than nothing
  expect(rowsOf((await officer.agent.get('/bureau?year=2025&page=99')).text)).toHaveLength(11);
});

test('the officer reads first: the decision comes after the result, the monthly counts and the exclusions; no hiring advice', async () => {
  const page = decoded((await officer.agent.get(`/bureau/submissions/${pending}`)).text);
  const at = (s: string) => page.indexOf(s);
  expect(at('id="monthly-h"')).toBeGreaterThan(0);
  expect(at('id="decision-h"')).toBeGreaterThan(at('id="monthly-h"'));
  expect(at('id="decision-h"')).toBeGreaterThan(at('id="headline-h"'));
  expect(page).not.toContain('id="whatif-h"');
  // a bar at the bottom of the window says a decision is pending and leads to it; it decides nothing itself
  const bar = page.slice(at('class="decision-bar"'), page.indexOf('</nav>', at('class="decision-bar"')));
  expect(bar).toContain('href="#decision"');
  expect(bar).not.toMatch(/<form|<button/);
  expect(at('class="decision-bar"')).toBeGreaterThan(at('id="monthly-h"'));
});

test('通过 and 退回 ask for confirmation and say what happens next; nothing changes until confirmed', async () => {
  const ask = await officer.agent
    .post(`/bureau/submissions/${pending}/accept`)
    .type('form')
    .send({ _csrf: officer.csrf });
  expect(ask.status).toBe(200);
  expect(decoded(ask.text)).toContain('通过后不可撤回');
  // in English the question is English; the employer's name inside it is marked as a proper name
  const askEn = await officer.agent
    .post(`/bureau/submissions/${pending}/accept?lang=en`)
    .type('form')
    .send({ _csrf: officer.csrf });
  const { name } = await t
    .db('employers')
    .where({ id: (await t.db('submissions').where({ id: pending }).first()).employer_id })
    .first();
  expect(decoded(askEn.text)).toMatch(
    new RegExp(`<h1>Accept the 2025 submission of <span translate="no">${name}</span>\\?</h1>`),
  );
  await officer.agent.get('/bureau?lang=zh');
  expect((await t.db('submissions').where({ id: pending }).first()).status).toBe('submitted');
  const askReturn = await officer.agent
    .post(`/bureau/submissions/${pending}/return`)
    .type('form')
    .send({ _csrf: officer.csrf, reason: '请补充残疾人证复印件' });
  expect(askReturn.status).toBe(200);
  expect(decoded(askReturn.text)).toContain('请补充残疾人证复印件');
  expect((await t.db('submissions').where({ id: pending }).first()).status).toBe('submitted');
  const done = await officer.agent
    .post(`/bureau/submissions/${pending}/return`)
    .type('form')
    .send({ _csrf: officer.csrf, reason: '请补充残疾人证复印件', confirm: '1' });
  expect(done.status).toBe(303);
  expect(await t.db('submissions').where({ id: pending }).first()).toMatchObject({
    status: 'returned',
    return_reason: '请补充残疾人证复印件',
  });
});

test('the parameters page says which data year still lacks its social average wage (every levy of it provisional)', async () => {
  const page = decoded((await officer.agent.get('/bureau/parameters')).text);
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear() - 1; // the data year in Beijing
  expect(page).toMatch(new RegExp(`${year - 1}、${year}年度的社会平均工资尚未录入`));
  const admin = await login(t.app, 'admin');
  const saved = await admin.agent
    .post('/bureau/parameters')
    .type('form')
    .send({
      _csrf: admin.csrf,
      paramId: 'social-average-wage',
      from: `${year}-01-01`,
      to: `${year}-12-31`,
      value: '98000',
      source: '嘉兴市统计局公布数',
    });
  expect(saved.status).toBe(303);
  const after = decoded((await officer.agent.get('/bureau/parameters')).text);
  expect(after).toContain(`${year - 1}年度的社会平均工资尚未录入`);
  expect(after).not.toContain(`${year}年度的社会平均工资尚未录入`);
});

test('the list marks a levy computed without the social average wage 暂估, as every other page does, and only that one', async () => {
  const cells = async (lang = 'zh') =>
    [
      ...decoded((await officer.agent.get(`/bureau?year=2025&sort=levy&dir=desc&lang=${lang}`)).text).matchAll(
        /<th scope="row"[^>]*><a href="\/bureau\/submissions\/(\d+)">[\s\S]*?<td class="num"[^>]*>([^]*?)<\/td>/g,
      ),
    ].map((m) => ({ id: Number(m[1]), levy: m[2] }));
  const before = await cells();
  expect(before).toHaveLength(50);
  for (const c of before) expect(c.levy).toMatch(/^[\d,]+\.\d\d 元$/);
  // one result stored before the year's social average wage was entered: its levy waits for the wage
  const sub = await t.db('submissions').where({ id: before[0].id }).first();
  const check = await t.db('checks').where({ id: sub.check_id }).first();
  const result = JSON.parse(check.result_json);
  result.warnings.push({ code: 'wage-cap-not-checked', message: '', params: {} });
  const upload = await t.db('uploads').where({ id: check.upload_id }).first();
  const [uploadId, checkId] = [randomUUID(), randomUUID()];
  await t.db('uploads').insert({ ...upload, id: uploadId });
  await t.db('checks').insert({ ...check, id: checkId, upload_id: uploadId, result_json: JSON.stringify(result) });
  await t.db('submissions').where({ id: sub.id }).update({ check_id: checkId });
  const after = await cells();
  expect(after.find((c) => c.id === sub.id)!.levy).toMatch(
    /^[\d,]+\.\d\d 元 <span class="tag provisional">暂估<\/span>$/,
  );
  expect(after.filter((c) => c.levy.includes('暂估'))).toHaveLength(1);
  const en = await cells('en');
  expect(en.find((c) => c.id === sub.id)!.levy).toContain('<span class="tag provisional">provisional</span>');
  expect(en.filter((c) => c.levy.includes('provisional'))).toHaveLength(1);
});
