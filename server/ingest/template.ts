/**
 * `quota template`: the workbook of docs/rules.md §3, written from the same column spec the reader uses —
 * instructions, drop-down lists, date and number formats, frozen header, widths, input hints, and an
 * example row marked 【示例】 that the reader skips.
 */
import type ExcelJS from 'exceljs';
import {
  EMPLOYEE_FIELDS,
  EMPLOYEE_SHEET,
  EMPLOYER_FIELDS,
  EMPLOYER_SHEET,
  englishHeader,
  EXAMPLE_MARK,
  INSTRUCTIONS_SHEET,
  otherNames,
  type FieldSpec,
} from './columns';
import { residentIdCheckChar } from './fields/resident-id';
import { columnLetter } from './problem';
import { shippedParameters } from '../params/load-parameters';
import { formatCount, formatPercent, Q } from '../rules/money';
import { disabilityWeight, quotaRatio, overQuotaRewardMultiple, supportedYears } from '../rules/parameters/lookup';
import type { Parameters } from '../rules/parameters/table';

/** exceljs, loaded when a workbook is first written: the largest package, kept out of the app's start-up. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = () => require('exceljs') as typeof ExcelJS;

const TEMPLATE_ROWS = 5000;

function listFormula(values: readonly string[]): string[] {
  return [`"${values.join(',')}"`];
}

function validationFor(f: FieldSpec): ExcelJS.DataValidation | null {
  const base = {
    allowBlank: !f.required,
    showErrorMessage: true,
    errorStyle: 'warning' as const,
    promptTitle: f.zh,
    prompt: f.hint,
    showInputMessage: true,
  };
  if (f.kind === 'enum')
    return { ...base, type: 'list', formulae: listFormula(f.values!), error: `请从列表选择：${f.values!.join('、')}` };
  if (f.kind === 'bool')
    return { ...base, type: 'list', formulae: listFormula(['是', '否']), error: '请填写“是”或“否”' };
  if (f.kind === 'date')
    return {
      ...base,
      type: 'date',
      operator: 'greaterThan',
      formulae: [new Date(Date.UTC(1900, 0, 1))],
      error: '请填写日期，如 2025-03-01',
    };
  if (f.kind === 'money')
    return { ...base, type: 'decimal', operator: 'greaterThan', formulae: [0], error: '请填写大于0的金额（元）' };
  return { ...base, type: 'any', formulae: [] } as unknown as ExcelJS.DataValidation;
}

export function exampleIdNumber(): string {
  const first17 = '33048119900315201';
  return first17 + residentIdCheckChar(first17);
}

/** The worked example of the instructions sheet, its figures from the parameters in force in `year`. */
function workedExample(params: Parameters, year: number): string[] {
  const y = Math.max(supportedYears(params).first, Math.min(year, supportedYears(params).last));
  const day = `${y}-12-31`;
  const ratio = quotaRatio(params, day).value;
  const weight = disabilityWeight(params, day).value.weight;
  const months = overQuotaRewardMultiple(params, day).value;
  const staff = 120;
  const weighted = 2 + weight;
  const required = ratio.mul(staff);
  const excess = Q.of(weighted).sub(required);
  return [
    `示例：某企业${y}年在职职工每月${staff}人，其中残疾职工3人（1人为二级肢体残疾，按${weight}人计）：`,
    `  年平均在职职工 = ${staff}；应安排 = ${staff} × ${formatPercent(ratio)} = ${formatCount(required)} 人；实际安排（加权）= ${weighted} 人；超比例 ${formatCount(excess)} 人。`,
    `  若不享受税收优惠，可申请超比例奖励 ⌊${formatCount(excess)}⌋ × ${months} × 当年月最低工资平均值（嘉政发〔2016〕46号 三、（二））。`,
  ];
}

