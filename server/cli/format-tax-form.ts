/** `quota check FILE --tax-form`: the declaration form's columns 4–12, each with its value and its working. */
import { REDUCTION_REASON, TAX_FORM_COLUMNS, TAX_FORM_TITLE, columnNumber } from '../i18n/tax-form';
import type { Lang } from '../ingest/messages';
import type { CheckResult } from '../rules/result';

const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(4).replace(/0+$/, ''));

export function formatTaxForm(r: CheckResult, lang: Lang): string {
  const tf = r.taxForm;
  const out = [`${TAX_FORM_TITLE[lang]} — ${r.employer.name} ${r.employer.year}`];
  for (const c of TAX_FORM_COLUMNS) {
    const v = tf[c.col];
    const shown = c.col === 'col6' ? `${(v * 100).toFixed(2).replace(/\.?0+$/, '')} %` : c.money ? money(v) : count(v);
    out.push(`${lang === 'zh' ? `第${columnNumber(c.col)}栏` : `col ${columnNumber(c.col)}`}  ${c[lang]}：${shown}`);
    if (c.col === 'col10' && tf.reduction) {
      out.push(`        ${REDUCTION_REASON[tf.reduction][lang]}${tf.reductionCode ? `（${lang === 'zh' ? '减免性质代码' : 'reduction code'} ${tf.reductionCode}）` : ''}`);
    }
    const working = r.explanations.find((e) => e.figure === `taxForm.${c.col}`);
    if (working) out.push(`        ${working.formula}`);
  }
  if (tf.provisional) {
    out.push(lang === 'zh'
      ? '注意：未配置该年度社会平均工资，第8、9、10、12栏未核对工资上限，为暂定数（上限值）。可用 --social-average-wage 指定。'
      : 'Note: no social average wage for the year, so columns 8, 9, 10 and 12 were not checked against the wage cap and are provisional (an upper bound). Give one with --social-average-wage.');
  }
  return out.join('\n');
}
