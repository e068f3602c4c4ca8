/**
 * A workbook with 400,000 problems: the stored result, the result page and the anonymous
 * calculator all stay small — the first PROBLEM_CAP problems listed, every one counted — and the page
 * shows the problems in the reader's language, not the uploader's.
 */
import { join } from 'node:path';
import request from 'supertest';
import { findCheckByUpload } from '../../db/stores/checks';
import { message } from '../../server/ingest/messages';
import { PROBLEM_CAP } from '../../server/ingest/problem';
import { parseStoredResult } from '../../reports/stored-result';
import { decoded, login, testApp, type TestApp } from '../helpers/app';
import { employerSheet } from '../helpers/demo-workbooks';
import { writeWorkbook, type Rows } from '../helpers/workbook';

const USCC = '91330481MA2B3C4D01'; // employer.a of the demo data
const ROWS = 20_000;
const BAD = [
  '身份证号',
  '入职日期',
  '离职日期',
  '合同开始',
  '合同结束',
  '社保缴纳月份',
  '月工资（元）',
  ...Array.from({ length: 12 }, (_, i) => `${i + 1}月工资`),
  '残疾军人证等级',
];
const MB = 1024 * 1024;

let t: TestApp;
let file: string;
beforeAll(async () => {
  t = await testApp({ maxUploadBytes: 30 * MB });
  // every row wrong in each of BAD's 20 columns: 400,000 problems
  const rows: Rows = [['姓名', ...BAD]];
  for (let i = 0; i < ROWS; i++)
    rows.push([`职工${i}`, `x${i}`, 'd', 'd', 'd', 'd', '13', 'w', ...Array.from({ length: 12 }, () => 'w'), 'v']);
  file = join(t.dataDir, 'flood.xlsx');
  await writeWorkbook(
    file,
    [
      { name: '单位信息', rows: employerSheet({ 统一社会信用代码: USCC }) },
      { name: '职工名册', rows },
    ],
    { sharedStrings: false },
  );
}, 120_000);
afterAll(async () => {
  await t.close();
});

test("an upload with 400,000 problems stores the cap and the totals; its page stays small and speaks the reader's language", async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const up = await agent.post('/employer/uploads?lang=zh').set('x-csrf-token', csrf).attach('file', file, 'flood.xlsx');
  expect(up.status).toBe(303);
  const check = (await findCheckByUpload(t.db, /uploads\/([\w-]+)$/.exec(up.headers.location)![1]))!;
  expect(check.has_problems).toBeTruthy();
  expect(check.result_json.length).toBeLessThan(MB);
  const stored = parseStoredResult(check.result_json);
  expect(stored.problems).toHaveLength(PROBLEM_CAP);
  expect(stored.problemTotals.count).toBe(ROWS * BAD.length);
  expect(stored.problemTotals.byCode['cell/date']).toBe(ROWS * 4);

  const zh = decoded((await agent.get(`/employer/checks/${check.id}?lang=zh`)).text);
  expect(zh.length).toBeLessThan(2 * MB);
  expect(zh).toContain(`另有 ${ROWS * BAD.length - PROBLEM_CAP} 个问题未列出（共 ${ROWS * BAD.length} 个）`);
  expect(zh).toContain(message('cell/date', { column: '入职日期' }, 'zh'));
  // uploaded in Chinese, read in English: the messages follow the reader
  const en = decoded((await agent.get(`/employer/checks/${check.id}?lang=en`)).text);
  expect(en.length).toBeLessThan(2 * MB);
  expect(en).toContain(message('cell/date', { column: '入职日期' }, 'en'));
  expect(en).not.toContain(message('cell/date', { column: '入职日期' }, 'zh'));
  expect(en).toContain(`${ROWS * BAD.length - PROBLEM_CAP} more problems are not listed (${ROWS * BAD.length} in all)`);
}, 180_000);

test('the anonymous calculator answers the same workbook with the cap and the totals', async () => {
  const res = await request(t.app).post('/api/check?lang=en').attach('file', file, 'flood.xlsx');
  expect(res.status).toBe(422);
  expect(res.text.length).toBeLessThan(MB);
  expect(res.body.problems).toHaveLength(PROBLEM_CAP);
  expect(res.body.problemTotals).toMatchObject({ count: ROWS * BAD.length, kept: PROBLEM_CAP });
}, 180_000);
