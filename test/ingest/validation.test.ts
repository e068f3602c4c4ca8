/** One roster with one instance of every validation problem: exact sheet, cell and message; all at once. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from '../../server/ingest';
import { shippedParameters } from '../../server/params/load-parameters';
import { message } from '../../server/ingest/messages';
import { problemWhere } from '../../server/i18n/problems';
import { supportedYears } from '../../server/rules/parameters/lookup';
import { makeCert, makeId } from '../helpers/people';
import { employerRows, writeWorkbook } from '../helpers/workbook';

const dir = mkdtempSync(join(tmpdir(), 'val-'));
const params = shippedParameters();
const id = (n: number) => makeId('1990-01-01', 'M', '330481', n);
const H = [
  '姓名',
  '身份证号',
  '残疾人证号',
  '残疾军人证等级',
  '入职日期',
  '离职日期',
  '合同开始',
  '合同结束',
  '社保缴纳月份',
  '月工资（元）',
  '残疾类别',
];
//            A       B          C            D              E          F          G          H          I              J             K

test('every roster and employer problem, with its cell and message', async () => {
  const wrongCheck = id(1).slice(0, 17) + (id(1)[17] === '0' ? '1' : '0');
  const rows = [
    H,
    ['', id(2), null, null, '2020-01-01', null, null, null, null, 5000, null], // row 2: A2 name missing
    ['乙', '33048119900101', null, null, '2020-01-01', null, null, null, null, 5000, null], // row 3: B3 ID format
    ['丙', wrongCheck, null, null, '2020-01-01', null, null, null, null, 5000, null], // row 4: B4 checksum
    ['丁', id(5), `${id(5)}9`, null, '2020-01-01', null, null, null, null, 5000, null], // row 5: C5 cert format
    ['戊', id(6), makeCert(id(7), 4, 2), null, '2020-01-01', null, null, null, null, 5000, null], // row 6: C6 mismatch
    ['己', id(8), null, 9, '2020-01-01', null, null, null, null, 5000, null], // row 7: D7 veteran grade
    ['庚', id(9), null, null, '2023-05-01', '2023-04-30', null, null, null, 5000, null], // row 8: F8 left before hired
    ['辛', id(10), null, null, '2020-01-01', null, '2021-01-01', '2020-12-31', null, 5000, null], // row 9: H9 contract
    ['壬', id(11), null, null, '2020-01-01', null, null, null, '1-13', 5000, null], // row 10: I10 months
    ['癸', id(12), null, null, '2020-01-01', null, null, null, null, -5, null], // row 11: J11 wage not positive
    ['子', id(13), null, null, '2020-01-01', null, null, null, null, '5千', null], // row 12: J12 wage not a number
    ['丑', id(2), null, null, '2020-01-01', null, null, null, null, 5000, null], // row 13: B13 duplicate of row 2
    ['寅', id(14), null, null, '2020年13月1日', null, null, null, null, 5000, null], // row 14: E14 bad date
    ['卯', id(15), null, null, '2020-01-01', null, null, null, null, 1000, null], // row 15: warning, below minimum
    ['辰', id(16), makeCert(id(16), 4, 3), null, '2020-01-01', null, null, null, null, 5000, '视力'], // row 16: warning, category
    ['巳', id(17), null, null, '2027-03-01', null, null, null, null, 5000, null], // row 17: warning, future date
    ['午', id(18), null, null, '2020-01-01', null, null, null, null, '5000.123', null], // row 18: J18 three decimals
  ];
  const file = join(dir, 'errors.xlsx');
  await writeWorkbook(file, [
    {
      name: '单位信息',
      rows: employerRows({
        单位名称: '测试',
        统一社会信用代码: '91330481MA2B3C4D5',
        '所在县（市、区）': '杭州市',
        单位类型: '合伙企业',
        成立日期: '2015-06-01',
        评估年度: 2025,
      }),
    },
    { name: '职工名册', rows },
  ]);
  const r = await ingestFile(file, { fileName: 'errors.xlsx', params, today: '2026-11-28' });
  expect(r.hasErrors).toBe(true);
  const got = r.problems.map((p) => `${p.severity} ${p.sheet}!${p.cell} ${p.code} ${p.message}`);
  expect(got.sort()).toEqual(
    [
      'error 单位信息!B2 cell/uscc-format 统一社会信用代码应为18位（数字和大写字母，不含 I、O、Z、S、V）',
      'error 单位信息!B3 cell/enum “所在县（市、区）”应为以下之一：南湖区、秀洲区、嘉善县、海盐县、海宁市、平湖市、桐乡市',
      'error 单位信息!B4 cell/enum “单位类型”应为以下之一：企业、国有企业、机关、事业单位、社会团体、民办非企业单位、社会组织、个体工商户',
      'error 职工名册!A2 cell/required “姓名”不能为空',
      'error 职工名册!B3 cell/id-format 身份证号应为18位（17位数字加1位数字或X），请核对',
      `error 职工名册!B4 cell/id-checksum 身份证号校验位错误（应为 ${id(1)[17]}），请核对是否抄错`,
      'error 职工名册!C5 cell/cert-format 残疾人证号应为20位：身份证号18位 + 残疾类别（1–7）+ 残疾等级（1–4）',
      'error 职工名册!C6 cell/cert-mismatch 残疾人证号与身份证号不一致（前18位应与身份证号相同）',
      'error 职工名册!D7 cell/veteran-grade 残疾军人证等级应为 1–8 的整数',
      'error 职工名册!F8 row/left-before-hired 离职日期 2023-04-30 早于入职日期 2023-05-01',
      'error 职工名册!H9 row/contract-end-before-start 合同结束 2020-12-31 早于合同开始 2021-01-01',
      'error 职工名册!I10 cell/insured-months 社保缴纳月份格式应如 1-12 或 1-6,9-12，月份在 1–12 之间',
      'error 职工名册!J11 cell/money-positive “月工资（元）”应大于 0',
      'error 职工名册!J12 cell/money “月工资（元）”应为金额数字，如 5200 或 5,200.50',
      'error 职工名册!B13 row/duplicate-id 身份证号与第 2 行重复，同一职工只能填写一行',
      'error 职工名册!E14 cell/date “入职日期”不是有效日期，请填写如 2025-03-01 或 2025年3月1日',
      'error 职工名册!J18 cell/money-decimals “月工资（元）”最多两位小数（精确到分）',
      'warning 职工名册!K16 cell/cert-category-mismatch 残疾类别列为“视力”，但残疾人证号显示类别 4（肢体），请核对',
      'warning 职工名册!E17 cell/future-date “入职日期”是未来日期（2027-03-01），请核对',
    ].sort(),
  );
  // the employer failed, so the employer-dependent wage warning could not be checked
  expect(r.problems.find((p) => p.code === 'row/wage-below-minimum')).toBeUndefined();
  // values found are echoed for the user
  expect(r.problems.find((p) => p.cell === 'B3')?.value).toBe('33048119900101');
});

test('employer-dependent checks: wage below the minimum (warning) and a year outside the tables (error)', async () => {
  const rows = [
    ['姓名', '身份证号', '入职日期', '月工资（元）'],
    ['卯', id(30), '2020-01-01', 1000],
    ['辰', id(31), '2020-01-01', 5000],
  ];
  const ok = join(dir, 'warn.xlsx');
  await writeWorkbook(ok, [
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
  const r = await ingestFile(ok, { fileName: 'warn.xlsx', params, today: '2026-11-28' });
  expect(r.hasErrors).toBe(false);
  expect(r.problems).toEqual([
    {
      sheet: '职工名册',
      cell: 'D2',
      row: 2,
      column: 'D',
      severity: 'warning',
      code: 'row/wage-below-minimum',
      params: { month: 1, wage: '1000.00', minWage: '2260.00' },
      employee: '*',
      message: '1月工资 1000.00 元低于当地最低工资 2260.00 元，请核对',
    },
  ]);

  const y = join(dir, 'year.xlsx');
  await writeWorkbook(y, [
    {
      name: '单位信息',
      rows: employerRows({
        单位名称: '测试',
        统一社会信用代码: '91350100M000100Y43',
        '所在县（市、区）': '海宁市',
        单位类型: '企业',
        成立日期: '2015-06-01',
        评估年度: 2015,
      }),
    },
    { name: '职工名册', rows },
  ]);
  const ry = await ingestFile(y, { fileName: 'year.xlsx', params, lang: 'en' });
  expect(ry.problems).toEqual([
    expect.objectContaining({
      cell: 'B6',
      code: 'cell/year-unsupported',
      message: message('cell/year-unsupported', { year: 2015, ...supportedYears(params) }, 'en'),
    }),
  ]);
});

test('a missing required column is reported once at the header, not on every row', async () => {
  const file = join(dir, 'nocol.xlsx');
  await writeWorkbook(file, [
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
      rows: [['标题：2025年职工名册'], ['姓名', '身份证号', '月工资'], ['甲', id(40), 5000], ['乙', id(41), 5000]],
    },
  ]);
  const r = await ingestFile(file, { fileName: 'nocol.xlsx', params });
  expect(r.problems).toEqual([
    expect.objectContaining({
      cell: '2:2',
      code: 'header/missing-column',
      message: '缺少必填列“入职日期”。请在表头行添加该列（其他常见写法见模板“填写说明”）',
    }),
  ]);
  // located at the header row, never at a cell of column A, and without a field identifier
  expect(problemWhere(r.problems[0], 'zh')).toBe('“职工名册”表第 2 行（表头）');
  expect(problemWhere(r.problems[0], 'en')).toBe('sheet "职工名册", header (row 2)');
  expect(r.problems[0].message).not.toMatch(/hired|[a-z]_[a-z]/);
});
