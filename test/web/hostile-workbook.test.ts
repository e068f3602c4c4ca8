/**
 * A workbook whose central directory lies (a part declared as 1,000 bytes that inflates to 400 MB) and
 * one with a local entry the directory does not list, sent as an anonymous /api/check and as an
 * employer upload: each is refused with its problem (4xx on the API), and the app keeps answering.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { decoded, login, testApp, type TestApp } from '../helpers/app';
import { lyingSharedStrings, rawXlsx } from '../helpers/zip';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const lying = () => lyingSharedStrings(400).zip;
const unlisted = () =>
  rawXlsx({
    sheets: [
      { name: '单位信息', xml: '' },
      { name: '职工名册', xml: '' },
    ],
    extra: [{ name: 'xl/worksheets/sheet9.xml', data: Buffer.from('<worksheet/>'), unlisted: true }],
  });

test('POST /api/check: 422 with file/zip-bomb and file/zip-mismatch; /healthz still answers', async () => {
  const bomb = await request(t.app).post('/api/check').attach('file', lying(), 'roster.xlsx');
  expect(bomb.status).toBe(422);
  expect(bomb.body.problems).toEqual([expect.objectContaining({ code: 'file/zip-bomb' })]);
  const hidden = await request(t.app).post('/api/check').attach('file', unlisted(), 'roster.xlsx');
  expect(hidden.status).toBe(422);
  expect(hidden.body.problems).toEqual([expect.objectContaining({ code: 'file/zip-mismatch' })]);
  expect((await request(t.app).get('/healthz')).status).toBe(200);
});

test('an employer upload of the lying workbook ends with the refusal on the upload page', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const path = join(t.dataDir, 'lying.xlsx');
  writeFileSync(path, lying());
  const up = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', path, '名册.xlsx');
  expect(up.status).toBe(303);
  let page = await agent.get(up.headers.location);
  for (let i = 0; i < 5 && page.status === 303; i++) page = await agent.get(page.headers.location);
  expect(page.status).toBe(200);
  expect(decoded(page.text)).toContain('出于安全考虑拒绝读取');
  expect(decoded(page.text)).toContain('超过上限 1000 B');
});
