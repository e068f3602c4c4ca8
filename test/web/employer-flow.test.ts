/** The employer flow end to end through the routes: upload → result → submit → resubmit with diff → review. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { verifyAudit } from '../../db/stores/audit';
import { decoded, login, testApp, visibleText, type TestApp } from '../helpers/app';
import { employerRows, writeWorkbook } from '../helpers/workbook';
import { makeId } from '../helpers/people';
import { waitFor } from '../helpers/wait';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const EMPLOYER_A = {
  name: '嘉兴示例精密机械有限公司',
  uscc: '91330481MA2B3C4D01',
  county: '海宁市',
  unit_type: '企业',
};

async function upload(
  agent: Awaited<ReturnType<typeof login>>['agent'],
  csrf: string,
  file: string,
  name = 'roster.xlsx',
) {
  return agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', file, name);
}

test('upload the demo workbook, see the explained result, submit; resubmit shows what changed; officer accepts', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'a.xlsx');
  await writeRosterWorkbook(file, EMPLOYER_A, 'short');
  const up = await upload(agent, csrf, file, '精密机械2025.xlsx');
  expect(up.status).toBe(303);
  const uploadPage = await agent.get(up.headers.location);
  expect(uploadPage.status).toBe(303);
  const result = await agent.get(uploadPage.headers.location);
  expect(result.status).toBe(200);
  expect(result.text).toContain('结论：未达标');
  // no 2025 social average wage in the demo parameters: the levy is provisional, said at the headline
  expect(result.text).toMatch(
    /应缴残疾人就业保障金 <span class="tag provisional">暂估<\/span> <strong data-figure="levy.payable">[\d,]+\.\d\d<\/strong> 元/,
  );
  expect(result.text).toContain('2025年度嘉兴市社会平均工资尚未公布');
  // the formula in words with its numbers and units, the policy by name and article
  expect(decoded(result.text)).toMatch(/差额人数 [\d.]+ 人 × 计征工资 [\d,]+\.\d\d 元 × \d+\.\d\d % = [\d,]+\.\d\d 元/);
  expect(result.text).toContain('《财政部关于调整残疾人就业保障金征收政策的公告》（财政部公告2019年第98号');
  expect(result.text).toContain('《残疾人就业保障金征收使用管理办法》（财税〔2015〕72号）第八条');
  expect(visibleText(result.text)).not.toMatch(/\b[a-z]+\.[a-z][A-Za-z]+\b/);
  expect(result.text).toContain('劳动合同不满1年'); // the demo's excluded employee, with its reason
  expect(result.text).not.toMatch(/33048\d{12}[\dX]/); // no ID number on the page
  // the stored upload is kept
  expect(readdirSync(join(t.dataDir, 'uploads')).length).toBeGreaterThan(0);

  const checkId = /\/employer\/checks\/([0-9a-f-]{36})\/confirm/.exec(result.text)![1];
  const sub = await agent.post(`/employer/checks/${checkId}/submit`).type('form').send({ _csrf: csrf });
  expect(sub.status).toBe(303);
  const subPage = await agent.get(sub.headers.location);
  expect(subPage.text).toMatch(/已于 \d{4}-\d\d-\d\d \d\d:\d\d 报送（第 1 版），待审核/);

  // a second workbook: one more disabled employee, so figures and employees change
  const file2 = join(t.dataDir, 'a2.xlsx');
  await writeRosterWorkbook(file2, EMPLOYER_A, 'short');
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file2);
  const newId = makeId('1992-03-03', 'M', '330481', 777);
  wb.getWorksheet('职工名册')!.addRow([
    '新同事',
    newId,
    `${newId}42`,
    new Date(Date.UTC(2020, 0, 1)),
    null,
    null,
    '全日制',
    '1-12',
    6000,
  ]);
  await wb.xlsx.writeFile(file2);
  const up2 = await upload(agent, csrf, file2);
  const r2 = await agent.get((await agent.get(up2.headers.location)).headers.location);
  const check2 = /\/employer\/checks\/([0-9a-f-]{36})\/confirm/.exec(r2.text)![1];
  // one whole person over the quota now: the result has a reward, so the confirmation asks to apply for it or give it up
  expect((await agent.get(`/employer/checks/${check2}/confirm`)).text).toContain('name="rewardChoice"');
  const sub2 = await agent
    .post(`/employer/checks/${check2}/submit`)
    .type('form')
    .send({ _csrf: csrf, rewardChoice: 'waive' });
  const sub2Page = await agent.get(sub2.headers.location);
  expect(sub2Page.text).toMatch(/报送（第 2 版）/);
  expect(sub2Page.text).toContain('与第 1 版相比的变化');
  expect(sub2Page.text).toMatch(/新增职工（1）<\/h3><p>新\*\*\*? ?\*/);
  expect(sub2Page.text).toContain('实际安排残疾人就业人数（一、二级按2人计）');
  expect(sub2Page.text).not.toContain('annual.avgWeighted');

  // the Haining officer sees the latest version and accepts it
  const officer = await login(t.app, 'officer.haining');
  const list = await officer.agent.get('/bureau?year=2025');
  expect(list.text).toContain('嘉兴示例精密机械有限公司');
  const subId = /\/employer\/submissions\/(\d+)/.exec(sub2.headers.location)![1];
  const returnNoReason = await officer.agent
    .post(`/bureau/submissions/${subId}/return`)
    .type('form')
    .send({ _csrf: officer.csrf, reason: '' });
  expect(returnNoReason.status).toBe(422); // invalid: a return needs a reason
  // 通过 asks first (UX.md §4): the first post only shows what happens next
  const ask = await officer.agent
    .post(`/bureau/submissions/${subId}/accept`)
    .type('form')
    .send({ _csrf: officer.csrf });
  expect(ask.status).toBe(200);
  expect((await agent.get(`/employer/submissions/${subId}`)).text).not.toContain('已通过');
  const accept = await officer.agent
    .post(`/bureau/submissions/${subId}/accept`)
    .type('form')
    .send({ _csrf: officer.csrf, confirm: '1' });
  expect(accept.status).toBe(303);
  const again = await officer.agent
    .post(`/bureau/submissions/${subId}/accept`)
    .type('form')
    .send({ _csrf: officer.csrf, confirm: '1' });
  expect(again.status).toBe(409); // conflict: already reviewed
  const mine = await agent.get(`/employer/submissions/${subId}`);
  expect(mine.text).toContain('已通过');

  const audit = await t.db('audit_log').select('action').orderBy('id');
  expect(audit.map((a) => a.action)).toEqual(
    expect.arrayContaining([
      'upload.received',
      'upload.processed',
      'submission.submitted',
      'submission.accepted',
      'auth.login',
    ]),
  );
  expect((await verifyAudit(t.db)).ok).toBe(true);
});

