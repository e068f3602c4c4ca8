/** The JSON API: the stateless calculator, parameters, OpenAPI. */
import request from 'supertest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeSimpleWorkbook } from '../helpers/demo-workbooks';
import { makeId } from '../helpers/people';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ maxUploadBytes: 200_000 });
});
afterAll(async () => {
  await t.close();
});

test('POST /api/check returns the docs/rules.md §10 result and stores nothing', async () => {
  const file = join(t.dataDir, 'ok.xlsx');
  await writeSimpleWorkbook(file, 99, 1);
  const uploadsBefore = await t.db('uploads').count('id as n').first();
  const res = await request(t.app).post('/api/check').attach('file', file, '名册.xlsx');
  expect(res.status).toBe(200);
  expect(res.body.levy).toEqual({
    full: 36000,
    rate: 0.5,
    payable: 18000,
    collectionYear: 2026,
    collectionDate: '2026-06-30',
    exemption: null,
  });
  expect(res.body.months).toHaveLength(12);
  expect(await t.db('uploads').count('id as n').first()).toEqual(uploadsBefore);
  expect(readdirSync(join(t.dataDir, 'tmp'))).toEqual([]);
});

test('422 with problems for a bad workbook or a wrong file type; 413 when too large', async () => {
  const bad = await request(t.app).post('/api/check?lang=en').attach('file', Buffer.from('hello'), 'notes.xlsx');
  expect(bad.status).toBe(422);
  expect(bad.body.problems[0]).toMatchObject({
    code: 'file/not-xlsx',
    message: expect.stringContaining('not a valid .xlsx'),
  });
  const big = await request(t.app).post('/api/check').attach('file', Buffer.alloc(300_000, 1), 'big.xlsx');
  expect(big.status).toBe(413);
  const none = await request(t.app).post('/api/check').field('name', 'x');
  expect(none.status).toBe(400);
});

test('a CSV roster with the employer fields', async () => {
  const rows = [
    '姓名,身份证号,入职日期,月工资',
    ...Array.from({ length: 30 }, (_, i) => `员工${i},${makeId('1990-01-01', 'M', '330481', i)},2020-01-01,6000`),
  ];
  const res = await request(t.app)
    .post('/api/check')
    .field('name', 'CSV公司')
    .field('uscc', '91350100M000100Y43')
    .field('county', '海宁市')
    .field('unitType', '企业')
    .field('founded', '2010-01-01')
    .field('year', '2025')
    .attach('file', Buffer.from(rows.join('\n')), 'roster.csv');
  expect(res.status).toBe(200);
  expect(res.body.quota.status).toBe('exempt');
  expect(res.body.levy.exemption).toBe('small-enterprise');
});

test('a CSV roster without an employer field is answered with the form field to send, never a command-line flag', async () => {
  const rows = [
    '姓名,身份证号,入职日期,月工资',
    ...Array.from({ length: 30 }, (_, i) => `员工${i},${makeId('1990-01-01', 'M', '330481', i)},2020-01-01,6000`),
  ];
  const res = await request(t.app)
    .post('/api/check')
    .field('name', 'CSV公司')
    .field('county', '海宁市')
    .field('unitType', '企业')
    .field('founded', '2010-01-01')
    .field('year', '2025')
    .attach('file', Buffer.from(rows.join('\n')), 'roster.csv');
  const text = JSON.stringify(res.body);
  expect(res.body.problems.filter((p: { code: string }) => p.code === 'csv/employer-request-field')).toEqual([
    expect.objectContaining({ message: expect.stringContaining('缺少表单字段 uscc') }),
  ]);
  expect(text).not.toContain('--uscc');
  expect(text).not.toContain('csv/employer-flag');
});

test('parameters and the OpenAPI document', async () => {
  const p = await request(t.app).get('/api/parameters?date=2026-03-01');
  expect(
    p.body.parameters.find((x: { id: string; key: string }) => x.id === 'min-wage' && x.key === '2'),
  ).toMatchObject({ value: 2430, source: '浙政发〔2025〕23号' });
  const o = await request(t.app).get('/api/openapi.json');
  expect(o.body.openapi).toBe('3.0.3');
  expect(Object.keys(o.body.paths)).toEqual(
    expect.arrayContaining(['/api/check', '/api/parameters', '/api/submissions']),
  );
});
