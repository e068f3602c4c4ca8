/**
 * "Start next year from this one": the template for Y + 1 prefilled with the employer and with every employee
 * still employed at the end of Y, so the clerk only updates what changed. Wages start from December's;
 * the social-insurance months and the per-month wages are left blank for the new year, and so is what the
 * source row left blank and the reader filled by its default (合同开始, a woman's 女职工岗位): that cell is
 * marked and says what to fill.
 */
import type ExcelJS from 'exceljs';
import { EMPLOYEE_FIELDS, EMPLOYEE_SHEET, EMPLOYER_FIELDS, EMPLOYER_SHEET, type FieldSpec } from './columns';
import { buildTemplate } from './template';
import type { AssumedAttribute, Employee, Employer } from '../rules/types';

/** The fill of a cell left for the clerk (the annotated workbook's warning colour), and what the reader assumed. */
const ASK_FILL = 'FFFFEB9C';
const ASSUMED_AS: Record<AssumedAttribute, string> = { contractStart: '入职日期', femalePost: '工人' };

const date = (iso: string | null) => (iso ? new Date(`${iso}T00:00:00Z`) : null);

function stillEmployedAtYearEnd(employees: readonly Employee[], year: number): Employee[] {
  const end = `${year}-12-31`;
  return employees.filter((e) => e.hired <= end && (e.left === null || e.left > end));
}

export async function buildCarryForward(
  employer: Employer,
  employees: readonly Employee[],
): Promise<{ workbook: ExcelJS.Workbook; carried: number; year: number }> {
  const next = employer.year + 1;
  const wb = await buildTemplate({ year: next });
  const emp = wb.getWorksheet(EMPLOYER_SHEET)!;
  // every attribute of EMPLOYER_FIELDS is carried, written as its kind is read; the year moves on, and a
  // figure of the data year itself is left for the clerk
  const values = employer as unknown as Record<string, unknown>;
  const cellOf = (f: FieldSpec): ExcelJS.CellValue => {
    const v = values[f.key];
    if (f.kind === 'year') return next;
    if (f.ofTheYear || v === null || v === undefined) return null;
    if (f.kind === 'bool') return v ? '是' : '否';
    if (f.kind === 'date') return date(v as string);
    if (f.kind === 'int') return (v as number) || null;
    return typeof v === 'number' || typeof v === 'string' ? v : String(v);
  };
  EMPLOYER_FIELDS.forEach((f, i) => {
    const v = cellOf(f);
    if (v !== null) emp.getCell(i + 2, 2).value = v;
  });

  const ros = wb.getWorksheet(EMPLOYEE_SHEET)!;
  const kept = stillEmployedAtYearEnd(employees, employer.year);
  kept.forEach((e, n) => {
    const v: Record<string, ExcelJS.CellValue> = {
      name: e.name,
      idNumber: e.idNumber,
      disabilityCert: e.cert ? `${e.idNumber}${e.cert.category}${e.cert.grade}` : null,
      veteranGrade: e.veteranGrade,
      hired: date(e.hired),
      contractStart: date(e.contractStart),
      contractEnd: date(e.contractEnd),
      employmentForm: e.form,
      dispatchCountedHere: e.form === '劳务派遣' ? (e.dispatchCountedHere ? '是' : '否') : null,
      monthlyWage: e.wagesFen[11] / 100,
      femalePost: e.sex === 'F' ? e.femalePost : null,
    };
    const row = ros.getRow(n + 3);
    const assumed = new Set<string>(e.assumed ?? []);
    EMPLOYEE_FIELDS.forEach((f, i) => {
      const cell = row.getCell(i + 1);
      if (assumed.has(f.key)) {
        // a default the reader filled in is not carried as a fact: blank, marked, for the clerk to fill
        cell.style = { ...cell.style, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: ASK_FILL } } };
        cell.note = `${employer.year}年度表中此项未填写（当年按“${ASSUMED_AS[f.key as AssumedAttribute]}”计算），请核实后填写。`;
      } else if (v[f.key] !== undefined && v[f.key] !== null) cell.value = v[f.key];
    });
  });
  return { workbook: wb, carried: kept.length, year: next };
}
