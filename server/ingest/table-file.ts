/**
 * The rows of a one-table file an administrator or officer imports (the register of units, the 残联's
 * certificate register, the insurer's payment records): the file guard first (size, format, zip bombs), then
 * a CSV's records or the rows of one worksheet — the sheet named `sheet` when there is one, else the first
 * visible — as cells with their row numbers, column A at index 1 as in a worksheet. A file with more than
 * `maxRows` data rows (plus the header) is refused with `tooMany`.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { normalizeHeader } from './columns';
import { inspectFile } from './file-guard';
import type { Cell } from './fields/result';
import { DEFAULT_LIMITS, type IngestLimits } from './limits';
import { decodeCsv } from './read-csv';
import { readSheetRows, readWorkbookInfo } from './xlsx/workbook';
import { XmlError } from './xlsx/xml';
import { ZipFile, ZipRefusal } from './xlsx/zip';

export interface TableRow {
  cells: Cell[];
  row: number;
}

/** Why a whole file was refused: an ingest code and its message's parameters. */
export interface TableRefusal {
  code: string;
  params?: Record<string, string | number>;
}

export interface TableFileOptions {
  /** the worksheet's expected name, matched as headers are; the first visible sheet otherwise */
  sheet?: string;
  maxRows: number;
  /** the code a file with too many rows is refused with (its message takes `limit`) */
  tooMany: string;
}

export async function readTableRows(
  path: string,
  fileName: string,
  options: TableFileOptions,
  limits: IngestLimits = DEFAULT_LIMITS,
): Promise<{ rows: TableRow[] } | { refused: TableRefusal }> {
  const { sheet: sheetName, maxRows, tooMany } = options;
  const tooManyRows = { refused: { code: tooMany, params: { limit: maxRows } } };
  const verdict = inspectFile(path, fileName, limits);
  if (verdict.kind === 'refused') return { refused: { code: verdict.code, params: verdict.params } };
  const rows: TableRow[] = [];
  if (verdict.kind === 'csv') {
    const text = decodeCsv(readFileSync(path));
    if (text === null) return { refused: { code: 'file/csv-encoding' } };
    let records: string[][];
    try {
      records = parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][];
    } catch (err) {
      return { refused: { code: 'file/corrupt', params: { detail: (err as Error).message.slice(0, 120) } } };
    }
    if (records.length > maxRows + 1) return tooManyRows;
    records.forEach((rec, i) => rows.push({ cells: [null, ...rec.map((v) => (v === '' ? null : v))], row: i + 1 }));
    return { rows };
  }
  try {
    const zip = ZipFile.open(path, limits);
    const book = await readWorkbookInfo(zip);
    const sheet =
      (sheetName !== undefined &&
        book.sheets.find((s) => s.part && normalizeHeader(s.name) === normalizeHeader(sheetName))) ||
      book.sheets.find((s) => s.part && s.state === 'visible');
    if (sheet?.part)
      await readSheetRows(zip, sheet.part, book, (cells, row) => {
        rows.push({ cells, row });
        return rows.length <= maxRows + 1;
      });
  } catch (err) {
    if (err instanceof ZipRefusal) return { refused: { code: err.code, params: err.params } };
    const detail = err instanceof XmlError ? `XML ${err.message}` : (err as Error).message;
    return { refused: { code: 'file/corrupt', params: { detail: detail.slice(0, 120) } } };
  }
  if (rows.length > maxRows + 1) return tooManyRows;
  return { rows };
}
