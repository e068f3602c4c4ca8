/**
 * The annotated workbook is offered only when it would mark something — a problem at a cell of a sheet —
 * and downloads under the name a clerk files it by: the unit, the data year, what the copy is.
 */
import { join } from 'node:path';
import { findCheckByUpload } from '../../db/stores/checks';
import { decoded, download, loadWorkbook, login, testApp, type TestApp } from '../helpers/app';
import { employerSheet, rosterSheet } from '../helpers/demo-workbooks';
import { writeWorkbook } from '../helpers/workbook';

let t: TestApp;
let employer: Awaited<ReturnType<typeof login>>;
beforeAll(async () => {
  t = await testApp();
  employer = await login(t.app, 'employer.a');
});
afterAll(async () => {
  await t.close();
});

const A = { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01' };

async function upload(name: string, sheets: Parameters<typeof writeWorkbook>[1]) {
  const file = join(t.dataDir, name);
  await writeWorkbook(file, sheets);
  const res = await employer.agent
    .post('/employer/uploads')
    .set('x-csrf-token', employer.csrf)
    .attach('file', file, name);
  return (await findCheckByUpload(t.db, /uploads\/([\w-]+)$/.exec(res.headers.location)![1]))!;
}

test('a problem at a cell: the page offers the marked copy, named after the unit and the year', async () => {
  const roster = rosterSheet(10, 1);
  roster[3][1] = '330481199001011235'; // a wrong check digit
  const check = await upload('bad.xlsx', [
    { name: '单位信息', rows: employerSheet({ 统一社会信用代码: A.uscc }) },
    { name: '职工名册', rows: roster },
  ]);
  const page = decoded((await employer.agent.get(`/employer/checks/${check.id}`)).text);
  expect(page).toContain(`href="/employer/checks/${check.id}/annotated.xlsx"`);
  const zh = await download(employer.agent, `/employer/checks/${check.id}/annotated.xlsx`);
  expect(zh.res.status).toBe(200);
  const disposition = decodeURIComponent(String(zh.res.headers['content-disposition']));
  expect(disposition).toContain(`filename*=UTF-8''${A.name}-2025年度-标注问题.xlsx`);
  const wb = await loadWorkbook(zh.body);
  expect(wb.getWorksheet('问题清单')!.rowCount).toBeGreaterThan(1);
  const en = await download(employer.agent, `/employer/checks/${check.id}/annotated.xlsx?lang=en`);
  expect(decodeURIComponent(String(en.res.headers['content-disposition']))).toContain(
    `${A.name}-2025-problems marked.xlsx`,
  );
});

test('problems at no cell (the roster sheet missing): no marked copy is offered, and none is made', async () => {
  const check = await upload('no-roster.xlsx', [
    { name: '单位信息', rows: employerSheet({ 统一社会信用代码: A.uscc }) },
  ]);
  const page = decoded((await employer.agent.get(`/employer/checks/${check.id}`)).text);
  expect(check.has_problems).toBeTruthy();
  expect(page).toContain('problems.csv');
  expect(page).not.toContain('annotated.xlsx');
  expect((await employer.agent.get(`/employer/checks/${check.id}/annotated.xlsx`)).status).toBe(404);
});
