/**
 * "Start next year from this one" carries every attribute of the unit that EMPLOYER_FIELDS declares: the
 * workbook it writes, read back, gives the same unit for the next year, with only the figures of the data
 * year itself (ofTheYear) left for the clerk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCarryForward } from '../../server/ingest/carry-forward';
import { EMPLOYEE_FIELDS, EMPLOYEE_SHEET, EMPLOYER_FIELDS } from '../../server/ingest/columns';
import { makeId } from '../helpers/people';
import { employerRows, rosterRows, writeWorkbook } from '../helpers/workbook';
import { ingestFile } from '../../server/ingest';
import { shippedParameters } from '../../server/params/load-parameters';
import { Q } from '../../server/rules/money';
import type { Employer } from '../../server/rules/types';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qd-carry-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// every attribute away from its default, so one that is dropped shows
const employer: Employer = {
  name: '嘉兴测试电子商务有限公司',
  uscc: '91330481MA2B3C4D01',
  county: '海宁市',
  unitType: '企业',
  founded: '2012-03-15',
  year: 2024,
  wageTotal: Q.parse('1234567.89'),
  blindMassage: true,
  auxiliaryEmployment: true,
  ecommerce: true,
  povertyReliefBase: true,
  familiesSupported: 7,
  taxPreference: true,
};

test('every EMPLOYER_FIELDS entry survives carry-forward: read back, the unit is the same for the next year', async () => {
  const { workbook } = await buildCarryForward(employer, []);
  const file = join(dir, 'next.xlsx');
  await workbook.xlsx.writeFile(file);
  const read = await ingestFile(file, { fileName: 'next.xlsx', params: shippedParameters() });
  expect(read.employer).not.toBeNull();
  const got = read.employer as unknown as Record<string, unknown>;
  const given = employer as unknown as Record<string, unknown>;
  const keys = EMPLOYER_FIELDS.map((f) => f.key);
  // the Employer and EMPLOYER_FIELDS name the same attributes
  expect([...keys].sort()).toEqual(Object.keys(employer).sort());
  for (const f of EMPLOYER_FIELDS) {
    if (f.kind === 'year') expect([f.key, got[f.key]]).toEqual([f.key, employer.year + 1]);
    else if (f.ofTheYear) expect([f.key, got[f.key]]).toEqual([f.key, null]);
    else expect([f.key, String(got[f.key])]).toEqual([f.key, String(given[f.key])]);
  }
  // the figures of the data year are few and named
  expect(EMPLOYER_FIELDS.filter((f) => f.ofTheYear).map((f) => f.key)).toEqual(['wageTotal']);
});

test('what the source row left blank and the reader assumed (合同开始, a woman’s 女职工岗位) is left blank and marked, never carried as a fact', async () => {
  const src = join(dir, 'source.xlsx');
  const typed = makeId('1985-05-05', 'F', '330481', 1);
  const blank = makeId('1990-02-02', 'F', '330481', 2);
  const header = ['姓名', '身份证号', '性别', '入职日期', '合同开始日期', '月工资（元）', '女职工岗位'];
  await writeWorkbook(src, [
    {
      name: '单位信息',
      rows: employerRows({
        单位名称: employer.name,
        统一社会信用代码: employer.uscc,
        '所在县（市、区）': '海宁市',
        单位类型: '企业',
        成立日期: '2012-03-15',
        评估年度: 2024,
      }),
    },
    {
      name: '职工名册',
      rows: rosterRows(header, [
        {
          姓名: '王芳',
          身份证号: typed,
          入职日期: '2020-03-01',
          合同开始日期: '2021-01-01',
          '月工资（元）': 6000,
          女职工岗位: '干部',
        },
        { 姓名: '李娟', 身份证号: blank, 入职日期: '2020-03-01', '月工资（元）': 6000 },
      ]),
    },
  ]);
  const read = await ingestFile(src, { fileName: 'source.xlsx', params: shippedParameters(), today: '2025-03-01' });
  expect(read.problems.filter((p) => p.severity === 'error')).toEqual([]);
  // the engine still sees the defaults it computes with
  const li = read.employees.find((e) => e.idNumber === blank)!;
  expect([li.contractStart, li.femalePost, li.assumed]).toEqual([
    '2020-03-01',
    '工人',
    ['contractStart', 'femalePost'],
  ]);
  expect(read.employees.find((e) => e.idNumber === typed)!.assumed).toBeUndefined();

  const { workbook } = await buildCarryForward(read.employer!, read.employees);
  const ros = workbook.getWorksheet(EMPLOYEE_SHEET)!;
  const col = (key: string) => EMPLOYEE_FIELDS.findIndex((f) => f.key === key) + 1;
  const rowOf = (id: string) => {
    for (let r = 3; r <= 4; r++) if (ros.getCell(r, col('idNumber')).value === id) return r;
    throw new Error(`no row for ${id}`);
  };
  const kept = rowOf(typed);
  const asked = rowOf(blank);
  expect(ros.getCell(kept, col('femalePost')).value).toBe('干部');
  expect((ros.getCell(kept, col('contractStart')).value as Date).toISOString().slice(0, 10)).toBe('2021-01-01');
  expect(ros.getCell(kept, col('femalePost')).note).toBeUndefined();
  for (const key of ['contractStart', 'femalePost']) {
    const cell = ros.getCell(asked, col(key));
    expect([key, cell.value]).toEqual([key, null]);
    expect(String(cell.note)).toContain('请核实后填写');
    expect((cell.fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFFFEB9C');
  }
});
