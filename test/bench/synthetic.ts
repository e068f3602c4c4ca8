/** Synthetic rosters for the benchmark: realistic dates, ~2 % disabled, some leavers and fixed terms. */
import ExcelJS from 'exceljs';
import { makeCert, makeId, makeUscc } from '../helpers/people';

const HEADER = [
  '姓名',
  '身份证号',
  '残疾人证号',
  '入职日期',
  '离职日期',
  '合同开始',
  '合同结束',
  '用工形式',
  '社保缴纳月份',
  '月工资（元）',
  '女职工岗位',
  '部门',
];

/** Row i of the roster exactly as written, so a reader's result can be checked against it. */
export function syntheticEmployee(i: number) {
  const birth = `${1966 + (i % 38)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
  const sex = i % 3 === 0 ? 'F' : 'M';
  const id = makeId(birth, sex, `33${String(1000 + (Math.floor(i / 500) % 9000)).padStart(4, '0')}`, i);
  const disabled = i % 50 === 7;
  const hiredYear = 2010 + (i % 15);
  const hired = new Date(Date.UTC(hiredYear, i % 12, 1 + (i % 27)));
  const left = i % 37 === 0 ? new Date(Date.UTC(2025, i % 12, 15)) : null;
  const fixedTerm = i % 5 === 0;
  return {
    name: `职工${i + 1}`,
    id,
    cert: disabled ? makeCert(id, (i % 7) + 1, (i % 4) + 1) : null,
    hired,
    left,
    contractStart: fixedTerm ? hired : null,
    contractEnd: fixedTerm ? new Date(Date.UTC(hiredYear + 3, i % 12, 1)) : null,
    form: i % 40 === 0 ? '劳务派遣' : '全日制',
    insured: i % 23 === 0 ? '1-6,9-12' : '1-12',
    wage: 3000 + (i % 70) * 100,
    femalePost: sex === 'F' ? (i % 2 ? '干部' : '工人') : null,
    dept: `部门${i % 20}`,
  };
}

export type SyntheticEmployee = ReturnType<typeof syntheticEmployee>;

export async function writeSynthetic(
  path: string,
  employees: number,
  employer = { name: '嘉兴基准测试有限公司', uscc: makeUscc('MA2BENCH'), county: '海宁市' },
  /** Changes row i before it is written (e.g. a unit with no disabled employee). */
  shape: (e: SyntheticEmployee, i: number) => SyntheticEmployee = (e) => e,
): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const emp = wb.addWorksheet('单位信息');
  for (const r of [
    ['单位名称', employer.name],
    ['统一社会信用代码', employer.uscc],
    ['所在县（市、区）', employer.county],
    ['单位类型', '企业'],
    ['成立日期', new Date(Date.UTC(2008, 2, 1))],
    ['评估年度', 2025],
  ])
    emp.addRow(r).commit();
  emp.commit();
  const ws = wb.addWorksheet('职工名册');
  ws.addRow(HEADER).commit();
  for (let i = 0; i < employees; i++) {
    const e = shape(syntheticEmployee(i), i);
    ws.addRow([
      e.name,
      e.id,
      e.cert,
      e.hired,
      e.left,
      e.contractStart,
      e.contractEnd,
      e.form,
      e.insured,
      e.wage,
      e.femalePost,
      e.dept,
    ]).commit();
  }
  ws.commit();
  await wb.commit();
}
