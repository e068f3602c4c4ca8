/**
 * Putting the system into service, walked through the web: the 海宁市 officer imports a register of 200
 * units whose file has 3 bad rows (refused by row and column, then fixed), confirms it, prints the
 * activation letters; one unit activates, invites a second user, who uploads and submits; the officer
 * accepts; the not-submitted list then names the other 199.
 */
import { join } from 'node:path';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { makeUscc } from '../helpers/people';
import { writeWorkbook, type Rows } from '../helpers/workbook';
import { csrfFrom, decoded, login, testApp, visibleText, type Agent, type TestApp } from '../helpers/app';
import request from 'supertest';
import { setIssuer } from '../helpers/notices';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const HEADER = ['统一社会信用代码', '单位名称', '所在县（市、区）', '单位类型', '联系人', '联系电话'];
const unitUscc = (i: number) => makeUscc(`R${String(i).padStart(8, '0')}`);
const unitName = (i: number) => `海宁市名录测试${i}号有限公司`;
function registerRows(n: number): Rows {
  const rows: Rows = [HEADER];
  for (let i = 1; i <= n; i++)
    rows.push([unitUscc(i), unitName(i), '海宁市', i % 10 === 0 ? '事业单位' : '企业', '王经理', '0573-87000000']);
  return rows;
}

async function importFile(agent: Agent, csrf: string, file: string, name: string) {
  const up = await agent
    .post('/bureau/register/import')
    .set('x-csrf-token', csrf)
    .field('year', '2025')
    .attach('file', file, name);
  expect(up.status).toBe(303);
  const id = /\/bureau\/register\/imports\/([0-9a-f-]{36})$/.exec(up.headers.location)![1];
  return { id, page: await agent.get(up.headers.location) };
}

/** Each letter's credit code and activation code, from the printed page. */
function lettersOf(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<article class="letter">([\s\S]*?)<\/article>/g)) {
    const codes = [...m[1].matchAll(/<dd translate="no" class="code[^"]*">([^<]+)<\/dd>/g)].map((x) => x[1]);
    out.set(codes[1], codes[2]);
  }
  return out;
}

async function activate(form: Record<string, string>, ip = '198.51.100.7') {
  const agent = request.agent(t.app);
  const page = await agent.get('/activate');
  const res = await agent
    .post('/activate')
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...form });
  return { agent, res };
}

