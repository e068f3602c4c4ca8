/** Labels for statuses, reasons and kinds, Chinese first with English — shared by CLI, views and reports. */
import type { Lang } from '../ingest/messages';

type Labels = Record<string, { zh: string; en: string }>;

export const STATUS: Labels = {
  short: { zh: '未达标', en: 'short of quota' },
  exempt: { zh: '免征', en: 'exempt' },
  met: { zh: '达标', en: 'met' },
  exceeded: { zh: '超比例', en: 'exceeded' },
  concentrated: { zh: '集中就业', en: 'concentrated employment' },
};

export const EXCLUSION: Labels = {
  'dispatched-elsewhere': { zh: '劳务派遣，计入派遣单位', en: 'dispatched worker counted by the dispatching unit' },
  'not-working-age': { zh: '不在法定劳动年龄内', en: 'outside legal working age' },
  'contract-under-one-year': { zh: '劳动合同不满1年', en: 'contract shorter than one year' },
  'contract-not-covering': { zh: '当月不在合同期内', en: 'month outside the contract term' },
  'social-insurance-missing': { zh: '当月未足额缴纳社会保险', en: 'social insurance not paid for the month' },
  'wage-below-minimum': { zh: '当月工资低于当地最低工资', en: 'wage below the local minimum wage' },
};

export const REWARD: Labels = {
  'over-quota': { zh: '超比例安置奖励', en: 'over-quota reward' },
  'concentrated-over-ratio': { zh: '集中就业超比例奖励', en: 'concentrated-employment over-ratio reward' },
  'auxiliary-employment': { zh: '辅助性就业机构补助', en: 'auxiliary-employment institution award' },
  ecommerce: { zh: '电子商务企业安置奖励', en: 'e-commerce placement reward' },
  'poverty-relief-base': { zh: '残疾人扶贫基地奖励', en: 'poverty-relief base reward' },
};

export const SUBSIDY: Labels = {
  'social-insurance': { zh: '新招用残疾人社保补贴', en: 'social-insurance subsidy for new disabled hires' },
  training: { zh: '岗前技能培训补贴', en: 'pre-job training subsidy' },
  'blind-massage-social-insurance': { zh: '盲人按摩机构社保缴费补贴', en: 'blind-massage social-insurance subsidy' },
  'auxiliary-employment-creation': { zh: '辅助性就业机构创建一次性奖励', en: 'auxiliary-employment institution creation award' },
  'poverty-relief-base-creation': { zh: '扶贫基地创建一次性奖励', en: 'poverty-relief base creation award' },
};

export const EXEMPTION: Labels = {
  'small-enterprise': { zh: '在职职工30人以下企业暂免征收', en: 'enterprise with ≤ 30 staff' },
  'startup-small-micro': { zh: '创业3年内、20人以下小微企业免征', en: 'start-up within 3 years, ≤ 20 staff' },
};

export function label(table: Labels, key: string, lang: Lang): string {
  return table[key]?.[lang] ?? key;
}

/** Masks a name for display: 张三 → 张*, 欧阳娜娜 → 欧***. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}

/** Masks an ID or certificate number: 330481199001011234 → 3304**********1234. */
export function maskId(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

/** A value quoted from a workbook, for display: a run of 14 or more digits (an ID or certificate number, or a typo of one) is masked. */
export function maskDigits(value: string): string {
  return value.replace(/\d{14,}[\dXx]*/g, (d) => maskId(d));
}

export const SEVERITY: Labels = {
  error: { zh: '错误', en: 'error' },
  warning: { zh: '警告', en: 'warning' },
  notice: { zh: '提示', en: 'notice' },
};
