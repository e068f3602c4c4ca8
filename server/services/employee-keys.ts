/**
 * What a submission keeps to compare versions: a keyed hash of each employee's ID (not the ID) and the
 * masked name. The raw upload keeps the personal data; the diff never needs it.
 */
import { createHmac } from 'node:crypto';
import { maskName } from '../i18n/labels';
import type { Employee } from '../rules/types';

export interface EmployeeKey {
  h: string;
  n: string;
  disabled: boolean;
}

/** The keyed hash an employee is known by outside their own unit's records (the same ID gives the same key in every unit). */
export const employeeKeyOf = (idNumber: string, secret: string): string =>
  createHmac('sha256', secret).update(idNumber).digest('hex').slice(0, 32);

export function employeeKeys(employees: readonly Employee[], secret: string): EmployeeKey[] {
  return employees.map((e) => ({
    h: employeeKeyOf(e.idNumber, secret),
    n: maskName(e.name),
    disabled: e.cert !== null || e.veteranGrade !== null,
  }));
}

/**
 * What a result keeps of each disabled employee it counts, for the city-wide search for a person counted by two
 * units in one month (docs/rules.md §4.2): the key, the masked name, and what the unit says — the months counted
 * and insured, the entry and contract dates. No ID or certificate number.
 */
export interface CountedPerson {
  key: string;
  row: number;
  maskedName: string;
  weight: number;
  /** bit m − 1: counted in month m */
  monthsMask: number;
  /** bit m − 1: social insurance paid for month m, as the workbook says; null: every month employed */
  insuredMask: number | null;
  hired: string;
  left: string | null;
  contractStart: string;
  contractEnd: string | null;
}

export const maskOf = (months: readonly number[]) => months.reduce((a, m) => a | (1 << (m - 1)), 0);
export const monthsOf = (mask: number) =>
  Array.from({ length: 12 }, (_, i) => i + 1).filter((m) => mask & (1 << (m - 1)));

export function countedPersons(
  counted: readonly { row: number; weight: number; months: readonly number[] }[],
  employees: readonly Employee[],
  secret: string,
): CountedPerson[] {
  const byRow = new Map(employees.map((e) => [e.row, e]));
  return counted.flatMap((c) => {
    const e = byRow.get(c.row);
    if (!e) return [];
    return [
      {
        key: employeeKeyOf(e.idNumber, secret),
        row: c.row,
        maskedName: maskName(e.name),
        weight: c.weight,
        monthsMask: maskOf(c.months),
        insuredMask: e.insuredMonths === null ? null : maskOf(e.insuredMonths),
        hired: e.hired,
        left: e.left,
        contractStart: e.contractStart,
        contractEnd: e.contractEnd,
      },
    ];
  });
}
