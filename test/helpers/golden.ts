/**
 * Golden cases: plain data (OpenFisca-style). A case's employees are rows keyed by the English
 * headers of docs/rules.md §3.2, with two conveniences that only make test data: `id: {birth, sex}` makes a valid
 * ID number and `cert: {category, grade}` a matching certificate; `repeat: N` makes N such rows.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { makeCert, makeId } from './people';

export interface GoldenCase {
  name: string;
  working?: string;
  employer: Record<string, unknown>;
  employees: Record<string, unknown>[];
  settings?: Record<string, unknown>;
  parameters?: { id: string; value: Record<string, unknown> }[];
  expected: Record<string, unknown>;
  exitCode?: number;
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
