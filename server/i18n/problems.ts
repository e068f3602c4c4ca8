/**
 * A workbook problem for people: where it is (sheet, row, column, the row's employee masked) and what is
 * wrong and how to fix it, in the reader's language (the message is rendered from the problem's code and
 * parameters when it is shown), with ID-shaped values masked.
 */
import type { Problem, ProblemTotals } from '../rules/result';
import { UPLOAD_FORM_SHEET } from '../ingest/columns';
import { formFieldLabel } from '../ingest/messages';
import { maskDigits } from './labels';
import { hasMessage, t, type Lang } from './t';

type ShownProblem = Pick<Problem, 'sheet' | 'cell' | 'row' | 'column' | 'employee' | 'params' | 'message'>;

/**
 * "“职工名册”表第 5 行，D 列（身份证号） · 张*" — the sheet, the row, the column and the employee; a problem of the
 * header row as a whole (a column missing) is at its rows ("3:3", "2:3"): "“职工名册”表第 3 行（表头）".
 */
export function problemWhere(p: ShownProblem, lang: Lang): string {
  const m = /^([A-Z]{1,3})(\d+)$/.exec(p.cell ?? '');
  const row = p.row ?? (m ? Number(m[2]) : undefined);
  const letter = p.column ?? m?.[1];
  const header = typeof p.params?.column === 'string' ? p.params.column : undefined;
  const named = header ? (lang === 'en' ? ` ("${header}")` : `（${header}）`) : '';
  let where: string;
  const rows = /^(\d+):(\d+)$/.exec(p.cell ?? '');
  if (p.sheet === UPLOAD_FORM_SHEET && p.cell)
    where = t('problem.where.form', lang, { field: formFieldLabel(p.cell, lang) });
  else if (p.sheet && rows)
    where = t('problem.where.rows', lang, {
      sheet: p.sheet,
      rows: rows[1] === rows[2] ? rows[1] : `${rows[1]}–${rows[2]}`,
    });
  else if (p.sheet && row !== undefined && letter)
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

/** The kind of a problem code as a short heading ("身份证号校验位错误"); "其他问题" for a code the catalogue lacks. */
export function problemKind(code: string, lang: Lang): string {
  const key = `problemKind.${code}`;
  return t(hasMessage(key) ? key : 'problemKind.other', lang);
}

/** One line of the totals by kind: the problem code (for programs), its kind in words and how many. */
export interface KindTotal {
  code: string;
  label: string;
  n: number;
}

/** The totals by kind, most frequent first, each labelled in the reader's language. */
export function kindTotals(totals: Pick<ProblemTotals, 'byCode'>, lang: Lang): KindTotal[] {
  return Object.entries(totals.byCode)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => ({ code, label: problemKind(code, lang), n }));
}
