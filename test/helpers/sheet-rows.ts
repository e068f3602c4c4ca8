/**
 * Every sheet's rows as the sheet parsers receive them, by two readers: the exceljs streaming reader
 * QuotaDesk used before (kept here only to compare against) and the reader in server/ingest/xlsx.
 * Rows are keyed by sheet name, each row as [row number, cells] with trailing blank cells dropped.
 */
import ExcelJS from 'exceljs';
import { toCells } from '../../server/ingest/cell-value';
import type { Cell } from '../../server/ingest/fields/result';
import { DEFAULT_LIMITS } from '../../server/ingest/limits';
import { readSheetRows, readWorkbookInfo } from '../../server/ingest/xlsx/workbook';
import { ZipFile } from '../../server/ingest/xlsx/zip';

export type SheetRows = Record<string, [number, Cell[]][]>;

function trim(cells: Cell[]): Cell[] {
  let n = cells.length;
  while (n > 0 && (cells[n - 1] === null || cells[n - 1] === undefined)) n--;
  return cells.slice(0, n).map((c) => (c === undefined ? null : c));
}

interface ReaderInternals {
  model?: { sheets?: { name: string; id: number; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
}

/** The exceljs streaming read exactly as server/ingest/read-workbook.ts did it (cell-value.ts reduces the values). */
export async function rowsByExceljs(path: string): Promise<SheetRows> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  // A sheet's name is looked up only after the whole file is read: a worksheet stored before
  // xl/workbook.xml (openpyxl's order) can be emitted before exceljs has read the names.
  const byId: { id: number; emitted: string; rows: [number, Cell[]][] }[] = [];
  for await (const ws of reader) {
    const w = ws as unknown as { id: number; name: string } & AsyncIterable<ExcelJS.Row>;
    const rows: [number, Cell[]][] = [];
    byId.push({ id: w.id, emitted: w.name, rows });
    for await (const row of w) rows.push([row.number, trim(toCells(row.values))]);
  }
  const internals = reader as unknown as ReaderInternals;
  const out: SheetRows = {};
  for (const { id, emitted, rows } of byId) {
    const rel = internals.workbookRels?.find(
      (r) => r.Target.replace(/^\/?(xl\/)?/, '') === `worksheets/sheet${id}.xml`,
    );
    out[(rel && internals.model?.sheets?.find((s) => s.rId === rel.Id)?.name) ?? emitted] = rows;
  }
  return out;
}

export async function rowsByReader(path: string): Promise<SheetRows> {
  const zip = ZipFile.open(path, DEFAULT_LIMITS);
  const book = await readWorkbookInfo(zip);
  const out: SheetRows = {};
  for (const s of book.sheets) {
    if (!s.part) continue;
    const rows: [number, Cell[]][] = (out[s.name] = []);
    await readSheetRows(zip, s.part, book, (cells, row) => {
      rows.push([row, trim(cells)]);
    });
  }
  return out;
}
