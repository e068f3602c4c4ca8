/**
 * Downloads are named for the unit, the data year and what they are, in the reader's language
 * (嘉兴示例精密机械有限公司-2025年度-标注问题.xlsx), with an ASCII name for old clients; a character a file
 * system refuses never reaches the name.
 */
import { join } from 'node:path';
import { findEmployerByUscc } from '../../db/stores/employers';
import { findCheckByUpload } from '../../db/stores/checks';
import { downloadName } from '../../server/routes/attachment';
import { employerSheet, rosterSheet } from '../helpers/demo-workbooks';
import { writeWorkbook } from '../helpers/workbook';
import { download, loadWorkbook, login, testApp, type TestApp } from '../helpers/app';

test('a name is made of its parts, without what a file system refuses', () => {
  expect(downloadName(['嘉兴示例精密机械有限公司', '2025年度', '标注问题'], 'xlsx')).toBe(
    '嘉兴示例精密机械有限公司-2025年度-标注问题.xlsx',
  );
  expect(downloadName(['A/B:C*"D"', '', '标注问题'], 'xlsx')).toBe('A_B_C__D_-标注问题.xlsx');
});

describe('the annotated workbook', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test('is named for the unit and the year, in Chinese or in English', async () => {
    const a = (await findEmployerByUscc(t.db, '91330481MA2B3C4D01'))!;
    const { agent, csrf } = await login(t.app, 'employer.a');
    const bad = join(t.dataDir, 'bad.xlsx');
    await writeWorkbook(bad, [
      { name: '单位信息', rows: employerSheet({ 单位名称: a.name, 统一社会信用代码: a.uscc }) },
      {
        name: '职工名册',
        rows: rosterSheet(3, 0, [{ 姓名: '某', 身份证号: '123', 入职日期: '2020-01-01', '月工资（元）': 6000 }]),
      },
    ]);
    const up = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', bad, 'bad.xlsx');
    const check = (await findCheckByUpload(t.db, /uploads\/([\w-]+)$/.exec(up.headers.location)![1]))!;
    expect(check.has_problems).toBeTruthy();
    const zh = await download(agent, `/employer/checks/${check.id}/annotated.xlsx`);
    expect(zh.res.status).toBe(200);
    const disposition = zh.res.headers['content-disposition'];
    expect(disposition).toContain('filename="annotated-2025.xlsx"');
    expect(decodeURIComponent(disposition)).toContain(`${a.name}-2025年度-标注问题.xlsx`);
    expect((await loadWorkbook(zh.body)).worksheets.length).toBeGreaterThan(1);
    const en = await download(agent, `/employer/checks/${check.id}/annotated.xlsx?lang=en`);
    expect(decodeURIComponent(en.res.headers['content-disposition'])).toContain(`${a.name}-2025-problems marked.xlsx`);
  });
});
