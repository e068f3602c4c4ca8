/**
 * The annotated workbook is made in a capped worker with a time limit and a cell budget, and
 * a workbook over the budget is refused politely instead of being loaded in the request thread. Issue
 * #10.5: only problem cells are marked (a marked cell gets its own copy of a style it shares with others).
 */
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { findCheckByUpload } from '../../db/stores/checks';
import { annotateWorkbook } from '../../server/ingest/annotate';
import { ingestFile } from '../../server/ingest';
import { shippedParameters } from '../../server/params/load-parameters';
import { download, loadWorkbook, login, testApp, type TestApp } from '../helpers/app';
import { employerSheet, rosterSheet } from '../helpers/demo-workbooks';
import { writeWorkbook } from '../helpers/workbook';

jest.setTimeout(120_000);

const A_USCC = '91330481MA2B3C4D01';

/** A roster whose 入职日期 cells are real dates sharing one style; row 5's is in the future (a problem). */
async function datedRoster(path: string, extraSheetRows = 0) {
  const rows = rosterSheet(30, 0);
  const col = rows[0].indexOf('入职日期');
  rows.slice(1).forEach((r, i) => {
    r[col] = i === 3 ? new Date(Date.UTC(2099, 0, 1)) : new Date(Date.UTC(2020, 0, 1));
  });
  const sheets = [
    { name: '单位信息', rows: employerSheet({ 统一社会信用代码: A_USCC }) },
    { name: '职工名册', rows },
  ];
  if (extraSheetRows)
    sheets.push({
      name: '备注',
      rows: Array.from({ length: extraSheetRows }, (_, i) => Array.from({ length: 25 }, (_, j) => i * 25 + j)),
    });
  await writeWorkbook(path, sheets);
}

const filledCells = (wb: ExcelJS.Workbook) => {
  const out: string[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow((r) =>
      r.eachCell((c) => {
        const f = c.fill as { fgColor?: { argb?: string } } | undefined;
        if (f?.fgColor?.argb) out.push(`${ws.name}!${c.address}`);
      }),
    ),
  );
  return out;
};

test('only problem cells are marked, even when every date cell of the column shares one style', async () => {
  const dir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'qd-ann-'));
  const src = join(dir, 'dated.xlsx');
  await datedRoster(src);
  const ingested = await ingestFile(src, { fileName: 'dated.xlsx', params: shippedParameters(), today: '2026-01-01' });
  const marked = ingested.problems
    .filter((p) => p.sheet && /^[A-Z]+\d+$/.test(p.cell))
    .map((p) => `${p.sheet}!${p.cell}`);
  expect(marked).toContain('职工名册!C5');
  const out = join(dir, 'out.xlsx');
  await annotateWorkbook(src, out, ingested.problems, 'zh');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const filled = filledCells(wb).filter((x) => !x.startsWith('问题清单'));
  expect(filled.length).toBeGreaterThan(0);
  expect(filled.filter((x) => !marked.includes(x))).toEqual([]);
  // the other date cells kept their date format
  expect(wb.getWorksheet('职工名册')!.getCell('C6').numFmt).toBe(wb.getWorksheet('职工名册')!.getCell('C5').numFmt);
});

describe('on the web', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  async function problemCheck(extraSheetRows: number) {
    const { agent, csrf } = await login(t.app, 'employer.a');
    const file = join(t.dataDir, `big-${extraSheetRows}.xlsx`);
    await datedRoster(file, extraSheetRows);
    // the future hiring date makes it a workbook with a problem, so it has an annotated copy
    const up = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', file, 'big.xlsx');
    const check = (await findCheckByUpload(t.db, /uploads\/([\w-]+)$/.exec(up.headers.location)![1]))!;
    return { agent, check };
  }

  test('a workbook over the cell budget is refused politely; within it the copy is made', async () => {
    t = await testApp({ config: { annotate: { heapMB: 256, seconds: 60, maxCells: 5_000 } } });
    const small = await problemCheck(0);
    const ok = await download(small.agent, `/employer/checks/${small.check.id}/annotated.xlsx`);
    expect(ok.res.status).toBe(200);
    expect((await loadWorkbook(ok.body)).getWorksheet('问题清单')).toBeDefined();

    const big = await problemCheck(400); // + 10,000 cells on a sheet of notes
    const res = await big.agent.get(`/employer/checks/${big.check.id}/annotated.xlsx`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('超过生成标注副本的上限（5,000 个）');
    expect(res.text).toContain('问题清单');
    const en = await big.agent.get(`/employer/checks/${big.check.id}/annotated.xlsx?lang=en`);
    expect(en.text).toContain('more cells than the 5,000 an annotated copy allows');
    expect(readdirSync(join(t.dataDir, 'tmp')).filter((f) => f.startsWith('annotated-'))).toEqual([]);
  });

  test('a workbook that overruns the time limit is refused, and the server keeps serving', async () => {
    t = await testApp({ config: { annotate: { heapMB: 256, seconds: 0.2, maxCells: 500_000 } } });
    const { agent, check } = await problemCheck(0);
    const res = await agent.get(`/employer/checks/${check.id}/annotated.xlsx`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('无法在限定的时间和内存内生成标注副本');
    expect((await agent.get(`/employer/checks/${check.id}`)).status).toBe(200);
  });
});
