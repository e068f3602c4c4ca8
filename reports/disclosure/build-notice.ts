/**
 * SPEC §7 — the public disclosure list (按比例安置残疾人就业公示, J3.2), built from accepted submissions.
 * Pure. Its input type carries only employer-level figures, so no employee's name, ID or certificate
 * number can reach a notice, whatever the caller passes in (fields are picked, never spread).
 *
 * J3.2: "各级党政机关、事业单位、国有企业要带头招录（聘）和安置残疾人就业" — they form the first section,
 * and one with no disabled employee is flagged.
 */
import { PUBLIC_SECTOR_TYPES, type UnitType } from '../../server/rules/types';

export interface NoticeSource {
  name: string;
  uscc: string;
  unitType: UnitType;
  avgStaff: number;
  required: number;
  avgWeighted: number;
  quotaStatus: 'short' | 'exempt' | 'met' | 'exceeded';
  concentratedMonths: number;
  levyPayableFen: number;
  rewardTotalFen: number;
}

export type AmountColumn = 'levy' | 'reward' | 'none';
export type NoticeStatus = '达标' | '未达标' | '超比例' | '集中就业' | '免征';

export interface NoticeRow {
  seq: number;
  name: string;
  uscc: string;
  unitType: UnitType;
  avgStaff: number;
  required: number;
  actual: number;
  ratio: number;
  status: NoticeStatus;
  amount: number | null;
  flagNoDisabled: boolean;
}

export interface NoticeSection {
  title: string;
  rows: NoticeRow[];
  totals: { employers: number; avgStaff: number; required: number; actual: number; amount: number | null };
}

export interface NoticeBody {
  amountColumn: AmountColumn;
  sections: NoticeSection[];
}

export function noticeStatus(s: Pick<NoticeSource, 'quotaStatus' | 'concentratedMonths'>): NoticeStatus {
  if (s.concentratedMonths > 0) return '集中就业';
  return ({ short: '未达标', exempt: '免征', met: '达标', exceeded: '超比例' } as const)[s.quotaStatus];
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const byName = (a: NoticeSource, b: NoticeSource) => a.name.localeCompare(b.name, 'zh-Hans-CN') || a.uscc.localeCompare(b.uscc);

const amountFen = (s: NoticeSource, column: AmountColumn) => (column === 'levy' ? s.levyPayableFen : column === 'reward' ? s.rewardTotalFen : 0);

function section(title: string, sources: NoticeSource[], amountColumn: AmountColumn): NoticeSection {
  const sorted = [...sources].sort(byName);
  const rows = sorted.map((s, i): NoticeRow => ({
    seq: i + 1,
    name: s.name,
    uscc: s.uscc,
    unitType: s.unitType,
    avgStaff: round2(s.avgStaff),
    required: round2(s.required),
    actual: round2(s.avgWeighted),
    ratio: s.avgStaff > 0 ? Math.round((s.avgWeighted / s.avgStaff) * 10000) / 10000 : 0, // 安排比例 = annual.ratio (SPEC §5, §7)
    status: noticeStatus(s),
    amount: amountColumn === 'none' ? null : amountFen(s, amountColumn) / 100,
    flagNoDisabled: PUBLIC_SECTOR_TYPES.includes(s.unitType) && s.avgWeighted === 0,
  }));
  const sum = (f: (r: NoticeRow) => number) => round2(rows.reduce((a, r) => a + f(r), 0));
  return {
    title,
    rows,
    totals: { employers: rows.length, avgStaff: sum((r) => r.avgStaff), required: sum((r) => r.required), actual: sum((r) => r.actual), amount: amountColumn === 'none' ? null : sorted.reduce((a, x) => a + amountFen(x, amountColumn), 0) / 100 }, // money summed in integer fen
  };
}

export function buildNotice(sources: readonly NoticeSource[], amountColumn: AmountColumn): NoticeBody {
  const pick = (s: NoticeSource): NoticeSource => ({
    name: s.name, uscc: s.uscc, unitType: s.unitType, avgStaff: s.avgStaff, required: s.required, avgWeighted: s.avgWeighted,
    quotaStatus: s.quotaStatus, concentratedMonths: s.concentratedMonths, levyPayableFen: s.levyPayableFen, rewardTotalFen: s.rewardTotalFen,
  });
  const clean = sources.map(pick);
  const publicSector = clean.filter((s) => PUBLIC_SECTOR_TYPES.includes(s.unitType));
  const others = clean.filter((s) => !PUBLIC_SECTOR_TYPES.includes(s.unitType));
  return {
    amountColumn,
    sections: [section('一、机关、事业单位、国有企业', publicSector, amountColumn), section('二、其他用人单位', others, amountColumn)],
  };
}

export function noticeTitle(county: string, year: number): string {
  return `${county}${year}年度用人单位按比例安排残疾人就业情况公示`;
}
