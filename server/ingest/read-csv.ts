/**
 * A CSV holds the employee sheet alone (docs/rules.md §3); the employer comes from command-line flags or the
 * web form. UTF-8 (with or without BOM) or, as Excel in China often saves it, GB18030.
 */
import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { EMPLOYEE_SHEET } from './columns';
import type { SheetSink } from './read-workbook';
import type { IngestLimits } from './limits';
import type { ProblemList } from './problem';

export function decodeCsv(buf: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(buf);
    } catch {
      return null;
    }
  }
}

export async function readCsv(
  path: string,
  sink: SheetSink,
  problems: ProblemList,
  limits: IngestLimits,
  onProgress?: (rows: number) => void,
): Promise<void> {
  const text = decodeCsv(readFileSync(path));
  if (text === null) {
    problems.error('file/csv-encoding', EMPLOYEE_SHEET, 'A1');
    return;
  }
  sink.sheetsSeen.push(EMPLOYEE_SHEET);
  const parser = Readable.from([text]).pipe(parse({ relax_column_count: true, skip_empty_lines: false, bom: true }));
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      sink.roster.push([null, ...record.map((v) => (v === '' ? null : v))], row);
      if (sink.roster.rowsRead > limits.maxRows) {
        problems.error('file/too-many-rows', EMPLOYEE_SHEET, `A${row}`, { limit: limits.maxRows });
        break;
      }
      if (onProgress && (row & 0x3ff) === 0) onProgress(row);
    }
  } catch (err) {
    problems.error('file/corrupt', EMPLOYEE_SHEET, `A${row + 1}`, { detail: (err as Error).message.slice(0, 120) });
  }
  sink.roster.end();
  onProgress?.(row);
}
