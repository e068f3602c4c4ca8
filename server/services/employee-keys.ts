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

export function employeeKeys(employees: readonly Employee[], secret: string): EmployeeKey[] {
  return employees.map((e) => ({
    h: createHmac('sha256', secret).update(e.idNumber).digest('hex').slice(0, 32),
    n: maskName(e.name),
    disabled: e.cert !== null || e.veteranGrade !== null,
  }));
}