test('a workbook with errors shows the cells and offers the annotated workbook; nothing is lost', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'bad.xlsx');
  await writeWorkbook(file, [
    {
      name: '单位信息',
      rows: employerRows({
        单位名称: EMPLOYER_A.name,
        统一社会信用代码: EMPLOYER_A.uscc,
        '所在县（市、区）': '海宁市',
        单位类型: '企业',
        成立日期: '2012-04-01',
        评估年度: 2025,
      }),
    },
    {
      name: '职工名册',
      rows: [
        ['姓名', '身份证号', '入职日期', '月工资（元）'],
        ['甲', '12345', '2020-01-01', 5000],
      ],
    },
  ]);
  const up = await upload(agent, csrf, file, '有问题.xlsx');
  const page = await agent.get((await agent.get(up.headers.location)).headers.location);
  expect(page.text).toContain('工作簿存在问题，尚未计算');
  expect(page.text).toContain('“职工名册”表第 2 行，B 列');
  expect(page.text).toContain('身份证号应为18位');
  expect(page.text).not.toContain('/submit"');
  const annotatedUrl = /href="(\/employer\/checks\/[0-9a-f-]{36}\/annotated\.xlsx)"/.exec(page.text)![1];
  const annotated = await agent
    .get(annotatedUrl)
    .buffer(true)
    .parse((res, cb) => {
      const c: Buffer[] = [];
      res.on('data', (d: Buffer) => c.push(d));
      res.on('end', () => cb(null, Buffer.concat(c)));
    });
  expect(annotated.status).toBe(200);
  expect((annotated.body as Buffer).subarray(0, 2).toString()).toBe('PK');
});

test('a workbook of another employer is refused with a clear problem', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'other.xlsx');
  await writeRosterWorkbook(
    file,
    { name: '别家公司', uscc: '91330481MA2B3C6F0E', county: '海宁市', unit_type: '企业' },
    'short',
  );
  const up = await upload(agent, csrf, file);
  const page = await agent.get((await agent.get(up.headers.location)).headers.location);
  expect(page.text).toContain('与您登录的单位（91330481MA2B3C4D01）不一致');
  expect(page.text).toContain('“单位信息”表第 2 行，B 列'); // the demo workbook has no header row: 统一社会信用代码 is row 2
});

test('a failed processing run keeps the upload and can be retried', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'retry.xlsx');
  await writeRosterWorkbook(file, EMPLOYER_A, 'short');
  const original = t.services.params.snapshot.bind(t.services.params);
  t.services.params.snapshot = async () => {
    throw new Error('database unavailable');
  };
  const up = await upload(agent, csrf, file);
  t.services.params.snapshot = original;
  const page = await agent.get(up.headers.location);
  expect(page.status).toBe(200);
  expect(page.text).toContain('处理失败：database unavailable');
  const id = /\/employer\/uploads\/([0-9a-f-]{36})\/retry/.exec(page.text)![1];
  const row = await t.db('uploads').where({ id }).first();
  expect(row.status).toBe('failed');
  expect(existsSync(join(t.dataDir, 'uploads', row.stored_name))).toBe(true);
  const retry = await agent.post(`/employer/uploads/${id}/retry`).type('form').send({ _csrf: csrf });
  const after = await agent.get(retry.headers.location);
  expect(after.status).toBe(303);
  expect(after.headers.location).toMatch(/\/employer\/checks\//);
});

test('XHR uploads answer 202 with a status URL that reports progress', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'xhr.xlsx');
  await writeRosterWorkbook(file, EMPLOYER_A, 'short');
  const res = await agent
    .post('/employer/uploads')
    .set('Accept', 'application/json')
    .set('x-csrf-token', csrf)
    .attach('file', file, 'x.xlsx');
  expect(res.status).toBe(202);
  type Status = { status: string; checkUrl: string | null; rowsRead: number };
  // until the upload is done with, however long a busy machine takes to read it
  const status = await waitFor('the upload processed', async () => {
    const s = (await agent.get(res.body.statusUrl)).body as Status;
    return s.status === 'processed' || s.status === 'failed' ? s : undefined;
  });
  expect(status).toMatchObject({ status: 'processed', rowsRead: 121 });
  expect(status.checkUrl).toMatch(/^\/employer\/checks\//);
});
