/**
 * The notice's columns (docs/rules.md §7), defined once for every output — web page, .xlsx, .csv and .json — so
 * the formats cannot drift apart. Chinese headers first; English on request.
 */
import { amount, count, percent } from '../../server/i18n/format';
import type { AggregateCategory, AggregateRow, NoticeRow, NoticeStatus, RewardRow } from './build-notice';

export type Lang = 'zh' | 'en';
export type CellValue = string | number | null;
export type ColumnKind = 'seq' | 'text' | 'code' | 'count' | 'ratio' | 'money';

export interface Column<T> {
  key: string;
  zh: string;
  en: string;
  kind: ColumnKind;
  value: (r: T) => CellValue;
}

const STATUS_EN: Record<NoticeStatus, string> = {
  达标: 'met',
  未达标: 'short',
  超比例: 'above quota',
  集中就业: 'concentrated employment',
  免征: 'exempt',
};
const UNIT_EN: Record<string, string> = {
  企业: 'enterprise',
  国有企业: 'state-owned enterprise',
  机关: 'government body',
  事业单位: 'public institution',
  社会团体: 'social association',
  民办非企业单位: 'private non-enterprise unit',
  社会组织: 'social organisation',
  个体工商户: 'individual business',
};
const CATEGORY_EN: Record<AggregateCategory, string> = {
  机关: 'Government bodies',
  团体: 'Associations',
  企业: 'Enterprises',
  事业: 'Public institutions',
  民办非企业: 'Private non-enterprise units',
  其他社会组织: 'Other social organisations',
};
const FLAG_TEXT = { zh: '未安排残疾人就业（应带头安排）', en: 'no disabled employee (these units are to lead)' };

export function unitColumns(lang: Lang): Column<NoticeRow>[] {
  return [
    { key: 'seq', zh: '序号', en: 'No.', kind: 'seq', value: (r) => r.seq },
    { key: 'name', zh: '单位名称', en: 'Employer', kind: 'text', value: (r) => r.name },
    { key: 'uscc', zh: '统一社会信用代码', en: 'Unified social credit code', kind: 'code', value: (r) => r.uscc },
    {
      key: 'unitType',
      zh: '单位类型',
      en: 'Type',
      kind: 'text',
      value: (r) => (lang === 'en' ? (UNIT_EN[r.unitType] ?? r.unitType) : r.unitType),
    },
    { key: 'avgStaff', zh: '在职职工年平均人数', en: 'Average staff', kind: 'count', value: (r) => r.avgStaff },
    { key: 'required', zh: '应安排人数', en: 'Required', kind: 'count', value: (r) => r.required },
    { key: 'actual', zh: '实际安排人数', en: 'Counted for the quota', kind: 'count', value: (r) => r.actual },
    { key: 'ratio', zh: '安排比例', en: 'Ratio', kind: 'ratio', value: (r) => r.ratio },
    {
      key: 'status',
      zh: '状态',
      en: 'Status',
      kind: 'text',
      value: (r) => (lang === 'en' ? STATUS_EN[r.status] : r.status),
    },
    { key: 'levy', zh: '应缴保障金（元）', en: 'Levy due (yuan)', kind: 'money', value: (r) => r.levy },
    { key: 'note', zh: '备注', en: 'Note', kind: 'text', value: (r) => (r.flagNoDisabled ? FLAG_TEXT[lang] : '') },
  ];
}

export function rewardColumns(lang: Lang): Column<RewardRow>[] {
  return [
    { key: 'seq', zh: '序号', en: 'No.', kind: 'seq', value: (r) => r.seq },
    { key: 'name', zh: '单位名称', en: 'Employer', kind: 'text', value: (r) => r.name },
    { key: 'uscc', zh: '统一社会信用代码', en: 'Unified social credit code', kind: 'code', value: (r) => r.uscc },
    {
      key: 'unitType',
      zh: '单位类型',
      en: 'Type',
      kind: 'text',
      value: (r) => (lang === 'en' ? (UNIT_EN[r.unitType] ?? r.unitType) : r.unitType),
    },
    { key: 'required', zh: '应安排人数', en: 'Required', kind: 'count', value: (r) => r.required },
    { key: 'actual', zh: '实际安排人数', en: 'Counted for the quota', kind: 'count', value: (r) => r.actual },
    { key: 'excess', zh: '超比例人数', en: 'Above the quota', kind: 'count', value: (r) => r.excess },
    { key: 'reward', zh: '奖励金额（元）', en: 'Reward (yuan)', kind: 'money', value: (r) => r.reward },
  ];
}

export function aggregateColumns(lang: Lang): Column<AggregateRow>[] {
  return [
    {
      key: 'category',
      zh: '单位类型',
      en: 'Type of unit',
      kind: 'text',
      value: (r) => (lang === 'en' ? CATEGORY_EN[r.category] : r.category),
    },
    { key: 'units', zh: '单位数（家）', en: 'Units', kind: 'seq', value: (r) => r.units },
    { key: 'avgStaff', zh: '在职职工年平均人数', en: 'Average staff', kind: 'count', value: (r) => r.avgStaff },
    {
      key: 'actual',
      zh: '实际安排残疾人就业人数',
      en: 'Disabled employees counted',
      kind: 'count',
      value: (r) => r.actual,
    },
  ];
}

export const header = <T>(c: Column<T>, lang: Lang) => (lang === 'en' ? c.en : c.zh);

const fmtCount = (v: number) => count(v);
const fmtMoney = (v: number) => amount(v);

/** Display text of a value for the web page. */
export function displayValue(kind: ColumnKind, v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (kind === 'ratio') return percent(v);
  if (kind === 'money') return fmtMoney(v);
  return fmtCount(v);
}
