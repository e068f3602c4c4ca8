/** POST /api/check: taxForm in the result, socialAverageWage and alreadyPaid given by the caller. */
import request from 'supertest';
import { join } from 'node:path';
import { writeSimpleWorkbook } from '../helpers/demo-workbooks';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

test('socialAverageWage caps the wage base; taxForm follows; alreadyPaid goes to column 11', async () => {
  const file = join(t.dataDir, 'rich.xlsx');
  await writeSimpleWorkbook(file, 100, 0, { '上年工资总额（元）': 30_000_000 });
  const plain = await request(t.app).post('/api/check').attach('file', file, 'rich.xlsx');
  expect(plain.status).toBe(200);
  expect(plain.body.levy).toMatchObject({ full: 450000, payable: 405000 });
  expect(plain.body.taxForm).toMatchObject({ col8: 300000, col9: 450000, provisional: true });

  const capped = await request(t.app)
    .post('/api/check')
    .field('socialAverageWage', '96000')
    .field('alreadyPaid', '100000')
    .attach('file', file, 'rich.xlsx');
  expect(capped.status).toBe(200);
  expect(capped.body.annual.wageBase).toBe(192000);
  expect(capped.body.levy).toMatchObject({ full: 288000, payable: 259200 });
  expect(capped.body.taxForm).toMatchObject({
    col4: 30000000,
    col5: 100,
    col7: 0,
    col8: 192000,
    col9: 288000,
    col10: 28800,
    reductionCode: '35013601',
    col11: 100000,
    col12: 159200,
    provisional: false,
  });
});

test('a socialAverageWage that is not an amount is refused, naming the field', async () => {
  const file = join(t.dataDir, 'small.xlsx');
  await writeSimpleWorkbook(file, 99, 1);
  const res = await request(t.app)
    .post('/api/check')
    .field('socialAverageWage', '9.6万')
    .attach('file', file, 'small.xlsx');
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body)).toContain('socialAverageWage');
});