test('import 200 units (3 bad rows refused, then fixed), letters, activation, a second user, filing, and 199 missing', async () => {
  const officer = await login(t.app, 'officer.haining');

  // the template downloads and names the columns
  const tpl = await officer.agent.get('/bureau/register/template.xlsx');
  expect(tpl.status).toBe(200);
  expect(tpl.headers['content-disposition']).toMatch(/xlsx/);

  // three bad rows: a wrong check character, a county not in the table, a credit code twice
  const bad = registerRows(200);
  const good = registerRows(200);
  const wrong = String(bad[11][0]);
  bad[11][0] = wrong.slice(0, 17) + (wrong[17] === '0' ? '1' : '0');
  bad[51][2] = '嘉兴市';
  bad[101][0] = bad[2][0];
  const badFile = join(t.dataDir, 'register-bad.xlsx');
  await writeWorkbook(badFile, [{ name: '用人单位名录', rows: bad }]);
  const refused = await importFile(officer.agent, officer.csrf, badFile, '名录.xlsx');
  const text = visibleText(refused.page.text);
  expect(text).toContain('文件中有 3 处问题，名录未作任何改动');
  expect(text).toMatch(/12 A 统一社会信用代码 统一社会信用代码校验位错误（应为 \w），请核对/);
  expect(text).toMatch(/52 C 所在县（市、区） 县（市、区）须为以下之一：南湖区/);
  expect(text).toContain('102 A 统一社会信用代码 与第 3 行的统一社会信用代码重复，请删除重复的一行');
  expect(refused.page.text).not.toContain('/confirm"');
  // a file with problems cannot be confirmed, and nothing was written
  expect(
    (
      await officer.agent
        .post(`/bureau/register/imports/${refused.id}/confirm`)
        .type('form')
        .send({ _csrf: officer.csrf })
    ).status,
  ).toBe(409);
  expect(await t.services.register.count(2025, '海宁市')).toBe(0);
  // the file sent is kept all the same
  expect((await t.db('register_imports').where({ id: refused.id }).first()).status).toBe('refused');

  // fixed: the preview says what will be added, and nothing is written until it is confirmed
  const goodFile = join(t.dataDir, 'register.xlsx');
  await writeWorkbook(goodFile, [{ name: '用人单位名录', rows: good }]);
  const first = await importFile(officer.agent, officer.csrf, goodFile, '名录.xlsx');
  expect(visibleText(first.page.text)).toContain('确认后：新增 200 家，变更 0 家，0 家与名录一致不作改动');
  expect(await t.services.register.count(2025, '海宁市')).toBe(0);
  const ok = await officer.agent
    .post(`/bureau/register/imports/${first.id}/confirm`)
    .type('form')
    .send({ _csrf: officer.csrf });
  expect(ok.status).toBe(303);
  expect(visibleText((await officer.agent.get(ok.headers.location)).text)).toContain(
    '名录已导入：新增 200 家，变更 0 家，0 家不变',
  );
  expect(await t.services.register.count(2025, '海宁市')).toBe(200);
  // the register is paged on the server, 100 units a page, and searched by name or credit code
  const list = visibleText((await officer.agent.get('/bureau/register?year=2025')).text);
  expect(list).toContain('2025 年度名录共 200 家单位，已开通 0 家');
  expect(list).toContain('第 1–100 家，共 200 家');
  expect(visibleText((await officer.agent.get('/bureau/register?year=2025&page=2')).text)).toContain(
    '第 101–200 家，共 200 家',
  );
  const found = await officer.agent.get(
    `/bureau/register?year=2025&q=${encodeURIComponent(unitUscc(7).toLowerCase())}`,
  );
  expect(visibleText(found.text)).toContain(`与“${unitUscc(7).toLowerCase()}”相符的单位共 1 家`);
  expect(visibleText(found.text)).toContain(unitName(7));
  // confirming twice does nothing
  expect(
    (
      await officer.agent
        .post(`/bureau/register/imports/${first.id}/confirm`)
        .type('form')
        .send({ _csrf: officer.csrf })
    ).status,
  ).toBe(409);

  // the same file again changes nothing
  const again = await importFile(officer.agent, officer.csrf, goodFile, '名录.xlsx');
  expect(visibleText(again.page.text)).toContain('文件内容与名录完全一致，确认后不会有任何改动');
  await officer.agent.post(`/bureau/register/imports/${again.id}/confirm`).type('form').send({ _csrf: officer.csrf });
  expect(await t.services.register.count(2025, '海宁市')).toBe(200);
  const stamps = await t.db('register_units').where({ year: 2025 }).select('created_at', 'updated_at');
  expect(stamps.filter((x) => x.updated_at !== x.created_at)).toEqual([]);

  // the letters: one per unit, with the site, the credit code, the code, the date it lapses and the county's contact
  await setIssuer(t, '海宁市');
  const printed = await officer.agent
    .post('/bureau/register/letters')
    .type('form')
    .send({ _csrf: officer.csrf, year: '2025', which: 'pending', format: 'html' });
  expect(printed.status).toBe(200);
  const letters = lettersOf(printed.text);
  expect(letters.size).toBe(200);
  expect(printed.text).toContain('/activate');
  expect(visibleText(printed.text)).toContain(unitName(1));
  expect(visibleText(printed.text)).toContain('如有疑问，请联系：海宁市残疾人联合会 就业服务科 张老师 0573-85000000');
  expect(printed.text.match(/<article class="letter">/g)).toHaveLength(200);
  const code1 = letters.get(unitUscc(1))!;
  expect(code1).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
  // the codes are kept as hashes only: not in the database, the audit chain or the log
  const audit = JSON.stringify(await t.db('audit_log').select('*'));
  expect(audit).not.toContain(code1);
  expect(JSON.stringify(await t.db('unit_codes').select('*'))).not.toContain(code1);
  expect(t.logs.join('\n')).not.toContain(code1);

  // the unit activates with its credit code and the code, and is logged in
  const first1 = await activate({
    uscc: unitUscc(1),
    code: code1.toLowerCase(),
    username: 'unit1.head',
    displayName: '张负责人',
    password: 'long enough pass 1',
    confirm: 'long enough pass 1',
  });
  expect(first1.res.status).toBe(303);
  expect(first1.res.headers.location).toBe('/employer');
  const head = first1.agent;
  const headHome = await head.get('/employer');
  expect(headHome.status).toBe(200);
  const headCsrf = csrfFrom(headHome.text);
  // the code was used
  const twice = await activate({
    uscc: unitUscc(1),
    code: code1,
    username: 'unit1.other',
    displayName: '再用一次',
    password: 'long enough pass 2',
    confirm: 'long enough pass 2',
  });
  expect(twice.res.status).toBe(422);

  // the first user invites a second (填报人)
  const invited = await head.post('/employer/users/invite').type('form').send({ _csrf: headCsrf });
  expect(invited.status).toBe(200);
  const invite = /class="code letter-code" translate="no">([^<]+)</.exec(invited.text)![1];
  expect(decoded(invited.text)).toContain(unitUscc(1));
  const second = await activate({
    uscc: unitUscc(1),
    code: invite,
    username: 'unit1.filer',
    displayName: '李填报',
    password: 'another long pass 3',
    confirm: 'another long pass 3',
  });
  expect(second.res.status).toBe(303);
  const filer = second.agent;
  const filerCsrf = csrfFrom((await filer.get('/employer')).text);
  const users = visibleText((await head.get('/employer/users')).text);
  expect(users).toContain('unit1.head');
  expect(users).toContain('unit1.filer');
  // the second user can neither invite nor remove
  expect((await filer.post('/employer/users/invite').type('form').send({ _csrf: filerCsrf })).status).toBe(403);

  // the second user uploads and submits the unit's roster
  const roster = join(t.dataDir, 'unit1.xlsx');
  await writeRosterWorkbook(
    roster,
    { name: unitName(1), uscc: unitUscc(1), county: '海宁市', unit_type: '企业' },
    'short',
  );
  const up = await filer.post('/employer/uploads').set('x-csrf-token', filerCsrf).attach('file', roster, 'roster.xlsx');
  expect(up.status).toBe(303);
  const checkId = /\/employer\/checks\/([0-9a-f-]{36})/.exec(
    (await filer.get(up.headers.location)).headers.location,
  )![1];
  const sub = await filer.post(`/employer/checks/${checkId}/submit`).type('form').send({ _csrf: filerCsrf });
  expect(sub.status).toBe(303);
  const subId = Number(/submissions\/(\d+)/.exec(sub.headers.location)![1]);

  // the officer accepts
  const accept = await officer.agent
    .post(`/bureau/submissions/${subId}/accept`)
    .type('form')
    .send({ _csrf: officer.csrf, confirm: '1' });
  expect(accept.status).toBe(303);
  expect((await t.db('submissions').where({ id: subId }).first()).status).toBe('accepted');

  // the not-submitted list is the register less the unit that filed
  const missing = await officer.agent.get('/bureau/missing?year=2025');
  const rows = [...missing.text.matchAll(/<tr><td>([^<]+)<\/td><td class="uscc" translate="no">/g)].map((m) => m[1]);
  expect(rows).toHaveLength(199);
  expect(rows).not.toContain(unitName(1));
  expect(visibleText(missing.text)).toContain('共 199 家单位尚未报送');
  // the dashboard and the notice checklist count by the register too
  const dashboard = await officer.agent.get('/bureau/dashboard?year=2025');
  expect(/data-figure="received">([^<]+)</.exec(dashboard.text)![1]).toBe('1 / 200');
  expect(await t.services.notices.checklist('海宁市', 2025)).toMatchObject({
    employers: 200,
    accepted: 1,
    missing: 199,
  });

  // a unit of 海宁市 that is not in the 2025 register is refused, and told whom to ask
  const a = await login(t.app, 'employer.a');
  const fileA = join(t.dataDir, 'a.xlsx');
  await writeRosterWorkbook(
    fileA,
    { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市', unit_type: '企业' },
    'short',
  );
  const upA = await a.agent.post('/employer/uploads').set('x-csrf-token', a.csrf).attach('file', fileA, 'roster.xlsx');
  const checkA = /\/employer\/checks\/([0-9a-f-]{36})/.exec(
    (await a.agent.get(upA.headers.location)).headers.location,
  )![1];
  const confirmA = await a.agent.get(`/employer/checks/${checkA}/confirm`);
  expect(visibleText(confirmA.text)).toContain('不在 2025 年度用人单位名录中，暂不能报送该年度');
  expect(confirmA.text).not.toContain(`action="/employer/checks/${checkA}/submit"`);
  const refusedA = await a.agent.post(`/employer/checks/${checkA}/submit`).type('form').send({ _csrf: a.csrf });
  expect(refusedA.status).toBe(422);
  expect(visibleText(refusedA.text)).toContain('不在 2025 年度用人单位名录中');
  expect(visibleText(refusedA.text)).toContain('请联系所在县（市、区）残疾人就业服务机构');

  // the first user removes the second: their session ends
  const filerId = (await t.db('users').where({ username: 'unit1.filer' }).first()).id;
  const removed = await head.post(`/employer/users/${filerId}/remove`).type('form').send({ _csrf: headCsrf });
  expect(removed.status).toBe(303);
  const after = await filer.get('/employer');
  expect(after.status).toBe(303);
  expect(after.headers.location).toMatch(/^\/login/);

  // every event is in the audit chain
  const actions = (await t.db('audit_log').select('action')).map((x) => x.action);
  for (const a of [
    'register.file-received',
    'register.imported',
    'register.code-issued',
    'employer.activated',
    'employer.user-invited',
    'employer.invitation-used',
    'employer.user-removed',
  ])
    expect(actions).toContain(a);
});
