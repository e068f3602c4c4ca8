/**
 * Golden cases (test/golden/*.yaml) run through the real path: a workbook written by an independent
 * writer → ingestFile → check → docs/rules.md §10 JSON, compared to figures computed by hand (working in each case).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffExpected, loadCases, runGoldenCase as runCase } from '../helpers/golden';

const GOLDEN = join(__dirname, '..', 'golden');
const dir = mkdtempSync(join(tmpdir(), 'golden-'));
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
