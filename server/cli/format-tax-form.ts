/** `quota check FILE --tax-form`: the declaration form's columns 4–12, each with its value and its working. */
import { taxFormRows } from '../i18n/tax-form';
import { t, type Lang } from '../i18n/t';
import type { CheckResult } from '../rules/result';

export function formatTaxForm(r: CheckResult, lang: Lang): string {
  const out = [`${t('taxForm.title', lang)} — ${r.employer.name} ${r.employer.year}`];
  for (const row of taxFormRows(r, lang)) {
    out.push(`${t('taxForm.colNo', lang, { n: row.n })}  ${row.label}：${row.shown}`);
    if (row.note) out.push(`        ${row.note}`);
    if (row.working) out.push(`        ${row.working}`);
  }
  if (r.taxForm.provisional) out.push(t('taxForm.provisional', lang, { y: r.employer.year }));
  return out.join('\n');
}
