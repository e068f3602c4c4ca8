/**
 * The parameter service refuses a value naming the field and what to do, in each language through the
 * catalogue — never a bilingual "中文 / English" string or the table's own words — so the administration
 * form and the social average wage form show the refusal in the page's language only.
 */
import { shippedParameters } from '../../server/params/load-parameters';
import { supportedYears } from '../../server/rules/parameters/lookup';
import { t as tr } from '../../server/i18n/t';
import { decoded, login, testApp, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: { id: number; username: string };
beforeAll(async () => {
  t = await testApp();
  admin = await t.db('users').where({ username: 'admin' }).first();
});
afterAll(async () => {
  await t.close();
});

const next = supportedYears(shippedParameters()).last + 1;

test('each refusal names its field and says what to do, in Chinese and in English', async () => {
  const out = await t.services.params.add(admin, {
    paramId: 'min-wage',
    key: '2',
    from: `${next}-13-01`,
    to: `${next}-02-30`,
    value: 'abc',
    source: ' ',
  });
  expect(out.ok).toBe(false);
  if (out.ok) return;
  expect(out.problems).toEqual([
    {
      field: { zh: tr('bureau.parameters.field.from', 'zh'), en: tr('bureau.parameters.field.from', 'en') },
      message: { zh: tr('bureau.parameters.err.date', 'zh'), en: tr('bureau.parameters.err.date', 'en') },
    },
    {
      field: { zh: tr('bureau.parameters.field.to', 'zh'), en: tr('bureau.parameters.field.to', 'en') },
      message: { zh: tr('bureau.parameters.err.date', 'zh'), en: tr('bureau.parameters.err.date', 'en') },
    },
    {
      field: { zh: tr('bureau.parameters.field.source', 'zh'), en: tr('bureau.parameters.field.source', 'en') },
      message: { zh: tr('bureau.parameters.err.source', 'zh'), en: tr('bureau.parameters.err.source', 'en') },
    },
    {
      field: { zh: tr('bureau.parameters.field.value', 'zh'), en: tr('bureau.parameters.field.value', 'en') },
      message: { zh: tr('bureau.parameters.err.number', 'zh'), en: tr('bureau.parameters.err.number', 'en') },
    },
  ]);
  for (const p of out.problems) {
    expect(p.message.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(p.message.en).not.toMatch(/[\u4e00-\u9fff]/);
  }
});

test('a value whose dates clash with an existing one is refused with the existing value named, not the table text', async () => {
  const v = { paramId: 'min-wage', key: '2', from: `${next}-01-01`, value: 2600, source: '浙政发〔2026〕99号（测试）' };
  expect(await t.services.params.add(admin, v)).toEqual({ ok: true });
  const again = await t.services.params.add(admin, { ...v, from: `${next}-01-01` });
  expect(again).toEqual({
    ok: false,
    problems: [
      {
        field: { zh: '生效日期', en: tr('bureau.parameters.field.from', 'en') },
        message: {
          zh: tr('bureau.parameters.err.overlap', 'zh', { from: `${next}-01-01` }),
          en: tr('bureau.parameters.err.overlap', 'en', { from: `${next}-01-01` }),
        },
      },
    ],
  });
  // a value ending after the next one starts clashes too
  const earlier = await t.services.params.add(admin, { ...v, from: `${next - 1}-12-01`, to: `${next}-03-31` });
  expect(earlier.ok).toBe(false);
  // another tier, or a later start, is fine
  expect((await t.services.params.add(admin, { ...v, key: '3' })).ok).toBe(true);
  expect((await t.services.params.add(admin, { ...v, from: `${next}-07-01` })).ok).toBe(true);
});

test('the social average wage form shows a refused second value of a year in the page language only', async () => {
  const { agent, csrf } = await login(t.app, 'admin');
  const form = { _csrf: csrf, year: String(next), amount: '120000', source: '嘉兴市统计局（测试值）' };
  expect((await agent.post('/bureau/social-average-wage?lang=en').type('form').send(form)).status).toBe(200);
  const twice = await agent.post('/bureau/social-average-wage?lang=en').type('form').send(form);
  expect(twice.status).toBe(422);
  const en = decoded(twice.text);
  expect(en).toContain(tr('bureau.parameters.err.overlap', 'en', { from: `${next}-01-01` }));
  expect(en).not.toContain('two values from');
  expect(en).not.toContain('与已有的值重叠');
  const zh = decoded((await agent.post('/bureau/social-average-wage?lang=zh').type('form').send(form)).text);
  expect(zh).toContain(tr('bureau.parameters.err.overlap', 'zh', { from: `${next}-01-01` }));
  expect(zh).not.toContain(tr('bureau.parameters.err.overlap', 'en', { from: `${next}-01-01` }));
});
