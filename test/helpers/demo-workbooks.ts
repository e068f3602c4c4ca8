/** Small ready-made workbooks for CLI, ingestion and web tests, written with the independent writer. */
import { makeCert, makeId, makeUscc } from './people';
import { employerRows, rosterRows, writeWorkbook, type Rows } from './workbook';

export const USCC_A = makeUscc('MA2B3C4D');
export const USCC_B = makeUscc('MA2B3C5E');

export function employerSheet(overrides: Record<string, unknown> = {}): Rows {
  return employerRows({
    单位名称: '嘉兴示例科技有限公司',
    统一社会信用代码: USCC_A,
    '所在县（市、区）': '海宁市',
    单位类型: '企业',
    成立日期: '2015-06-01',
    评估年度: 2025,
    ...overrides,
  });
}

/** `staff` regular employees plus `disabled` grade-4 certificate holders, all year, 6,000/month. */
export function rosterSheet(staff: number, disabled: number, extra: Record<string, unknown>[] = []): Rows {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < staff; i++)
    rows.push({
      姓名: `职工${i + 1}`,
      身份证号: makeId('1990-01-01', i % 2 ? 'M' : 'F', '330481', i),
      入职日期: '2020-01-01',
      '月工资（元）': 6000,
    });
  for (let i = 0; i < disabled; i++) {
    const id = makeId('1985-05-05', 'M', '330402', i);
    rows.push({
      姓名: `残疾职工${i + 1}`,
      身份证号: id,
      残疾人证号: makeCert(id, 4, 4),
      入职日期: '2020-01-01',
      '月工资（元）': 6000,
    });
  }
  rows.push(...extra);
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return rosterRows(header, rows);
}

export async function writeSimpleWorkbook(
  path: string,
  staff: number,
  disabled: number,
  employer: Record<string, unknown> = {},
): Promise<void> {
  await writeWorkbook(path, [
    { name: '单位信息', rows: employerSheet(employer) },
    { name: '职工名册', rows: rosterSheet(staff, disabled) },
  ]);
}
