/**
 * The streaming loop over an .xlsx and nothing else: the workbook part read first (sheet names and
 * order), each worksheet streamed as rows of plain cells and handed to the pure sheet parsers, the row
 * limit enforced, progress reported. Everything it cannot read becomes a problem, never a stack trace:
 * a part that inflates past its declared size or the limits is a zip bomb, a local entry the central
 * directory does not list (or lists differently) is refused.
 */
import { EMPLOYEE_SHEET, EMPLOYER_SHEET, normalizeHeader } from './columns';
import type { LabelledRow } from './employer-sheet';
import { RosterParser } from './employee-sheet';
import type { IngestLimits } from './limits';
import type { ProblemList } from './problem';
import { readSheetRows, readWorkbookInfo } from './xlsx/workbook';
import { XmlError } from './xlsx/xml';
import { ZipFile, ZipRefusal } from './xlsx/zip';

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

export async function readXlsx(
  path: string,
  sink: SheetSink,
  problems: ProblemList,
  limits: IngestLimits,
  onProgress?: (rows: number) => void,
): Promise<void> {
  let rosterRows = 0;
  let stopped = false;
  try {
    const zip = ZipFile.open(path, limits);
    const book = await readWorkbookInfo(zip);
    // the roster is the sheet named so; without one, the first visible sheet whose header is found, whatever its name
    const named = book.sheets.some((s) => s.part && EMPLOYEE_NAMES.has(normalizeHeader(s.name)));
    for (const sheet of book.sheets) {
      if (!sheet.part) continue;
      const name = sheet.name;
      sink.sheetsSeen.push(name);
      const key = normalizeHeader(name);
      if (EMPLOYER_NAMES.has(key)) {
        sink.employerSheetSeen = true;
        await readSheetRows(zip, sheet.part, book, (cells, row) => {
          sink.totalRows++;
          sink.employerRows.push({ row, label: cells[1] ?? null, value: cells[2] ?? null, cell: `B${row}` });
          return sink.employerRows.length <= 200;
        });
      } else if (!stopped && !sink.rosterSheetSeen && (named ? EMPLOYEE_NAMES.has(key) : sheet.state === 'visible')) {
        const roster = sink.roster;
        roster.sheet = name;
        roster.probing = !named;
        let probed = false;
        await readSheetRows(zip, sheet.part, book, (cells, row) => {
          sink.totalRows++;
          if (probed) return;
          roster.push(cells, row);
          if (roster.probing && roster.headerRow === -1) {
            // not the roster: the rest of the sheet is only counted, and the next sheet is looked at
            probed = true;
            roster.reset();
            return;
          }
          rosterRows++;
          if (sink.roster.rowsRead > limits.maxRows) {
            problems.error('file/too-many-rows', name, `A${row}`, { limit: limits.maxRows });
            stopped = true;
            return false;
          }
          if (onProgress && (rosterRows & 0x3ff) === 0) onProgress(rosterRows);
        });
        if (probed) continue;
        roster.end();
        if (roster.probing && !roster.found) {
          roster.reset();
          continue;
        }
        sink.rosterSheetSeen = true;
      } else {
        // sheets we do not read (instructions, the user's own notes) are still counted and checked
        await readSheetRows(zip, sheet.part, book, () => {
          sink.totalRows++;
        });
      }
    }
  } catch (err) {
    if (err instanceof ZipRefusal) problems.error(err.code, '', '', err.params);
    else {
      const detail = err instanceof XmlError ? `XML ${err.message}` : (err as Error).message;
      problems.error('file/corrupt', sink.sheetsSeen.at(-1) ?? '', 'A1', { detail: detail.slice(0, 120) });
    }
  }
  onProgress?.(rosterRows);
}
