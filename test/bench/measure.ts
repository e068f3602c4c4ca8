/**
 * One measurement in a fresh process, so its peak RSS is its own:
 *   baseline FILE — the bare exceljs streaming read (every row's values touched)
 *   full FILE     — quota check: read + validate + evaluate (ingestFile + check)
 * Prints {ms, peakMB, rows}.
 */
import ExcelJS from 'exceljs';
import { basename } from 'node:path';
import { ingestFile } from '../../server/ingest';
import { shippedParameters } from '../../server/params/load-parameters';
import { check } from '../../server/rules/check';

async function baseline(file: string): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  let rows = 0, cells = 0;
  for await (const ws of reader) {
    for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
      rows++;
      cells += (row.values as unknown[]).length;
    }
  }
  return cells > 0 ? rows : 0;
}

async function full(file: string): Promise<number> {
  const params = shippedParameters();
  const r = await ingestFile(file, { fileName: basename(file), params });
  if (r.hasErrors || !r.employer) throw new Error(`unexpected problems: ${JSON.stringify(r.problems.slice(0, 3))}`);
  const result = check(r.employer, r.employees, params);
  if (!(result.annual.avgStaff > 0)) throw new Error('no staff counted');
  return r.rowsRead;
}

async function run() {
  const [mode, file] = process.argv.slice(2);
  if (mode === 'full') shippedParameters(); // parameter files are read once at start-up, not per check
  const t0 = process.hrtime.bigint();
  const rows = mode === 'baseline' ? await baseline(file) : await full(file);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const peakMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, peakMB, rows }) + '\n');
}

run().catch((e) => { process.stderr.write(String(e?.stack ?? e)); process.exit(1); });
