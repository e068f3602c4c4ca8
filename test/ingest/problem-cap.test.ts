/**
 * Problems are data (a code with parameters, place, masked employee), stored without their message and
 * rendered in the reader's language; a list keeps at most PROBLEM_CAP of them and counts them all.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from '../../server/ingest';
import { message } from '../../server/ingest/messages';
import { PROBLEM_CAP, ProblemList } from '../../server/ingest/problem';
import { shippedParameters } from '../../server/params/load-parameters';
import { evaluateUpload } from '../../server/services/evaluate-upload';
import { parseStoredResult, problemsIn, RESULT_VERSION, resultIn } from '../../reports/stored-result';
import { employerSheet, USCC_A } from '../helpers/demo-workbooks';
import { makeId } from '../helpers/people';
import { rosterRows, writeWorkbook } from '../helpers/workbook';

const dir = mkdtempSync(join(tmpdir(), 'cap-'));
const params = shippedParameters();
/** 500 distinct IDs per birth date: the i-th employee of a large roster gets a distinct one. */
const idOf = (i: number) =>
  makeId(
    `19${60 + (Math.floor(i / 500 / 28) % 40)}-0${1 + (Math.floor(i / 500 / 28 / 40) % 9)}-${String(1 + (Math.floor(i / 500) % 28)).padStart(2, '0')}`,
    'M',
    '330481',
    i % 500,
  );

test('a list keeps errors before other problems, counts every one by code and severity', () => {
  const list = new ProblemList('zh', 3);
  for (let i = 0; i < 5; i++) list.notice('header/unknown-column', '职工名册', `A${i + 1}`, { column: `x${i}` });
  list.error('cell/required', '职工名册', 'B9', { column: '姓名' });
  list.error('cell/required', '职工名册', 'B10', { column: '姓名' });
  expect(list.items.map((p) => `${p.severity} ${p.cell}`)).toEqual(['notice A1', 'error B9', 'error B10']);
  expect(list.totals).toEqual({
    count: 7,
    kept: 3,
    byCode: { 'header/unknown-column': 5, 'cell/required': 2 },
    bySeverity: { error: 2, warning: 0, notice: 5 },
  });
  expect(list.hasErrors).toBe(true);
  for (let i = 0; i < 4; i++) list.error('cell/date', '职工名册', `E${i + 2}`, { column: '入职日期' });
  expect(list.items.every((p) => p.severity === 'error')).toBe(true);
  expect(list.items).toHaveLength(3);
  expect(list.totals.count).toBe(11);
});

test('a problem carries its code, parameters, row, column and the masked employee; the message comes from them', async () => {
  const file = join(dir, 'one.xlsx');
  const roster = rosterRows(
    ['姓名', '身份证号', '入职日期', '月工资（元）'],
    [
      {
        姓名: '欧阳娜娜',
        身份证号: makeId('1990-01-01', 'F', '330481', 1),
        入职日期: '2020年13月1日',
        '月工资（元）': 6000,
      },
    ],
  );
  await writeWorkbook(file, [
    { name: '单位信息', rows: employerSheet() },
    { name: '职工名册', rows: roster },
  ]);
  const r = await ingestFile(file, { fileName: 'one.xlsx', params, today: '2026-11-28' });
  expect(r.problems).toEqual([
    {
      sheet: '职工名册',
      cell: 'C2',
      row: 2,
      column: 'C',
      severity: 'error',
      code: 'cell/date',
      params: { column: '入职日期' },
      employee: '欧***',
      value: '2020年13月1日',
      message: message('cell/date', { column: '入职日期' }, 'zh'),
    },
  ]);
  expect(JSON.stringify(r.problems)).not.toContain('欧阳娜娜');
});

