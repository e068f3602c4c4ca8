/** Administrators add dated parameter values (validated, audited); the audit chain detects tampering. */
import { verifyAudit } from '../../db/stores/audit';
import { decoded, login, testApp, type TestApp } from '../helpers/app';
import { main } from '../../server/cli';
import { shippedParameters } from '../../server/params/load-parameters';
import { supportedYears } from '../../server/rules/parameters/lookup';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

test('a new minimum wage is added without a code change, used at once, and audited', async () => {
  const { agent, csrf } = await login(t.app, 'admin');
  // the year after the latest minimum wage shipped, whatever that is
  const next = supportedYears(shippedParameters()).last + 1;
  const form = {
    _csrf: csrf,
    paramId: 'min-wage',
    key: '2',
    from: `${next}-01-01`,
    value: '2600',
    source: '浙政发〔2026〕99号（测试）',
  };
  const ok = await agent.post('/bureau/parameters?lang=zh').type('form').send(form);
  expect(ok.status).toBe(303);
  const page = await agent.get(ok.headers.location);
  expect(page.text).toContain('浙政发〔2026〕99号（测试）');
  expect((await t.services.params.current()).at('min-wage', `${next}-06-30`, '2').value).toBe(2600);
  const dup = await agent.post('/bureau/parameters').type('form').send(form);
  expect(dup.status).toBe(422);
  expect(decoded(dup.text)).toContain(`<strong>生效日期</strong>：与已有的值重叠：同一分项已有自 ${next}-01-01 起的值`);
  const shape = await agent
    .post('/bureau/parameters')
    .type('form')
    .send({ ...form, from: `${next + 1}-01-01`, value: 'abc' });
  expect(shape.status).toBe(422);
  expect(decoded(shape.text)).toContain('<strong>数值</strong>：请填写数字');
  const noSource = await agent
    .post('/bureau/parameters')
    .type('form')
    .send({ ...form, from: `${next + 1}-01-01`, source: ' ' });
  expect(noSource.status).toBe(422);
  expect(decoded(noSource.text)).toContain('<strong>来源（文件号或公布单位）</strong>：请注明来源');
  expect(noSource.text).not.toMatch(/\(JSON\)|\{&quot;|\{"/); // no code or JSON put before the administrator
  const entry = await t.db('audit_log').where({ action: 'parameter.add' }).first();
  expect(JSON.parse(entry.detail_json)).toMatchObject({ from: `${next}-01-01`, value: 2600, key: '2' });
});

test("a value with parts is entered field by field, checked by the parameter files' schema, and refused naming the field", async () => {
  const { agent, csrf } = await login(t.app, 'admin');
  const form = await agent.get('/bureau/parameters?add=land-use-tax-relief&lang=en');
  const page = decoded(form.text);
  expect(page).toContain('<label for="pv-value-ratio">Ratio (%)</label>');
  expect(page).toContain('<label for="pv-value-minPersons">Minimum persons</label>');
  expect(page).not.toMatch(/\(JSON\)|land-use-tax-relief</);
  const base = {
    _csrf: csrf,
    paramId: 'land-use-tax-relief',
    from: '2040-01-01',
    source: '浙财税政〔2040〕1号（测试）',
  };
  const bad = await agent
    .post('/bureau/parameters?lang=en')
    .type('form')
    .send({ ...base, 'value.ratio': '150', 'value.minPersons': '1.5' });
  expect(bad.status).toBe(422);
  const text = decoded(bad.text);
  expect(text).toContain('<strong>Ratio</strong>: Must not be more than 100 %; correct it.');
  expect(text).toContain('<strong>Minimum persons</strong>: Enter a whole number.');
  expect(text).toContain('value="1.5"'); // what was typed stays in the form to be corrected
  expect((await t.services.params.current()).at('land-use-tax-relief', '2040-06-30').source).not.toContain('2040');
  const ok = await agent
    .post('/bureau/parameters?lang=zh')
    .type('form')
    .send({ ...base, 'value.ratio': '20', 'value.minPersons': '12' });
  expect(ok.status).toBe(303);
  expect((await t.services.params.current()).at('land-use-tax-relief', '2040-06-30').value).toEqual({
    ratio: 0.2,
    minPersons: 12,
  });
  const shown = decoded((await agent.get(ok.headers.location)).text);
  expect(shown).toContain('比例：20 %；最少人数：12');
  const entry = await t.db('audit_log').where({ action: 'parameter.add', target: 'land-use-tax-relief' }).first();
  expect(JSON.parse(entry.detail_json)).toMatchObject({ from: '2040-01-01', value: { ratio: 0.2, minPersons: 12 } });
});

test('the audit page says each entry in words, with Beijing times', async () => {
  const { agent } = await login(t.app, 'admin');
  const zh = decoded((await agent.get('/bureau/audit?lang=zh')).text);
  const title = (await t.services.params.current()).definition('land-use-tax-relief').title.zh;
  expect(zh).toContain(`<td data-label="操作">新增政策参数值</td><td data-label="对象">${title}</td>`);
  expect(zh).toContain('<td data-label="操作">登录</td>');
  expect(zh).not.toMatch(/auth\.login|parameter\.add|land-use-tax-relief|\d{4}-\d{2}-\d{2}T\d/);
  const en = decoded((await agent.get('/bureau/audit?lang=en')).text);
  expect(en).toContain('<th scope="col">Action</th>');
  expect(en).toContain('<td data-label="Action">parameter value added</td>');
});

test('the audit chain verifies, and an altered or removed row is detected', async () => {
  expect((await verifyAudit(t.db)).ok).toBe(true);
  const rows = await t.db('audit_log').orderBy('id');
  expect(rows.length).toBeGreaterThan(3);
  const victim = rows[2];
  await t.db('audit_log').where({ id: victim.id }).update({ actor: 'someone-else' });
  expect(await verifyAudit(t.db)).toMatchObject({
    ok: false,
    brokenAt: victim.id,
    reason: expect.stringContaining('altered'),
  });
  await t.db('audit_log').where({ id: victim.id }).update({ actor: victim.actor });
  expect((await verifyAudit(t.db)).ok).toBe(true);
  await t.db('audit_log').where({ id: rows[1].id }).delete();
  expect(await verifyAudit(t.db)).toMatchObject({
    ok: false,
    brokenAt: rows[2].id,
    reason: expect.stringContaining('removed'),
  });
});

test('quota audit verify exits 2 and names the entry where the chain breaks', async () => {
  if (process.env.DATABASE_URL) return; // the CLI reads DATA_DIR; this check runs on the SQLite pass
  const prev = process.env.DATA_DIR;
  process.env.DATA_DIR = t.dataDir;
  let out = '';
  const io = {
    out: (s: string) => {
      out += s;
    },
    err: () => undefined,
    isTTY: false,
  };
  try {
    await t.db.destroy();
    const code = await main(['audit', 'verify'], io);
    expect(out).toMatch(/BROKEN at entry \d+/);
    expect(code).toBe(2);
  } finally {
    process.env.DATA_DIR = prev;
  }
});
