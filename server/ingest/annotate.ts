/**
 * `--annotate OUT.xlsx`: the user's own workbook back, each problem cell highlighted with a comment
 * holding the message, plus a 问题清单 sheet listing every problem with a link to its cell.
 */
import ExcelJS from 'exceljs';
import { safeCell } from '../../reports/xlsx/safe-cell';
import { PROBLEMS_SHEET } from './columns';
import type { Lang } from './messages';
import type { Problem } from './problem';

const FILL: Record<Problem['severity'], string> = { error: 'FFFFC7CE', warning: 'FFFFEB9C', notice: 'FFDDEBF7' };

export async function annotateWorkbook(source: string, out: string, problems: Problem[], lang: Lang): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(source);
  const byCell = new Map<string, Problem[]>();
  for (const p of problems) {
    if (!p.sheet || !/^[A-Z]+\d+$/.test(p.cell) || !wb.getWorksheet(p.sheet)) continue;
    const k = `${p.sheet}!${p.cell}`;
    byCell.set(k, [...(byCell.get(k) ?? []), p]);
  }
  for (const [k, list] of byCell) {
    const [sheet, ref] = k.split('!');
    const cell = wb.getWorksheet(sheet)!.getCell(ref);
    const worst = list.some((p) => p.severity === 'error') ? 'error' : list.some((p) => p.severity === 'warning') ? 'warning' : 'notice';
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILL[worst] } };
    cell.note = list.map((p) => p.message).join('\n');
  }
  const old = wb.getWorksheet(PROBLEMS_SHEET);
  if (old) wb.removeWorksheet(old.id);
  const ws = wb.addWorksheet(PROBLEMS_SHEET);
  const head = lang === 'zh' ? ['序号', '工作表', '单元格', '严重程度', '问题', '填写的值'] : ['#', 'sheet', 'cell', 'severity', 'problem', 'value found'];
  ws.columns = [{ width: 6 }, { width: 12 }, { width: 10 }, { width: 10 }, { width: 80 }, { width: 30 }];
  ws.addRow(head).font = { bold: true };
  const sev = { error: lang === 'zh' ? '错误' : 'error', warning: lang === 'zh' ? '警告' : 'warning', notice: lang === 'zh' ? '提示' : 'notice' };
  problems.forEach((p, i) => {
    // the value found is the user's own text: neutralised like every exported text cell (issue #5.6)
    const row = ws.addRow([i + 1, p.sheet, p.cell, sev[p.severity], p.message, p.value ?? ''].map(safeCell));
    if (byCell.has(`${p.sheet}!${p.cell}`)) {
      row.getCell(3).value = { text: p.cell, hyperlink: `#'${p.sheet}'!${p.cell}` };
      row.getCell(3).font = { color: { argb: 'FF0563C1' }, underline: true };
    }
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  wb.views = [{ x: 0, y: 0, width: 10000, height: 20000, firstSheet: 0, activeTab: wb.worksheets.length - 1, visibility: 'visible' }];
  await wb.xlsx.writeFile(out);
}
