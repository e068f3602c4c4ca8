/**
 * Golden cases (test/golden/*.yaml) run through the real path: a workbook written by an independent
 * writer → ingestFile → check → docs/rules.md §10 JSON, compared to figures computed by hand (working in each case).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFile } from '../../server/ingest';
import { buildParameters, loadParameterDefs } from '../../server/params/load-parameters';
import { check } from '../../server/rules/check';
import type { ParamValue } from '../../server/rules/parameters/table';
import { diffExpected, expandEmployees, loadCases, type GoldenCase } from '../helpers/golden';
import { makeUscc, resetIds } from '../helpers/people';
import { employerRows, rosterRows, writeWorkbook } from '../helpers/workbook';

const GOLDEN = join(__dirname, '..', 'golden');
const dir = mkdtempSync(join(tmpdir(), 'golden-'));
const defs = loadParameterDefs();

export async function runCase(c: GoldenCase, file: string) {
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
    defs,
    (c.parameters ?? []).map((p) => ({ id: p.id, value: p.value as unknown as ParamValue })),
  );
  const ingested = await ingestFile(file, { fileName: 'case.xlsx', params, today: '2026-11-28' });
  if (ingested.hasErrors || !ingested.employer) return { problems: ingested.problems };
  return check(ingested.employer, ingested.employees, params, c.settings ?? {}, ingested.problems);
}

for (const f of readdirSync(GOLDEN)
  .filter((x) => x.endsWith('.yaml'))
  .sort()) {
  describe(`golden ${f}`, () => {
    loadCases(join(GOLDEN, f)).forEach((c, i) => {
      test(c.name, async () => {
        const result = await runCase(c, join(dir, `${f}-${i}.xlsx`));
        if (!('months' in result)) expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(diffExpected(c.expected, result)).toEqual([]);
      });
    });
  });
}