test('a 50,000-row roster with a bad column: at most the cap stored, every problem counted, under 1 MB', async () => {
  const file = join(dir, 'big.csv');
  const rows = ['姓名,身份证号,入职日期,月工资'];
  for (let i = 0; i < 50_000; i++) rows.push(`职工${i},${idOf(i)},入职日期不详,6000`);
  writeFileSync(file, rows.join('\n'));
  const csvFields = {
    name: '某公司',
    uscc: USCC_A,
    county: '海宁市',
    unitType: '企业',
    founded: '2015-06-01',
    year: '2025',
  };
  const ingested = await ingestFile(file, { fileName: 'big.csv', params, employerFields: csvFields });
  expect(ingested.rowsRead).toBe(50_000);
  expect(ingested.problems).toHaveLength(PROBLEM_CAP);
  expect(ingested.problemTotals).toMatchObject({
    count: 50_000,
    kept: PROBLEM_CAP,
    byCode: { 'cell/date': 50_000 },
    bySeverity: { error: 50_000 },
  });

  // the stored result of the same roster uploaded as a workbook
  const xlsx = join(dir, 'big.xlsx');
  const roster = rosterRows(
    ['姓名', '身份证号', '入职日期', '月工资（元）'],
    Array.from({ length: 50_000 }, (_, i) => ({
      姓名: `职工${i}`,
      身份证号: idOf(i),
      入职日期: '入职日期不详',
      '月工资（元）': 6000,
    })),
  );
  await writeWorkbook(xlsx, [
    { name: '单位信息', rows: employerSheet() },
    { name: '职工名册', rows: roster },
  ]);
  const out = await evaluateUpload(
    { path: xlsx, fileName: 'big.xlsx', lang: 'zh', employerUscc: USCC_A, secret: 's' },
    params,
    () => undefined,
  );
  expect(out.hasErrors).toBe(true);
  expect(out.errorCount).toBe(50_000);
  expect(Buffer.byteLength(out.resultJson)).toBeLessThan(1024 * 1024);
  const stored = parseStoredResult(out.resultJson);
  expect(stored.version).toBe(RESULT_VERSION);
  expect(stored.problems).toHaveLength(PROBLEM_CAP);
  expect(stored.problemTotals).toMatchObject({ count: 50_000, kept: PROBLEM_CAP, byCode: { 'cell/date': 50_000 } });
});

test("stored without messages, rendered in the reader's language; a stored result without a version still reads", async () => {
  const file = join(dir, 'lang.xlsx');
  const roster = rosterRows(
    ['姓名', '身份证号', '入职日期', '月工资（元）'],
    [{ 姓名: '甲', 身份证号: '12345', 入职日期: '2020-01-01', '月工资（元）': 6000 }],
  );
  await writeWorkbook(file, [
    { name: '单位信息', rows: employerSheet() },
    { name: '职工名册', rows: roster },
  ]);
  const out = await evaluateUpload(
    { path: file, fileName: 'lang.xlsx', lang: 'zh', employerUscc: USCC_A, secret: 's' },
    params,
    () => undefined,
  );
  const raw = JSON.parse(out.resultJson);
  expect(raw.resultVersion).toBe(RESULT_VERSION);
  expect(raw.problems[0]).not.toHaveProperty('message');
  const stored = parseStoredResult(out.resultJson);
  expect(problemsIn(stored, 'en')[0].message).toBe(message('cell/id-format', {}, 'en'));
  expect(problemsIn(stored, 'zh')[0].message).toBe(message('cell/id-format', {}, 'zh'));
  expect(resultIn(stored, 'en')).toEqual({ problems: problemsIn(stored, 'en'), problemTotals: stored.problemTotals });

  // a result stored before versions: its messages are kept as they were, its totals counted on reading
  const v1 = JSON.stringify({
    problems: [{ sheet: '职工名册', cell: 'B2', severity: 'error', code: 'cell/x-retired', message: '旧的说明' }],
  });
  const old = parseStoredResult(v1);
  expect(old.version).toBe(1);
  expect(problemsIn(old, 'en')).toEqual([
    { sheet: '职工名册', cell: 'B2', severity: 'error', code: 'cell/x-retired', message: '旧的说明' },
  ]);
  expect(old.problemTotals).toEqual({
    count: 1,
    kept: 1,
    byCode: { 'cell/x-retired': 1 },
    bySeverity: { error: 1, warning: 0, notice: 0 },
  });
  expect(() => parseStoredResult(JSON.stringify({ resultVersion: RESULT_VERSION + 1, problems: [] }))).toThrow(/newer/);
});
