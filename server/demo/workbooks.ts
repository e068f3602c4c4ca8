/**
 * Demo workbooks in the template layout, generated (no binary fixtures): one employer short of quota,
 * one concentrated-employment unit. Used by `npm start`'s demo data and the employer's sample download.
 */
import ExcelJS from 'exceljs';
import { residentIdCheckChar } from '../ingest/fields/resident-id';
import type { EmployerRow } from '../services';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强玉兰海燕';

function person(i: number, area: string): { name: string; id: string } {
  const name =
    SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length] + (i % 3 ? GIVEN[(i * 11) % GIVEN.length] : '');
  const birth = `${1980 + (i % 20)}${String((i % 12) + 1).padStart(2, '0')}${String((i % 27) + 1).padStart(2, '0')}`;
  const first17 = `${area}${birth}${String(100 + (i % 800)).padStart(3, '0')}`;
  return { name, id: first17 + residentIdCheckChar(first17) };
}

export async function writeDemoWorkbook(
  path: string,
  employer: Pick<EmployerRow, 'name' | 'uscc' | 'county' | 'unit_type'>,
  kind: 'short' | 'concentrated',
  year = 2025,
): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const emp = wb.addWorksheet('单位信息');
  const rows: [string, unknown][] = [
    ['单位名称', employer.name],
    ['统一社会信用代码', employer.uscc],
    ['所在县（市、区）', employer.county],
    ['单位类型', employer.unit_type],
    ['成立日期', new Date(Date.UTC(2012, 3, 1))],
    ['评估年度', year],
    ['享受集中安置税收优惠', kind === 'concentrated' ? '是' : '否'],
  ];
  emp.addRows(rows);
  const ros = wb.addWorksheet('职工名册');
  ros.addRow([
    '姓名',
    '身份证号',
    '残疾人证号',
    '入职日期',
    '离职日期',
    '合同结束',
    '用工形式',
    '社保缴纳月份',
    '月工资（元）',
  ]);
  const staff = kind === 'short' ? 120 : 40;
  const disabled = kind === 'short' ? 1 : 12;
  const area = kind === 'short' ? '330481' : '330483';
  for (let i = 0; i < staff; i++) {
    const p = person(i, area);
    const isDisabled = i < disabled;
    const cert = isDisabled ? `${p.id}${(i % 7) + 1}${i === 0 && kind === 'concentrated' ? 2 : 4}` : null;
    ros.addRow([
      p.name,
      p.id,
      cert,
      new Date(Date.UTC(2016 + (i % 8), i % 12, 1)),
      null,
      null,
      '全日制',
      '1-12',
      kind === 'short' ? 5200 + (i % 30) * 150 : 3600 + (i % 10) * 80,
    ]);
  }
  if (kind === 'short') {
    // one disabled employee on a short contract: shown as an exclusion with its reason
    const p = person(500, area);
    ros.addRow([
      p.name,
      p.id,
      `${p.id}43`,
      new Date(Date.UTC(year, 2, 1)),
      null,
      new Date(Date.UTC(year, 7, 31)),
      '全日制',
      '3-8',
      5000,
    ]);
  }
  await wb.xlsx.writeFile(path);
}

/** The sample an employer downloads from the upload page: the concentrated-employment one in 桐乡市, the other elsewhere. */
export function writeSampleWorkbook(
  path: string,
  employer: Pick<EmployerRow, 'name' | 'uscc' | 'county' | 'unit_type'>,
): Promise<void> {
  return writeDemoWorkbook(path, employer, employer.county === '桐乡市' ? 'concentrated' : 'short');
}
