/**
 * Totals by kind name each kind in words from the catalogue — on the problems page, in its CSV, in the
 * CLI text and in the API's totals (which keep the code for programs) — never by a problem code.
 */
import { join } from 'node:path';
import request from 'supertest';
import { formatProblems, formatResult } from '../../server/cli/format-text';
import { en } from '../../server/i18n/catalogue/en';
import { zhCN } from '../../server/i18n/catalogue/zh-CN';
import { kindTotals, problemKind } from '../../server/i18n/problems';
import { checkFile } from '../../server/services/check-file';
import { message, type MessageCode } from '../../server/ingest/messages';
import type { CheckResult, Problem } from '../../server/rules/result';
import { decoded, login, testApp, type TestApp } from '../helpers/app';
import { employerSheet, rosterSheet } from '../helpers/demo-workbooks';
import { writeWorkbook } from '../helpers/workbook';

/** A problem code as the pages must never show it: `cell/date`, `row/duplicate-id`, … */
const CODE = /\b(?:file|sheet|header|employer|row|cell|csv)\/[a-z-]+\b/;
/** What a person reads of a page: its text, without the markup (links name routes like /employer/checks). */
const words = (html: string) => html.replace(/<[^>]*>/g, ' ');

let t: TestApp;
let file: string;
beforeAll(async () => {
  t = await testApp();
  const roster = rosterSheet(6, 0, [
    { 姓名: '甲', 身份证号: 'x1', 入职日期: '2020-01-01', '月工资（元）': 6000 },
    { 姓名: '乙', 身份证号: 'x2', 入职日期: '2020-01-01', '月工资（元）': 6000 },
    { 姓名: '丙', 身份证号: 'x3', 入职日期: '2020-01-01', '月工资（元）': 6000 },
  ]);
  // two employees with a date that is no date
  const dateCol = (roster[0] as string[]).indexOf('入职日期');
  roster[1][dateCol] = '某日';
  roster[2][dateCol] = '某日';
  file = join(t.dataDir, 'kinds.xlsx');
  await writeWorkbook(file, [
    { name: '单位信息', rows: employerSheet() },
    { name: '职工名册', rows: roster },
  ]);
});
afterAll(async () => {
  await t.close();
});

test('every problem code the catalogue has a message for has a kind label in both languages', () => {
  const codes = Object.keys(zhCN)
    .filter((k) => /^problem\.[a-z-]+\/[a-z-]+$/.test(k))
    .map((k) => k.slice('problem.'.length));
  expect(codes.length).toBeGreaterThan(40);
  const missing = codes.filter((c) => !(`problemKind.${c}` in zhCN) || !(`problemKind.${c}` in en));
  expect(missing).toEqual([]);
  expect(problemKind('cell/id-checksum', 'zh')).toBe('身份证号校验位错误');
  expect(problemKind('cell/id-checksum', 'en')).toBe('ID number check digit wrong');
  // a code no catalogue knows (a stored result from an older version) is still words
  expect(problemKind('cell/x-retired', 'zh')).toBe('其他问题');
  expect(problemKind('cell/x-retired', 'en')).toBe('Other problem');
});

test("the problems page and its CSV give totals by kind in the reader's language, no code", async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const up = await agent.post('/employer/uploads?lang=zh').set('x-csrf-token', csrf).attach('file', file, 'kinds.xlsx');
  expect(up.status).toBe(303);
  const page = await agent.get(up.headers.location);
  const checkUrl =
    page.status === 303 ? page.headers.location : /href="(\/employer\/checks\/[\w-]+)/.exec(page.text)?.[1];
  expect(checkUrl).toBeTruthy();
  const id = /checks\/([\w-]+)/.exec(checkUrl!)![1];

  const zh = decoded((await agent.get(`/employer/checks/${id}?lang=zh`)).text);
  const byKindZh = zh.slice(zh.indexOf('按问题类型统计'), zh.indexOf('</table>', zh.indexOf('按问题类型统计')));
  expect(byKindZh).toContain('<th scope="row">身份证号位数或格式有误</th><td data-label="数量">3</td>');
  expect(byKindZh).toContain('<th scope="row">日期无效</th><td data-label="数量">2</td>');
  expect(words(zh)).not.toMatch(CODE);

  const enPage = decoded((await agent.get(`/employer/checks/${id}?lang=en`)).text);
  const byKindEn = enPage.slice(enPage.indexOf('Problems by kind'));
  expect(byKindEn).toContain('<th scope="row">ID number length or format wrong</th><td data-label="Count">3</td>');
  expect(byKindEn).toContain('<th scope="row">Invalid date</th><td data-label="Count">2</td>');
  expect(words(enPage)).not.toMatch(CODE);

  const csv = decoded((await agent.get(`/employer/checks/${id}/problems.csv?lang=zh`)).text);
  // none of these fields holds a comma; a field is quoted only when it must be
  const cells = (line: string) => line.split(',').map((f) => f.replace(/^"|"$/g, ''));
  const [head, ...rows] = csv
    .replace(/^\ufeff/, '')
    .split('\r\n')
    .map(cells);
  const kindAt = head.indexOf('问题类型');
  expect(kindAt).toBeGreaterThan(-1);
  expect(rows.map((r) => r[kindAt]).sort()).toEqual([
    '日期无效',
    '日期无效',
    '身份证号位数或格式有误',
    '身份证号位数或格式有误',
    '身份证号位数或格式有误',
  ]);
  expect(csv).not.toMatch(CODE);
  const csvEn = (await agent.get(`/employer/checks/${id}/problems.csv?lang=en`)).text;
  expect(csvEn).toContain('Invalid date');
  expect(csvEn).not.toMatch(CODE);
});

