/**
 * The employer's report workbook is a spreadsheet to work with: money is a number formatted #,##0.00 (never
 * text), the employment ratio and the quota ratio are numbers formatted as percentages, persons keep their
 * decimals, every column has a width, and long text wraps. Both languages.
 */
import ExcelJS from 'exceljs';
import { buildEmployerReport, NUM_FMT } from '../../reports/employer/report-xlsx';
import { resultView } from '../../reports/employer/result-view';
import { serializeResult } from '../../reports/stored-result';
import { shippedParameters } from '../../server/params/load-parameters';
import { check } from '../../server/rules/check';
import { employerWith, type Employee, type Employer } from '../../server/rules/types';

const employer: Employer = employerWith({
  name: '嘉兴示例精密机械有限公司',
  uscc: '91330481MA2B3C4D01',
  county: '海宁市',
  unitType: '企业',
  founded: '2010-01-01',
  year: 2025,
  ecommerce: true,
});
const person = (row: number, grade: number | null, hired = '2020-01-01'): Employee => ({
  row,
  name: `职工${row}`,
  idNumber: 'x',
  birthDate: '1990-01-01',
  sex: 'M',
  cert: grade ? { category: 4, grade } : null,
  veteranGrade: null,
  hired,
  left: null,
  contractStart: '2020-01-01',
  contractEnd: null,
  form: '全日制',
  dispatchCountedHere: false,
  insuredMonths: null,
  wagesFen: Array(12).fill(612_345),
  femalePost: '工人',
});

// a short unit with fractional staff (some hired mid-year), and an over-quota one with a reward
const cases = {
  short: [
    ...Array.from({ length: 130 }, (_, i) => person(i + 2, null, i < 5 ? '2025-04-10' : '2020-01-01')),
    person(200, 3),
  ],
  reward: [
    ...Array.from({ length: 40 }, (_, i) => person(i + 2, null)),
    ...Array.from({ length: 4 }, (_, i) => person(i + 50, 3)),
  ],
};

const MONEY_SHEETS_ZH = ['摘要', '申报表填报', '月度', '奖励', '招聘测算'];

describe.each(Object.entries(cases))('the %s report', (_name, staff) => {
  const r = check(employer, staff, shippedParameters());
  const view = resultView({ id: 'c1', result_json: serializeResult(r) }, 'zh');

  test.each(['zh', 'en'] as const)(
    'in %s: numbers are numbers with their formats, columns have widths',
    async (lang) => {
      const built = buildEmployerReport(
        resultView({ id: 'c1', result_json: serializeResult(r) }, lang),
        lang,
        '2026-11-29T03:28:00Z',
      );
      // read back as a spreadsheet program would
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await built.xlsx.writeBuffer()) as ArrayBuffer);
      for (const ws of wb.worksheets) {
        const used = ws.columnCount;
        for (let c = 1; c <= used; c++) expect(ws.getColumn(c).width ?? 0).toBeGreaterThanOrEqual(8);
        ws.eachRow((row, n) => {
          if (n === 1) return;
          row.eachCell((cell) => {
            // no figure written as text: "63,720.00", "1.50 %", "0.60"
            if (typeof cell.value === 'string')
              expect(`${ws.name}!${cell.address}: ${cell.value}`).not.toMatch(/: [−-]?[\d,]+(\.\d+)?\s?%?$/);
            // a number carries one of the report's formats (a unit may follow it: #,##0.00" 元")
            if (typeof cell.value === 'number' && cell.numFmt)
              expect(Object.values(NUM_FMT).some((f) => cell.numFmt === f || cell.numFmt.startsWith(`${f}" `))).toBe(
                true,
              );
          });
        });
      }
      const summary = wb.worksheets[0];
      const byLabel = new Map<string, ExcelJS.Cell>();
      summary.eachRow((row) => byLabel.set(String(row.getCell(1).value), row.getCell(2)));
      const label = (zh: string, en: string) => byLabel.get(lang === 'zh' ? zh : en)!;
      const levy = label('应缴残疾人就业保障金', 'Levy payable');
      expect(levy.value).toBe(r.levy.payable);
      expect(levy.numFmt).toBe('#,##0.00');
      const ratio = label('实际安排比例', 'employment ratio');
      expect(ratio.value).toBe(r.annual.ratio);
      expect(ratio.numFmt).toBe('0.00%');
      const avgStaff = label('上年在职职工人数（年平均）', 'average staff');
      expect(avgStaff.value).toBe(r.annual.avgStaff);
      expect(avgStaff.numFmt).toBe('#,##0.00##');

      const tax = wb.worksheets[1];
      const col = (n: number) => tax.getRow(n - 2).getCell(3);
      expect(col(6).value).toBe(r.taxForm.col6);
      expect(col(6).numFmt).toBe('0.00%');
      for (const n of [4, 8, 9, 10, 11, 12]) {
        expect(typeof col(n).value).toBe('number');
        expect(col(n).numFmt).toBe('#,##0.00');
      }
      expect(col(5).value).toBe(r.taxForm.col5);

      // the explanations give each figure's value as a number too, with its unit in the format
      const explained = wb.worksheets.find((w) => w.name === (lang === 'zh' ? '计算说明' : 'Explanations'))!;
      const values = new Map<string, ExcelJS.Cell>();
      explained.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2)));
      const payable = values.get(lang === 'zh' ? '应缴残疾人就业保障金' : 'levy payable')!;
      expect(payable.value).toBe(r.levy.payable);
      expect(payable.numFmt).toBe(lang === 'zh' ? '#,##0.00" 元"' : '#,##0.00" yuan"');
      expect(values.get(lang === 'zh' ? '实际安排比例' : 'employment ratio')!.numFmt).toBe('0.00%');
    },
  );

  test('every money column of the Chinese report is formatted as money', async () => {
    const wb = buildEmployerReport(view, 'zh', '2026-11-29T03:28:00Z');
    let moneyCells = 0;
    for (const name of MONEY_SHEETS_ZH) {
      const ws = wb.getWorksheet(name)!;
      const heads = (ws.getRow(1).values as unknown[]).map(String);
      heads.forEach((h, c) => {
        if (!/（元）$/.test(h)) return;
        ws.getColumn(c).eachCell((cell, n) => {
          if (n === 1 || cell.value === null || cell.value === '') return;
          expect(typeof cell.value).toBe('number');
          expect(cell.numFmt).toBe('#,##0.00');
          moneyCells++;
        });
      });
    }
    expect(moneyCells).toBeGreaterThan(24);
  });
});
