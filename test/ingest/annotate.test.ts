import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/cli';
import { makeId } from '../helpers/people';
import { employerRows, writeWorkbook } from '../helpers/workbook';

const dir = mkdtempSync(join(tmpdir(), 'ann-'));

test("--annotate writes the user's workbook back with problem cells marked and a linked 问题清单", async () => {
  const src = join(dir, 'in.xlsx');
  const out = join(dir, 'out.xlsx');
  await writeWorkbook(src, [
    {
      name: '单位信息',
      rows: employerRows({
        单位名称: '测试',
        统一社会信用代码: '91350100M000100Y43',
        '所在县（市、区）': '海宁市',
        单位类型: '企业',
        成立日期: '2015-06-01',
        评估年度: 2025,
      }),
    },
    {
      name: '职工名册',
      rows: [
        ['姓名', '身份证号', '入职日期', '月工资（元）'],
        ['甲', '123', '2020-01-01', 5000],
        ['乙', makeId('1990-01-01', 'M'), '2020-02-30', 5000],
        ['丙', makeId('1991-01-01', 'F'), '2020-01-01', 1000],
      ],
    },
  ]);
  let stdout = '',
    stderr = '';
  const code = await main(['check', src, '--annotate', out], {
    out: (s) => {
      stdout += s;
    },
    err: (s) => {
      stderr += s;
    },
    isTTY: false,
  });
  expect(code).toBe(2);
  expect(stderr).toContain(out);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const ros = wb.getWorksheet('职工名册')!;
  expect(ros.getCell('B2').note).toBe('身份证号应为18位（17位数字加1位数字或X），请核对');
  expect(ros.getCell('B2').fill).toMatchObject({ type: 'pattern', fgColor: { argb: 'FFFFC7CE' } });
  expect(ros.getCell('C3').note).toBe('“入职日期”不是有效日期，请填写如 2025-03-01 或 2025年3月1日');
  expect(ros.getCell('A2').value).toBe('甲'); // the user's data is kept as it was
  const list = wb.getWorksheet('问题清单')!;
  expect(list.getRow(1).values).toEqual([undefined, '序号', '工作表', '单元格', '严重程度', '问题', '填写的值']);
  expect(list.getCell('C2').value).toEqual({ text: 'B2', hyperlink: "#'职工名册'!B2" });
  expect(list.getCell('F2').value).toBe('123');
  expect(list.rowCount).toBe(1 + 3);
  expect(list.getRow(4).values).toEqual([
    undefined,
    3,
    '职工名册',
    { text: 'D4', hyperlink: "#'职工名册'!D4" },
    '警告',
    '1月工资 1000.00 元低于当地最低工资 2260.00 元，请核对',
    '',
  ]);
  expect(ros.getCell('D4').fill).toMatchObject({ fgColor: { argb: 'FFFFEB9C' } });
  expect(stdout).toContain('“职工名册”表第 2 行，B 列（身份证号）');
});

test('progress goes to stderr on a terminal, and --json output stays clean', async () => {
  const src = join(dir, 'ok.xlsx');
  const rows: (string | number)[][] = [['姓名', '身份证号', '入职日期', '月工资（元）']];
  for (let i = 0; i < 3000; i++)
    rows.push([
      `员工${i}`,
      makeId('1990-01-01', 'M', `3304${String(Math.floor(i / 500)).padStart(2, '0')}`, i),
      '2020-01-01',
      5000,
    ]);
  await writeWorkbook(src, [
    {
      name: '单位信息',
      rows: employerRows({
        单位名称: '测试',
        统一社会信用代码: '91350100M000100Y43',
        '所在县（市、区）': '海宁市',
        单位类型: '企业',
        成立日期: '2015-06-01',
        评估年度: 2025,
      }),
    },
    { name: '职工名册', rows },
  ]);
  let out = '',
    err = '';
  const progressIo = {
    out: (s: string) => {
      out += s;
    },
    err: (s: string) => {
      err += s;
    },
    isTTY: true,
  };
  const realNow = Date.now;
  let t = realNow();
  Date.now = () => (t += 200); // a slow clock: every read counts as long-running
  try {
    expect(await main(['check', src], progressIo)).toBe(0);
    expect(err).toMatch(/已读取 \d+ 行… \/ \d+ rows read/);
    out = '';
    err = '';
    expect(await main(['check', src, '--json'], progressIo)).toBe(0);
    expect(err).toBe('');
    expect(JSON.parse(out).annual.avgStaff).toBe(3000);
  } finally {
    Date.now = realNow;
  }
});
