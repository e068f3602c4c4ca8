/**
 * Ratios on the administration form are entered and shown as percentages (1.5 for 1.5 %) and stored
 * exactly as the parameter files write them (0.015); refusals speak in percentages, in the page's language.
 */
import { shippedParameters } from '../../server/params/load-parameters';
import {
  formFromValue,
  percentAsRatio,
  ratioAsPercent,
  valueFields,
  valueFormProblems,
  valueFromForm,
} from '../../server/params/form';
import { decoded, login, testApp, type TestApp } from '../helpers/app';

test('a percentage and its ratio convert exactly, with no floating-point residue', () => {
  expect(ratioAsPercent(0.015)).toBe('1.5');
  expect(ratioAsPercent(0.0005)).toBe('0.05');
  expect(ratioAsPercent(0.5)).toBe('50');
  expect(ratioAsPercent(1)).toBe('100');
  expect(ratioAsPercent(0)).toBe('0');
  expect(ratioAsPercent(0.07)).toBe('7'); // 0.07 × 100 is 7.000000000000001 in floating point
  expect(percentAsRatio('1.5')).toBe(0.015);
  expect(percentAsRatio('1.5 %')).toBe(0.015);
  expect(percentAsRatio('1.5％')).toBe(0.015);
  expect(percentAsRatio('0.05')).toBe(0.0005);
  expect(percentAsRatio('7')).toBe(0.07);
  expect(percentAsRatio('.5')).toBe(0.005);
  expect(percentAsRatio('100')).toBe(1);
  expect(percentAsRatio('lots')).toBe('lots');
});

test('every ratio shipped goes to the form as a percentage and comes back as the same number', () => {
  const p = shippedParameters();
  let ratios = 0;
  for (const def of p.definitions()) {
    const fields = valueFields(def.id);
    for (const v of def.values) {
      const form = formFromValue(def.id, v.value);
      for (const f of fields.filter((x) => x.kind === 'percent')) {
        ratios++;
        expect(form[f.name]).toMatch(/^\d+(\.\d+)?$/);
      }
      if (fields.some((x) => x.kind === 'percent')) expect(valueFromForm(def.id, form)).toEqual(v.value);
    }
  }
  expect(ratios).toBeGreaterThan(5);
  expect(valueFields('quota-ratio').map((f) => f.kind)).toEqual(['percent']);
  expect(valueFields('levy-reduction').map((f) => f.kind)).toEqual(['percent', 'percent', 'percent']);
  expect(valueFields('late-fee')[0].kind).toBe('percent');
  expect(valueFields('min-wage')[0].kind).toBe('number');
});

test('a ratio out of range or not a number is refused in percentages, in each language', () => {
  expect(valueFormProblems('quota-ratio', percentAsRatio('150'), 'zh')).toEqual([
    { field: '数值', message: '不能大于 100 %，请改正。' },
  ]);
  expect(valueFormProblems('quota-ratio', percentAsRatio('150'), 'en')[0].message).toBe(
    'Must not be more than 100 %; correct it.',
  );
  expect(valueFormProblems('quota-ratio', percentAsRatio('-1'), 'en')[0].message).toBe(
    'Must not be less than 0 %; correct it.',
  );
  expect(valueFormProblems('quota-ratio', percentAsRatio('一点五'), 'zh')[0].message).toBe(
    '请填写百分数，例如 1.5（即 1.5%）。',
  );
  expect(valueFormProblems('quota-ratio', percentAsRatio('x'), 'en')[0].message).toBe(
    'Enter a percentage, e.g. 1.5 for 1.5 %.',
  );
});

describe('on the page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test('the officer types 1.5 and the table holds 0.015; the page shows 1.5 %', async () => {
    const { agent, csrf } = await login(t.app, 'admin');
    const zh = decoded((await agent.get('/bureau/parameters?add=quota-ratio&lang=zh')).text);
    expect(zh).toContain('<label for="pv-value">数值（%）</label>');
    expect(zh).toContain('比例按百分数填写：1.5% 填 1.5。');
    expect(zh).toMatch(/现行值：1\.5 %（自 /);
    const en = decoded((await agent.get('/bureau/parameters?add=quota-ratio&lang=en')).text);
    expect(en).toContain('<label for="pv-value">Value (%)</label>');
    expect(en).toContain('Enter a ratio as a percentage: 1.5 for 1.5 %.');
    expect(en).not.toMatch(/0\.015/);
    const form = { _csrf: csrf, paramId: 'quota-ratio', from: '2041-01-01', source: '测试文件（测试）' };
    const bad = await agent
      .post('/bureau/parameters?lang=en')
      .type('form')
      .send({ ...form, value: '150' });
    expect(bad.status).toBe(422);
    expect(decoded(bad.text)).toContain('<strong>Value</strong>: Must not be more than 100 %; correct it.');
    expect(decoded(bad.text)).toContain('value="150"');
    const ok = await agent
      .post('/bureau/parameters?lang=zh')
      .type('form')
      .send({ ...form, value: '1.7' });
    expect(ok.status).toBe(303);
    expect((await t.services.params.current()).at('quota-ratio', '2041-06-30').value).toBe(0.017);
    const row = await t.db('parameter_values').where({ param_id: 'quota-ratio', from: '2041-01-01' }).first();
    expect(row.value_json).toBe('0.017');
  });
});
