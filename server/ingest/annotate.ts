/**
 * `--annotate OUT.xlsx` and the annotated download: the user's own workbook back, each problem cell
 * highlighted with a comment holding the message, plus a 问题清单 sheet listing every problem with a link
 * to its cell. Only the problem cells change: cells share style objects (every date cell of a column often
 * has the same one), so a marked cell gets its own copy of its style instead of the shared one being
 * changed. On the web the whole workbook is loaded in a capped worker, after counting its cells with a
 * streaming pass: above the cell budget it is refused rather than loaded.
 */
import type ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import { safeCell } from '../../reports/xlsx/safe-cell';
import { PROBLEMS_SHEET } from './columns';
import type { Lang } from './messages';
import type { Problem } from './problem';

/** exceljs, loaded when a workbook is first annotated: the largest package, kept out of the app's start-up. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = () => require('exceljs') as typeof ExcelJS;

const FILL: Record<Problem['severity'], string> = { error: 'FFFFC7CE', warning: 'FFFFEB9C', notice: 'FFDDEBF7' };

/** Problems that point at a cell of a sheet (the ones that can be marked). */
export function markable(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.sheet && /^[A-Z]+\d+$/.test(p.cell));
}

export async function annotateWorkbook(
  source: string,
  out: string,
  problems: Problem[],
  lang: Lang,
): Promise<{ marked: number }> {
  const wb = new (excel().Workbook)();
  await wb.xlsx.readFile(source);
  const byCell = new Map<string, Problem[]>();
  for (const p of markable(problems)) {
    if (!wb.getWorksheet(p.sheet)) continue;
    const k = `${p.sheet}!${p.cell}`;
    byCell.set(k, [...(byCell.get(k) ?? []), p]);
  }
  for (const [k, list] of byCell) {
    const [sheet, ref] = k.split('!');
    const cell = wb.getWorksheet(sheet)!.getCell(ref);
    const worst = list.some((p) => p.severity === 'error')
      ? 'error'
      : list.some((p) => p.severity === 'warning')
        ? 'warning'
        : 'notice';
    // a copy of the style for this cell alone: `cell.fill = …` would change the style object it shares
    cell.style = { ...cell.style, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: FILL[worst] } } };
    cell.note = list.map((p) => p.message).join('\n');
  }
  const old = wb.getWorksheet(PROBLEMS_SHEET);
  if (old) wb.removeWorksheet(old.id);
  const ws = wb.addWorksheet(PROBLEMS_SHEET);
  const head =
    lang === 'zh'
      ? ['序号', '工作表', '单元格', '严重程度', '问题', '填写的值']
      : ['#', 'sheet', 'cell', 'severity', 'problem', 'value found'];
  ws.columns = [{ width: 6 }, { width: 12 }, { width: 10 }, { width: 10 }, { width: 80 }, { width: 30 }];
  ws.addRow(head).font = { bold: true };
  const sev = {
    error: lang === 'zh' ? '错误' : 'error',
    warning: lang === 'zh' ? '警告' : 'warning',
    notice: lang === 'zh' ? '提示' : 'notice',
  };
  problems.forEach((p, i) => {
    // the value found is the user's own text: neutralised like every exported text cell
    const row = ws.addRow([i + 1, p.sheet, p.cell, sev[p.severity], p.message, p.value ?? ''].map(safeCell));
    if (byCell.has(`${p.sheet}!${p.cell}`)) {
      row.getCell(3).value = { text: p.cell, hyperlink: `#'${p.sheet}'!${p.cell}` };
      row.getCell(3).font = { color: { argb: 'FF0563C1' }, underline: true };
    }
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  wb.views = [
    {
      x: 0,
      y: 0,
      width: 10000,
      height: 20000,
      firstSheet: 0,
      activeTab: wb.worksheets.length - 1,
      visibility: 'visible',
    },
  ];
  await wb.xlsx.writeFile(out);
  return { marked: byCell.size };
}

/** Cells in the workbook, counted with the streaming reader (shared strings and styles not loaded); stops once past `stopAt`. */
async function countCells(source: string, stopAt = Infinity): Promise<number> {
  const reader = new (excel().stream.xlsx.WorkbookReader)(createReadStream(source), {
    sharedStrings: 'ignore',
    styles: 'ignore',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let cells = 0;
  for await (const ws of reader) {
    for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
      cells += row.cellCount;
      if (cells > stopAt) return cells;
    }
  }
  return cells;
}

export interface AnnotateJob {
  source: string;
  out: string;
  problems: Problem[];
  lang: Lang;
  maxCells: number;
}
export type AnnotateOutcome = { done: true; marked: number } | { done: false; cells: number; maxCells: number };

/** The worker's job: refuse above the cell budget, else annotate. */
export async function annotateWithinBudget(job: AnnotateJob): Promise<AnnotateOutcome> {
  const cells = await countCells(job.source, job.maxCells);
  if (cells > job.maxCells) return { done: false, cells, maxCells: job.maxCells };
  const { marked } = await annotateWorkbook(job.source, job.out, job.problems, job.lang);
  return { done: true, marked };
}
