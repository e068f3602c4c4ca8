/**
 * The register of units and activation, piece by piece: a CSV register, the officer's reach, units added
 * and edited one by one, the letters as CSV (BOM, formula guard), a re-issued code replacing the old one,
 * the activation rate limits per address and per unit, and the password policy at activation.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ACTIVATION_LIMITS } from '../../server/services/register';
import { makeUscc } from '../helpers/people';
import { csrfFrom, login, testApp, visibleText, type Agent, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const HEADER = '统一社会信用代码,单位名称,所在县（市、区）,单位类型,联系人,联系电话';
const u = (s: string) => makeUscc(s);

async function importCsv(agent: Agent, csrf: string, text: string, fields: Record<string, string> = {}) {
  const file = join(t.dataDir, `r-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, '\ufeff' + text);
  let q = agent.post('/bureau/register/import').set('x-csrf-token', csrf);
  for (const [k, v] of Object.entries({ year: '2024', ...fields })) q = q.field(k, v);
  const up = await q.attach('file', file, 'register.csv');
  expect(up.status).toBe(303);
  return { id: up.headers.location.split('/').pop()!, page: await agent.get(up.headers.location) };
}

async function tryActivate(form: Record<string, string>, ip: string) {
  const agent = request.agent(t.app);
  const page = await agent.get('/activate');
  return agent
    .post('/activate')
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...form });
}

test('a CSV register: the officer imports their own county only; the administrator the city; a change is previewed as one', async () => {
  const officer = await login(t.app, 'officer.haining');
  const csv = [
    HEADER,
    `${u('CQW000001')},海宁市甲公司,海宁市,企业,王,0573-1234567`,
    `${u('CQW000002')},桐乡市乙公司,桐乡市,企业,,`,
    `${u('CQW000003')},海宁市丙公司,海宁市,事业单位,,`,
  ].join('\n');
  const own = await importCsv(officer.agent, officer.csrf, csv);
  expect(visibleText(own.page.text)).toContain('3 C 所在县（市、区） 该单位属于桐乡市，您只能导入海宁市的单位');
  const fixed = await importCsv(
    officer.agent,
    officer.csrf,
    csv
      .split('\n')
      .filter((l) => !l.includes('桐乡'))
      .join('\n'),
  );
  expect(visibleText(fixed.page.text)).toContain('新增 2 家');
  await officer.agent.post(`/bureau/register/imports/${fixed.id}/confirm`).type('form').send({ _csrf: officer.csrf });
  expect(await t.services.register.count(2024)).toBe(2);
  // another county's officer does not see this import
  const other = await login(t.app, 'officer.tongxiang');
  expect((await other.agent.get(`/bureau/register/imports/${fixed.id}`)).status).toBe(404);

  // the administrator imports the whole city: one changed, one unchanged, one added, and one in the register left alone
  const admin = await login(t.app, 'admin');
  const city = await importCsv(
    admin.agent,
    admin.csrf,
    [
      HEADER,
      `${u('CQW000001')},海宁市甲公司（更名）,海宁市,企业,王,0573-1234567`,
      `${u('CQW000002')},桐乡市乙公司,桐乡市,企业,,`,
    ].join('\n'),
  );
  const text = visibleText(city.page.text);
  expect(text).toContain('确认后：新增 1 家，变更 1 家，0 家与名录一致不作改动；名录中另有 1 家不在本文件中，保持不变');
  expect(text).toContain('海宁市甲公司（更名） ' + u('CQW000001') + ' 单位名称');
  await admin.agent.post(`/bureau/register/imports/${city.id}/confirm`).type('form').send({ _csrf: admin.csrf });
  expect((await t.services.register.list(2024, '海宁市')).map((x) => x.name)).toEqual([
    '海宁市丙公司',
    '海宁市甲公司（更名）',
  ]);
  expect(await t.services.register.count(2024, '桐乡市')).toBe(1);

  // the 桐乡市 officer cannot move a 海宁市 unit into their county by listing it there
  const move = await importCsv(
    other.agent,
    other.csrf,
    [HEADER, `${u('CQW000003')},海宁市丙公司,桐乡市,事业单位,,`].join('\n'),
  );
  expect(visibleText(move.page.text)).toContain('2 C 所在县（市、区） 名录中该单位属于海宁市');
  expect(
    (await other.agent.post(`/bureau/register/imports/${move.id}/confirm`).type('form').send({ _csrf: other.csrf }))
      .status,
  ).toBe(409);
  expect((await t.services.register.list(2024, '海宁市')).map((x) => x.name)).toContain('海宁市丙公司');
});

test('units one by one: checked as a row is, within the officer’s county, edited with the change audited', async () => {
  const officer = await login(t.app, 'officer.haining');
  const bad = await officer.agent.post('/bureau/register/units').type('form').send({
    _csrf: officer.csrf,
    year: '2023',
    uscc: '91330481MA2B3C4D00',
    name: '',
    county: '海宁市',
    unitType: '公司',
  });
  expect(bad.status).toBe(422);
  const text = visibleText(bad.text);
  expect(text).toContain('统一社会信用代码：统一社会信用代码校验位错误');
  expect(text).toContain('单位名称：此项必填，请补充');
  expect(text).toContain('单位类型：单位类型须为以下之一');
  const elsewhere = await officer.agent
    .post('/bureau/register/units')
    .type('form')
    .send({
      _csrf: officer.csrf,
      year: '2023',
      uscc: u('QNW000001'),
      name: '外县公司',
      county: '桐乡市',
      unitType: '企业',
    });
  expect(elsewhere.status).toBe(422);
  const ok = await officer.agent
    .post('/bureau/register/units')
    .type('form')
    .send({
      _csrf: officer.csrf,
      year: '2023',
      uscc: u('QNW000001'),
      name: '逐个添加公司',
      county: '海宁市',
      unitType: '企业',
    });
  expect(ok.status).toBe(303);
  const unit = (await t.services.register.list(2023, '海宁市'))[0];
  expect(unit.name).toBe('逐个添加公司');
  const twice = await officer.agent
    .post('/bureau/register/units')
    .type('form')
    .send({
      _csrf: officer.csrf,
      year: '2023',
      uscc: u('QNW000001'),
      name: '再加',
      county: '海宁市',
      unitType: '企业',
    });
  expect(twice.status).toBe(409);
  const edit = await officer.agent.post(`/bureau/register/units/${unit.id}`).type('form').send({
    _csrf: officer.csrf,
    uscc: unit.uscc,
    name: '逐个添加公司',
    county: '海宁市',
    unitType: '企业',
    contactName: '赵',
    contactPhone: '13800000000',
  });
  expect(edit.status).toBe(303);
  expect((await t.services.register.unit(unit.id))!.contact_phone).toBe('13800000000');
  const audit = await t.db('audit_log').where({ action: 'register.unit-updated' }).first();
  expect(JSON.parse(audit.detail_json ?? audit.detail ?? '{}')).toMatchObject({
    fields: ['contact_name', 'contact_phone'],
  });
});

test('letters as CSV for mail merge: a BOM, the formula guard, every unit of the county', async () => {
  const admin = await login(t.app, 'admin');
  await t.services.register.addUnit({ id: 1, username: 'admin' }, 2022, {
    uscc: u('FML000001'),
    name: '=HYPERLINK("x")公司',
    county: '平湖市',
    unit_type: '企业',
    contact_name: null,
    contact_phone: null,
  });
  const res = await admin.agent
    .post('/bureau/register/letters')
    .type('form')
    .send({ _csrf: admin.csrf, year: '2022', county: '平湖市', format: 'csv' })
    .buffer(true)
    .parse((r, cb) => {
      const c: Buffer[] = [];
      r.on('data', (d: Buffer) => c.push(d));
      r.on('end', () => cb(null, Buffer.concat(c)));
    });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/text\/csv/);
  const body = res.body as Buffer;
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = body.toString('utf8').slice(1).trim().split('\r\n');
  expect(lines[0]).toBe('单位名称,统一社会信用代码,所在县（市、区）,开通码,有效期至,网址,联系人,联系电话');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/^"'=HYPERLINK\(""x""\)公司",/);
  expect(lines[1]).toMatch(/,[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4},\d{4}年\d{1,2}月\d{1,2}日,http/);
});

test('a re-issued code replaces the old one; activation keeps to the password policy', async () => {
  const admin = { id: 1, username: 'admin' };
  await t.services.register.addUnit(admin, 2021, {
    uscc: u('RER000001'),
    name: '重发公司',
    county: '南湖区',
    unit_type: '企业',
    contact_name: null,
    contact_phone: null,
  });
  const unit = (await t.services.register.list(2021, '南湖区'))[0];
  const [old] = await t.services.register.issueActivation(admin, [unit]);
  const officer = await login(t.app, 'officer.nanhu');
  const page = await officer.agent
    .post(`/bureau/register/units/${unit.id}/letter`)
    .type('form')
    .send({ _csrf: officer.csrf });
  const fresh = /class="code letter-code">([^<]+)</.exec(page.text)![1];
  expect(fresh).not.toBe(old.code);
  const form = {
    uscc: unit.uscc,
    username: 'reissue.user',
    displayName: '用户',
    password: 'a good long password',
    confirm: 'a good long password',
  };
  expect((await tryActivate({ ...form, code: old.code }, '192.0.2.10')).status).toBe(422);
  const weak = await tryActivate({ ...form, code: fresh, password: 'short', confirm: 'short' }, '192.0.2.10');
  expect(weak.status).toBe(422);
  expect(visibleText(weak.text)).toContain('至少 12 个字符');
  const ok = await tryActivate({ ...form, code: fresh }, '192.0.2.10');
  expect(ok.status).toBe(303);
});

test('activation is rate limited per unit (from any address) and per address (for any unit)', async () => {
  const admin = { id: 1, username: 'admin' };
  await t.services.register.addUnit(admin, 2020, {
    uscc: u('LMT000001'),
    name: '限速公司',
    county: '嘉善县',
    unit_type: '企业',
    contact_name: null,
    contact_phone: null,
  });
  const unit = (await t.services.register.list(2020, '嘉善县'))[0];
  const [letter] = await t.services.register.issueActivation(admin, [unit]);
  const form = {
    uscc: unit.uscc,
    username: 'limit.user',
    displayName: '用户',
    password: 'a good long password',
    confirm: 'a good long password',
  };
  // wrong codes from different addresses: the unit's limit is reached, and then even its right code waits
  for (let i = 0; i < ACTIVATION_LIMITS.perUnit; i++)
    expect((await tryActivate({ ...form, code: 'WRONG-CODE' }, `198.18.0.${i + 1}`)).status).toBe(422);
  const limited = await tryActivate({ ...form, code: letter.code }, '198.18.1.1');
  expect(limited.status).toBe(429);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  // one address trying many units
  for (let i = 0; i < ACTIVATION_LIMITS.perAddress; i++)
    expect(
      (await tryActivate({ ...form, uscc: u(`ADR${String(i).padStart(6, '0')}`), code: 'WRONG' }, '198.18.2.2')).status,
    ).toBe(422);
  expect((await tryActivate({ ...form, uscc: u('ADR999999'), code: 'WRONG' }, '198.18.2.2')).status).toBe(429);
  // no code reached the log
  expect(t.logs.join('\n')).not.toContain(letter.code);
});