test('the API keeps the codes and adds each kind in words, in the language asked for', async () => {
  const res = await request(t.app).post('/api/check?lang=en').attach('file', file, 'kinds.xlsx');
  expect(res.status).toBe(422);
  expect(res.body.problemTotals.byCode).toEqual({ 'cell/id-format': 3, 'cell/date': 2 });
  expect(res.body.problemTotals.byKind).toEqual([
    { code: 'cell/id-format', label: 'ID number length or format wrong', n: 3 },
    { code: 'cell/date', label: 'Invalid date', n: 2 },
  ]);
  const zh = await request(t.app).post('/api/check?lang=zh').attach('file', file, 'kinds.xlsx');
  expect(zh.body.problemTotals.byKind.map((k: { label: string }) => k.label)).toEqual([
    '身份证号位数或格式有误',
    '日期无效',
  ]);
});

test('the CLI text lists the problems not shown by kind in words', () => {
  const p = (code: MessageCode, row: number): Problem => ({
    sheet: '职工名册',
    cell: `B${row}`,
    row,
    column: 'B',
    severity: 'error',
    code,
    message: message(code, { column: '入职日期' }, 'zh'),
  });
  const totals = {
    count: 7,
    kept: 2,
    byCode: { 'cell/date': 5, 'row/duplicate-id': 2 },
    bySeverity: { error: 7, warning: 0, notice: 0 },
  };
  const zh = formatProblems([p('cell/date', 2), p('row/duplicate-id', 3)], 'zh', totals);
  expect(zh).toContain('  日期无效  5');
  expect(zh).toContain('  身份证号重复  2');
  expect(zh.split('\n').filter((l) => CODE.test(l))).toEqual([]);
  const en = formatProblems([p('cell/date', 2)], 'en', totals);
  expect(en).toContain('  Invalid date  5');
  expect(en).toContain('  Duplicate ID number  2');
  expect(en).not.toMatch(CODE);
  expect(kindTotals(totals, 'en').map((k) => k.code)).toEqual(['cell/date', 'row/duplicate-id']);
});

test('a result whose notes are capped names the kinds not listed in words (CLI text)', async () => {
  const ok = join(t.dataDir, 'ok.xlsx');
  const roster = rosterSheet(6, 1);
  (roster[0] as string[]).push('备注一', '备注二');
  await writeWorkbook(ok, [
    { name: '单位信息', rows: employerSheet() },
    { name: '职工名册', rows: roster },
  ]);
  const checked = await checkFile(ok, await t.services.params.current(), {
    fileName: 'ok.xlsx',
    lang: 'zh',
    origin: 'cli',
  });
  const result = checked.result as CheckResult;
  expect(result.problems.map((p) => p.code)).toEqual(['header/unknown-column', 'header/unknown-column']);
  // as if the list had been capped: 40 unknown columns counted, 2 kept
  const capped = {
    ...result,
    problemTotals: { ...result.problemTotals, count: 40, byCode: { 'header/unknown-column': 40 } },
  };
  const zh = formatResult(capped, 'zh');
  expect(zh).toContain('按问题类型统计： 未识别的列 40');
  expect(zh).not.toMatch(CODE);
  expect(formatResult(capped, 'en')).toContain('By kind: Unknown column 40');
});
