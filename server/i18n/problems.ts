/**
 * A workbook problem for people: where it is (sheet, row, column, the row's employee masked) and what is
 * wrong and how to fix it, in the reader's language (the message is rendered from the problem's code and
 * parameters when it is shown), with ID-shaped values masked.
 */
import type { Problem } from '../rules/result';
import { maskDigits } from './labels';
import { t, type Lang } from './t';

type ShownProblem = Pick<Problem, 'sheet' | 'cell' | 'row' | 'column' | 'employee' | 'params' | 'message'>;

/** "“职工名册”表第 5 行，D 列（身份证号） · 张*" — the sheet, the row, the column and the employee. */
export function problemWhere(p: ShownProblem, lang: Lang): string {
  const m = /^([A-Z]{1,3})(\d+)$/.exec(p.cell ?? '');
  const row = p.row ?? (m ? Number(m[2]) : undefined);
  const letter = p.column ?? m?.[1];
  const header = typeof p.params?.column === 'string' ? p.params.column : undefined;
  const named = header ? (lang === 'en' ? ` ("${header}")` : `（${header}）`) : '';
  let where: string;
  if (p.sheet && row !== undefined && letter)
    where = t('problem.where.row', lang, { sheet: p.sheet, row, column: letter }) + named;
  else if (p.sheet && p.cell) where = t('problem.where.cell', lang, { sheet: p.sheet, cell: p.cell });
  else if (p.sheet) where = t('problem.where.sheet', lang, { sheet: p.sheet });
  else where = t('problem.where.file', lang);
  return p.employee ? `${where} · ${p.employee}` : where;
}

/** What is wrong and how to fix it (already in the reader's language), ID-shaped values masked. */
export function problemText(p: ShownProblem): string {
  return maskDigits(p.message);
}