export async function buildTemplate(opts: { year?: number; params?: Parameters } = {}): Promise<ExcelJS.Workbook> {
  const year = opts.year ?? new Date().getFullYear() - 1;
  const [exampleHead, exampleQuota, exampleReward] = workedExample(opts.params ?? shippedParameters(), year);
  const wb = new (excel().Workbook)();
  wb.creator = 'QuotaDesk 残疾人按比例就业合规台';

  const help = wb.addWorksheet(INSTRUCTIONS_SHEET);
  help.getColumn(1).width = 110;
  const lines: (readonly [string, boolean])[] = [
    ['嘉兴市用人单位按比例安排残疾人就业 年度报送工作簿（嘉政发〔2016〕46号）', true],
    ['1. “单位信息”表：A 列为项目名称（请勿修改），在 B 列填写。带下拉箭头的单元格请从列表选择。', false],
    [
      '2. “职工名册”表：每名职工一行，包括非残疾职工。表头可调整列顺序，上方可有标题行，也可用两行表头（如“合同期限”下分“开始日期”“结束日期”）；列名的其他写法见第9条，也可使用英文列名（如 ID number）。',
      false,
    ],
    [
      '3. 日期可填写 2025-03-01、2025/3/1、2025.3.1、20250301 或 2025年3月1日。金额单位为元，最多两位小数。身份证号、残疾人证号请设为“文本”格式，否则 Excel 只保留 15 位有效数字。',
      false,
    ],
    [
      '4. 残疾人证号为20位：身份证号（18位）+ 残疾类别（1 视力 2 听力 3 言语 4 肢体 5 智力 6 精神 7 多重）+ 等级（1–4）。',
      false,
    ],
    ['5. 劳务派遣职工默认计入派遣单位；如按协议计入本单位，请在“派遣计入本单位”填“是”。', false],
    ['6. 社保缴纳月份填写评估年度内足额缴纳社保的月份，如 1-12 或 1-6,9-12；留空表示在职各月均已缴纳。', false],
    [
      `7. 第2行为示例（姓名以“${EXAMPLE_MARK}”开头），读取时自动忽略，可保留或删除。“合计”“总计”行及其后的制表人、备注行也会忽略。`,
      false,
    ],
    [
      '8. 没有“月工资（元）”列时，可改填 1月至12月 的十二列工资（列名如“1月”或“1月工资”）；在职月份的工资都要填写。',
      false,
    ],
    ['9. “职工名册”的列名也可以这样写（不区分全角半角、空格和括号中的单位）：', false],
    ...EMPLOYEE_FIELDS.filter((f) => otherNames(f).length && !/^wage\d/.test(f.key)).map(
      (f) => [`    ${f.zh}：${otherNames(f).join('、')}`, false] as const,
    ),
    ['    1月工资 … 12月工资：1月、1月份、1月份工资、1月应发工资、一月 …', false],
    ['', false],
    [exampleHead, true],
    [exampleQuota, false],
    [exampleReward, false],
  ];
  lines.forEach(([text, bold], i) => {
    const c = help.getCell(i + 1, 1);
    c.value = text;
    c.font = { bold, size: bold ? 13 : 11 };
  });

  const emp = wb.addWorksheet(EMPLOYER_SHEET);
  emp.columns = [{ width: 26 }, { width: 36 }, { width: 60 }];
  emp.getRow(1).values = ['项目', '填写内容', '说明'];
  emp.getRow(1).font = { bold: true };
  EMPLOYER_FIELDS.forEach((f, i) => {
    const r = i + 2;
    emp.getCell(r, 1).value = f.zh;
    emp.getCell(r, 1).font = { bold: f.required };
    const v = emp.getCell(r, 2);
    if (f.key === 'year') v.value = year;
    if (f.kind === 'date') v.numFmt = 'yyyy-mm-dd';
    if (f.kind === 'money') v.numFmt = '#,##0.00';
    const dv = validationFor(f);
    if (dv && f.kind !== 'text' && f.kind !== 'uscc') v.dataValidation = dv;
    emp.getCell(r, 3).value = `${f.required ? '（必填）' : ''}${f.hint}`;
  });
  emp.views = [{ state: 'frozen', ySplit: 1 }];

  const ros = wb.addWorksheet(EMPLOYEE_SHEET);
  ros.columns = EMPLOYEE_FIELDS.map((f) => ({ header: f.zh, key: f.key, width: f.width ?? 12 }));
  const header = ros.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  EMPLOYEE_FIELDS.forEach((f, i) => {
    const col = i + 1;
    const names = otherNames(f);
    header.getCell(col).note =
      `${f.required ? '必填。' : ''}${f.hint}。` +
      (names.length ? `也可写作：${names.join('、')}；` : '') +
      `英文列名 ${englishHeader(f)}`;
    if (f.kind === 'date') ros.getColumn(col).numFmt = 'yyyy-mm-dd';
    if (f.kind === 'money') ros.getColumn(col).numFmt = '#,##0.00';
    if (f.kind === 'id' || f.kind === 'cert' || f.kind === 'months') ros.getColumn(col).numFmt = '@';
    const dv = validationFor(f);
    if (dv && ['enum', 'bool', 'date', 'money'].includes(f.kind)) {
      for (let r = 2; r <= TEMPLATE_ROWS; r++) ros.getCell(r, col).dataValidation = dv;
    }
  });
  const id = exampleIdNumber();
  const example: Record<string, unknown> = {
    name: `${EXAMPLE_MARK}张三`,
    idNumber: id,
    disabilityCert: `${id}42`,
    hired: new Date(Date.UTC(year - 1, 2, 1)),
    contractStart: new Date(Date.UTC(year - 1, 2, 1)),
    employmentForm: '全日制',
    insuredMonths: '1-12',
    monthlyWage: 4800,
    femalePost: '工人',
  };
  const exRow = ros.getRow(2);
  EMPLOYEE_FIELDS.forEach((f, i) => {
    if (example[f.key] !== undefined) exRow.getCell(i + 1).value = example[f.key] as ExcelJS.CellValue;
  });
  exRow.font = { italic: true, color: { argb: 'FF808080' } };
  ros.views = [{ state: 'frozen', ySplit: 1 }];
  ros.autoFilter = { from: 'A1', to: `${columnLetter(EMPLOYEE_FIELDS.length)}1` };
  return wb;
}

export async function writeTemplate(file: string, opts: { year?: number } = {}): Promise<void> {
  const wb = await buildTemplate(opts);
  await wb.xlsx.writeFile(file);
}
