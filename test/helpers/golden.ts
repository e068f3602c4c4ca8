/**
 * Golden cases: plain data (OpenFisca-style). A case's employees are rows keyed by the English
 * headers of docs/rules.md §3.2, with two conveniences that only make test data: `id: {birth, sex}` makes a valid
 * ID number and `cert: {category, grade}` a matching certificate; `repeat: N` makes N such rows.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ingestFile } from '../../server/ingest';
import { buildParameters, loadParameterDefs } from '../../server/params/load-parameters';
import { check } from '../../server/rules/check';
import type { ParamValue } from '../../server/rules/parameters/table';
import { makeCert, makeId, makeUscc, resetIds } from './people';
import { employerRows, rosterRows, writeWorkbook } from './workbook';

export interface GoldenCase {
  name: string;
  working?: string;
  employer: Record<string, unknown>;
  employees: Record<string, unknown>[];
  settings?: Record<string, unknown>;
  parameters?: { id: string; value: Record<string, unknown> }[];
  expected: Record<string, unknown>;
  exitCode?: number;
  /** Months another unit keeps (docs/rules.md §4.2): `employee` is the 1-based place in the expanded list. */
  withheld?: { employee: number; months: number[] }[];
  /** The 残联's certificate register (docs/rules.md §4.3): one entry per listed employee (1-based place). */
  /** The insurer's payment records of the unit (docs/rules.md §4.4): the months each listed employee was paid for. */
  insurance?: { employee: number; months: number[] }[];
  register?: {
    employee: number;
    category: number;
    grade: number;
    issued?: string;
    validTo?: string | null;
    cancelledOn?: string | null;
  }[];
}

export function loadCases(file: string): GoldenCase[] {
  return parse(readFileSync(file, 'utf8')) as GoldenCase[];
}

export function expandEmployees(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const r of rows) {
    const {
      repeat = 1,
      id,
      cert,
      ...rest
    } = r as { repeat?: number; id?: { birth: string; sex: 'M' | 'F' }; cert?: { category: number; grade: number } };
    for (let i = 0; i < repeat; i++) {
      const idNumber =
        ((rest as Record<string, unknown>).id_number as string | undefined) ??
        makeId(id?.birth ?? '1990-01-01', id?.sex ?? 'M');
      const row: Record<string, unknown> = { name: `职工${out.length + 1}`, ...rest, id_number: idNumber };
      if (cert) row.disability_cert = makeCert(idNumber, cert.category, cert.grade);
      out.push(row);
    }
  }
  return out;
}

/** Compares expected ⊆ actual; numbers within 5e-5 (money is already rounded to 0.01, so a fen shows). */
export function diffExpected(expected: unknown, actual: unknown, path = ''): string[] {
  if (typeof expected === 'number') {
    return typeof actual === 'number' && Math.abs(expected - actual) <= 5e-5
      ? []
      : [`${path}: expected ${expected}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    if (expected.length !== actual.length)
      return [
        `${path}: expected ${expected.length} items, got ${actual.length}: ${JSON.stringify(actual).slice(0, 400)}`,
      ];
    return expected.flatMap((e, i) => diffExpected(e, actual[i], `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object')
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) =>
      diffExpected(v, (actual as Record<string, unknown>)[k], path ? `${path}.${k}` : k),
    );
  }
  return expected === actual ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/** A golden case through the real path: its workbook written to `file`, read, then checked. */
export async function runGoldenCase(c: GoldenCase, file: string) {
  resetIds();
  const employer = {
    name: '嘉兴测试有限公司',
    uscc: makeUscc('MA2GQL01'),
    county: '海宁市',
    unit_type: '企业',
    founded: '2010-01-01',
    ...c.employer,
  };
  const employees = expandEmployees(c.employees);
  const header = [...new Set(employees.flatMap((e) => Object.keys(e)))];
  await writeWorkbook(file, [
    { name: '单位信息', rows: employerRows(employer) },
    { name: '职工名册', rows: rosterRows(header, employees) },
  ]);
  const params = buildParameters(
    loadParameterDefs(),
    (c.parameters ?? []).map((p) => ({ id: p.id, value: p.value as unknown as ParamValue })),
  );
  const ingested = await ingestFile(file, { fileName: 'case.xlsx', params, today: '2026-11-28' });
  if (ingested.hasErrors || !ingested.employer) return { problems: ingested.problems };
  // the engine knows a person by the caller's key; here the key is the ID number itself
  const withheld = c.withheld?.length
    ? {
        keyOf: (e: { idNumber: string }) => e.idNumber,
        months: new Map(c.withheld.map((w) => [employees[w.employee - 1].id_number as string, w.months])),
      }
    : undefined;
  const register = c.register
    ? {
        keyOf: (e: { idNumber: string }) => e.idNumber,
        entries: new Map(
          c.register.map((r) => [
            employees[r.employee - 1].id_number as string,
            {
              category: r.category,
              grade: r.grade,
              issued: r.issued ?? '2015-01-01',
              validTo: r.validTo ?? null,
              cancelledOn: r.cancelledOn ?? null,
            },
          ]),
        ),
      }
    : undefined;
  const insurance = c.insurance
    ? {
        keyOf: (e: { idNumber: string }) => e.idNumber,
        paid: new Map(
          c.insurance.map((r) => [
            employees[r.employee - 1].id_number as string,
            r.months.reduce((a, m) => a | (1 << (m - 1)), 0),
          ]),
        ),
      }
    : undefined;
  return check(ingested.employer, ingested.employees, params, c.settings ?? {}, ingested.problems, {
    withheld,
    register,
    insurance,
  });
}
