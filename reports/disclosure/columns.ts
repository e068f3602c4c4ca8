/**
 * The notice's columns (SPEC §7), defined once for every output — web page, .xlsx, .csv and .json — so
 * the formats cannot drift apart. Chinese headers first; English on request.
 */
import { amount, count, percent } from '../../server/i18n/format';
import type { AmountColumn, NoticeRow, NoticeStatus } from './build-notice';

type Lang = 'zh' | 'en';
export type CellValue = string | number | null;

export interface NoticeColumn {
  key: string;
  zh: string;
  en: string;
  kind: 'text' | 'count' | 'ratio' | 'money';
  value: (r: NoticeRow) => CellValue;
}

export const STATUS_EN: Record<NoticeStatus, string> = { 达标: 'met', 未达标: 'short', 超比例: 'exceeded', 集中就业: 'concentrated', 免征: 'exempt' };
const UNIT_EN: Record<string, string> = { 企业: 'enterprise', 国有企业: 'state-owned enterprise', 机关: 'government body', 事业单位: 'public institution', 社会组织: 'social organisation', 个体工商户: 'individual business' };
export const FLAG_TEXT = { zh: '未安排残疾人就业（J3.2 要求带头安置）', en: 'no disabled employee (J3.2 asks these units to lead)' };

export function noticeColumns(amount: AmountColumn, lang: Lang): NoticeColumn[] {
  const cols: NoticeColumn[] = [
    { key: 'seq', zh: '序号', en: 'No.', kind: 'count', value: (r) => r.seq },
    { key: 'name', zh: '单位名称', en: 'Employer', kind: 'text', value: (r) => r.name },
    { key: 'uscc', zh: '统一社会信用代码', en: 'Unified social credit code', kind: 'text', value: (r) => r.uscc },
    { key: 'unitType', zh: '单位类型', en: 'Type', kind: 'text', value: (r) => (lang === 'en' ? UNIT_EN[r.unitType] ?? r.unitType : r.unitType) },
    { key: 'avgStaff', zh: '在职职工年平均人数', en: 'Average staff', kind: 'count', value: (r) => r.avgStaff },
    { key: 'required', zh: '应安排人数', en: 'Required', kind: 'count', value: (r) => r.required },
    { key: 'actual', zh: '实际安排人数', en: 'Employed (weighted)', kind: 'count', value: (r) => r.actual },
    { key: 'ratio', zh: '安排比例', en: 'Ratio', kind: 'ratio', value: (r) => r.ratio },
    { key: 'status', zh: '状态', en: 'Status', kind: 'text', value: (r) => (lang === 'en' ? STATUS_EN[r.status] : r.status) },
  ];
  if (amount === 'levy') cols.push({ key: 'amount', zh: '应缴保障金（元）', en: 'Levy due (CNY)', kind: 'money', value: (r) => r.amount });
  if (amount === 'reward') cols.push({ key: 'amount', zh: '奖励金额（元）', en: 'Reward (CNY)', kind: 'money', value: (r) => r.amount });
  cols.push({ key: 'note', zh: '备注', en: 'Note', kind: 'text', value: (r) => (r.flagNoDisabled ? FLAG_TEXT[lang] : '') });
  return cols;
}

export const header = (c: NoticeColumn, lang: Lang) => (lang === 'en' ? c.en : c.zh);

export const fmtCount = (v: number) => count(v);
export const fmtMoney = (v: number) => amount(v);

/** Display text of a cell for the web page. */
export function displayCell(c: NoticeColumn, r: NoticeRow): string {
  const v = c.value(r);
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (c.kind === 'ratio') return percent(v);
  if (c.kind === 'money') return fmtMoney(v);
  return fmtCount(v);
}
