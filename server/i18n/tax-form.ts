/**
 * The tax form's columns 4–12 (docs/rules.md §12) as rows to show or export: label, value as shown, the text
 * to paste into the form, and the working. Words come from the message catalogues.
 */
import { amount, percent } from './format';
import { t, type Lang } from './t';
import { formulaInWords } from './explain';
import type { CheckResult } from '../rules/result';

const TAX_FORM_COLUMNS = ['col4', 'col5', 'col6', 'col7', 'col8', 'col9', 'col10', 'col11', 'col12'] as const;
export type TaxFormColumn = (typeof TAX_FORM_COLUMNS)[number];
const MONEY = new Set<TaxFormColumn>(['col4', 'col8', 'col9', 'col10', 'col11', 'col12']);

/** Up to four decimals, trailing zeros dropped: 87.416666… → "87.4167", 100 → "100". */
const persons = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(4).replace(/0+$/, '').replace(/\.$/, ''));

export interface TaxFormRow {
  n: number;
  col: TaxFormColumn;
  label: string;
  shown: string;
  copy: string;
  working: string;
  note: string;
}

export function taxFormRows(r: CheckResult, lang: Lang): TaxFormRow[] {
  const tf = r.taxForm;
  return TAX_FORM_COLUMNS.map((col) => {
    const v = tf[col];
    const shown = MONEY.has(col) ? amount(v) : col === 'col6' ? percent(v, 1) : persons(v);
    const copy = MONEY.has(col) ? v.toFixed(2) : col === 'col6' ? percent(v, 1).replace(' ', '') : persons(v);
    let note = '';
    if (col === 'col10' && tf.reduction) {
      note =
        t(`taxForm.reason.${tf.reduction}`, lang) +
        ' · ' +
        (tf.reductionCode ? t('taxForm.reductionCode', lang, { code: tf.reductionCode }) : t('taxForm.noCode', lang));
    }
    const e = r.explanations.find((x) => x.figure === `taxForm.${col}`);
    const working = e ? (formulaInWords(e, lang) ?? '') : '';
    return { n: Number(col.slice(3)), col, label: t(`taxForm.${col}`, lang), shown, copy, working, note };
  });
}
