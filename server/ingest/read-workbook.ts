/**
 * The streaming loop over an .xlsx (exceljs WorkbookReader) and nothing else: sheet names resolved,
 * rows reduced to plain cells and handed to the pure sheet parsers, the row limit enforced, progress
 * reported. Everything it cannot read becomes a problem, never a stack trace.
 */
import ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import { toCells } from './cell-value';
import { EMPLOYEE_SHEET, EMPLOYER_SHEET, normalizeHeader } from './columns';
import type { LabelledRow } from './employer-sheet';
import { RosterParser } from './employee-sheet';
import type { IngestLimits } from './limits';
import type { ProblemList } from './problem';

export interface SheetSink {
  employerRows: LabelledRow[];
  roster: RosterParser;
  sheetsSeen: string[];
  employerSheetSeen: boolean;
  rosterSheetSeen: boolean;
  /** Non-empty rows across every sheet, to tell an empty workbook from a malformed one. */
  totalRows: number;
}

const EMPLOYER_NAMES = new Set([EMPLOYER_SHEET, 'employer'].map(normalizeHeader));
const EMPLOYEE_NAMES = new Set([EMPLOYEE_SHEET, 'employees', 'roster'].map(normalizeHeader));

interface ReaderInternals {
  model?: { sheets?: { name: string; id: number; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
}

function sheetName(reader: ReaderInternals, id: number | string): string {
  const rel = reader.workbookRels?.find((r) => r.Target.replace(/^\/?(xl\/)?/, '') === `worksheets/sheet${id}.xml`);
  const sheet = rel && reader.model?.sheets?.find((s) => s.rId === rel.Id);
  return sheet?.name ?? `Sheet${id}`;
}

export async function readXlsx(path: string, sink: SheetSink, problems: ProblemList, limits: IngestLimits, onProgress?: (rows: number) => void): Promise<void> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(path), {
    sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
  });
  let rosterRows = 0;
  let stopped = false;
  try {
    for await (const ws of reader) {
      const w = ws as unknown as { id: number; [Symbol.asyncIterator](): AsyncIterator<ExcelJS.Row> };
      const name = sheetName(reader as unknown as ReaderInternals, w.id);
      sink.sheetsSeen.push(name);
      const key = normalizeHeader(name);
      if (EMPLOYER_NAMES.has(key)) {
        sink.employerSheetSeen = true;
        for await (const row of w as AsyncIterable<ExcelJS.Row>) {
          sink.totalRows++;
          const cells = toCells(row.values);
          sink.employerRows.push({ row: row.number, label: cells[1] ?? null, value: cells[2] ?? null, cell: `B${row.number}` });
          if (sink.employerRows.length > 200) break;
        }
      } else if (EMPLOYEE_NAMES.has(key) && !stopped) {
        sink.rosterSheetSeen = true;
        for await (const row of w as AsyncIterable<ExcelJS.Row>) {
          rosterRows++;
          sink.totalRows++;
          sink.roster.push(toCells(row.values), row.number);
          if (sink.roster.rowsRead > limits.maxRows) {
            problems.error('file/too-many-rows', name, `A${row.number}`, { limit: limits.maxRows });
            stopped = true;
            break;
          }
          if (onProgress && (rosterRows & 0x3ff) === 0) onProgress(rosterRows);
        }
        sink.roster.end();
      } else {
        // drain sheets we do not read (instructions, the user's own notes)
        for await (const _row of w as AsyncIterable<ExcelJS.Row>) sink.totalRows++;
      }
    }
  } catch (err) {
    problems.error('file/corrupt', sink.sheetsSeen.at(-1) ?? '', 'A1', { detail: (err as Error).message.slice(0, 120) });
  }
  onProgress?.(rosterRows);
}
