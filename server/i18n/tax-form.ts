/** Names of the columns of 《残疾人就业保障金缴费申报表》 (docs/rules.md §10) and of the reduction reasons, Chinese first. */
import type { Lang } from '../ingest/messages';

export const TAX_FORM_TITLE = { zh: '《残疾人就业保障金缴费申报表》填报参考', en: 'Prefill for the levy declaration form (残疾人就业保障金缴费申报表)' };

export const TAX_FORM_COLUMNS = [
  { col: 'col4', zh: '上年在职职工工资总额', en: 'total wages of staff, previous year', money: true },
  { col: 'col5', zh: '上年在职职工人数', en: 'staff (annual average), previous year', money: false },
  { col: 'col6', zh: '应安排残疾人就业比例', en: 'quota ratio', money: false },
  { col: 'col7', zh: '上年实际安排残疾人就业人数', en: 'disabled persons placed (verified, annual, weighted)', money: false },
  { col: 'col8', zh: '上年在职职工年平均工资', en: 'average annual wage of staff (capped)', money: true },
  { col: 'col9', zh: '本期应纳费额', en: 'levy due', money: true },
  { col: 'col10', zh: '本期减免费额', en: 'reduction or exemption', money: true },
  { col: 'col11', zh: '本期已缴费额', en: 'already paid', money: true },
  { col: 'col12', zh: '本期应补（退）费额', en: 'to pay (refund)', money: true },
] as const;

export const REDUCTION_REASON: Record<string, { zh: string; en: string }> = {
  'tiered-reduction': { zh: '分档减缴', en: 'tiered reduction' },
  'small-enterprise': { zh: '在职职工30人以下企业暂免征收', en: 'small-enterprise exemption' },
  'startup-small-micro': { zh: '创业3年内小微企业免征', en: 'start-up small/micro exemption' },
};

export const columnNumber = (col: string) => Number(col.slice(3));
export const taxFormLabel = (col: string, lang: Lang) => TAX_FORM_COLUMNS.find((c) => c.col === col)?.[lang] ?? col;
