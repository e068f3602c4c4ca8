/**
 * "Start next year from this one": the template for Y + 1 prefilled with the employer and with every employee
 * still employed at the end of Y, so the clerk only updates what changed. Wages start from December's;
 * the social-insurance months and the per-month wages are left blank for the new year.
 */
import type ExcelJS from 'exceljs';
import { EMPLOYEE_FIELDS, EMPLOYEE_SHEET, EMPLOYER_FIELDS, EMPLOYER_SHEET } from './columns';
import { buildTemplate } from './template';
import type { Employee, Employer } from '../rules/types';

const date = (iso: string | null) => (iso ? new Date(`${iso}T00:00:00Z`) : null);

export function stillEmployedAtYearEnd(employees: readonly Employee[], year: number): Employee[] {
  const end = `${year}-12-31`;
  return employees.filter((e) => e.hired <= end && (e.left === null || e.left > end));
}

export async function buildCarryForward(
  employer: Employer,
  employees: readonly Employee[],
): Promise<{ workbook: ExcelJS.Workbook; carried: number }> {
  const next = employer.year + 1;
  const wb = await buildTemplate({ year: next });
  const emp = wb.getWorksheet(EMPLOYER_SHEET)!;
  const employerValues: Record<string, ExcelJS.CellValue> = {
    name: employer.name,
    uscc: employer.uscc,
    county: employer.county,
    unitType: employer.unitType,
    founded: date(employer.founded),
    year: next,
    blindMassage: employer.blindMassage ? '是' : '否',
    auxiliaryEmployment: employer.auxiliaryEmployment ? '是' : '否',
    ecommerce: employer.ecommerce ? '是' : '否',
    povertyReliefBase: employer.povertyReliefBase ? '是' : '否',
    familiesSupported: employer.familiesSupported || null,
    taxPreference: employer.taxPreference ? '是' : '否',
  };
  EMPLOYER_FIELDS.forEach((f, i) => {
    if (employerValues[f.key] !== undefined) emp.getCell(i + 2, 2).value = employerValues[f.key];
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
    EMPLOYEE_FIELDS.forEach((f, i) => {
      if (v[f.key] !== undefined && v[f.key] !== null) row.getCell(i + 1).value = v[f.key];
    });
  });
  return { workbook: wb, carried: kept.length };
}
