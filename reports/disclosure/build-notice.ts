/**
 * docs/rules.md §7 — the public disclosure list (按比例安排残疾人就业公示, J3.2), built from accepted submissions.
 * Pure. Its input type carries only employer-level figures, so no employee's name, ID or certificate
 * number can reach a notice, whatever the caller passes in (fields are picked, never spread).
 *
 * A notice body holds three tables (UX.md §3, docs/rules.md §15):
 * 1. every unit with its quota status and the levy due — J3.2: "各级党政机关、事业单位、国有企业要带头招录（聘）和
 *    安置残疾人就业", so they form the first section, and one with no disabled employee is flagged;
 * 2. a separate 超比例安排残疾人就业奖励 list: the units with a reward, and the reward;
 * 3. the county aggregate by unit type (机关 / 团体 / 企业 / 事业 / 民办非企业): units, staff, persons placed.
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
  /** The reward was applied for and approved (docs/rules.md §14): only such units are on the reward list. */
  rewardApproved?: boolean;
}

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
  /** 应缴残疾人就业保障金, 元 */
  levy: number;
  flagNoDisabled: boolean;
}

export interface NoticeSection {
  /** 'public' = 机关、事业单位、国有企业 (J3.2), 'other' = every other unit */
  kind: 'public' | 'other';
  rows: NoticeRow[];
  totals: { employers: number; avgStaff: number; required: number; actual: number; levy: number };
}

export interface RewardRow {
  seq: number;
  name: string;
  uscc: string;
  unitType: UnitType;
  required: number;
  actual: number;
  /** 超比例人数 = 实际安排 − 应安排 */
  excess: number;
  /** 奖励金额, 元 */
  reward: number;
}

/** The five categories notices of this kind report (docs/rules.md §15), and 社会组织 not split into them. */
const AGGREGATE_CATEGORIES = ['机关', '团体', '企业', '事业', '民办非企业', '其他社会组织'] as const;
export type AggregateCategory = (typeof AGGREGATE_CATEGORIES)[number];

const CATEGORY_OF: Record<UnitType, AggregateCategory> = {
  机关: '机关',
  社会团体: '团体',
  企业: '企业',
  国有企业: '企业',
  个体工商户: '企业',
  事业单位: '事业',
  民办非企业单位: '民办非企业',
  社会组织: '其他社会组织',
};

export interface AggregateRow {
  category: AggregateCategory;
  units: number;
  avgStaff: number;
  actual: number;
}

export interface NoticeBody {
  format: 2;
  sections: NoticeSection[];
  rewards: { rows: RewardRow[]; total: number };
  aggregate: { rows: AggregateRow[]; total: Omit<AggregateRow, 'category'> };
}

function noticeStatus(s: Pick<NoticeSource, 'quotaStatus' | 'concentratedMonths'>): NoticeStatus {
  if (s.concentratedMonths > 0) return '集中就业';
  return ({ short: '未达标', exempt: '免征', met: '达标', exceeded: '超比例' } as const)[s.quotaStatus];
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const byName = (a: { name: string; uscc: string }, b: { name: string; uscc: string }) =>
  a.name.localeCompare(b.name, 'zh-Hans-CN') || a.uscc.localeCompare(b.uscc);
const sumFen = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);

function section(kind: NoticeSection['kind'], sources: NoticeSource[]): NoticeSection {
  const sorted = [...sources].sort(byName);
  const rows = sorted.map((s, i): NoticeRow => ({
    seq: i + 1,
    name: s.name,
    uscc: s.uscc,
    unitType: s.unitType,
    avgStaff: round2(s.avgStaff),
    required: round2(s.required),
    actual: round2(s.avgWeighted),
    ratio: s.avgStaff > 0 ? Math.round((s.avgWeighted / s.avgStaff) * 10000) / 10000 : 0, // 安排比例 = annual.ratio (docs/rules.md §5, §7)
    status: noticeStatus(s),
    levy: s.levyPayableFen / 100,
    flagNoDisabled: PUBLIC_SECTOR_TYPES.includes(s.unitType) && s.avgWeighted === 0,
  }));
  const sum = (f: (r: NoticeRow) => number) => round2(rows.reduce((a, r) => a + f(r), 0));
  // money summed in integer fen, converted once
  return {
    kind,
    rows,
    totals: {
      employers: rows.length,
      avgStaff: sum((r) => r.avgStaff),
      required: sum((r) => r.required),
      actual: sum((r) => r.actual),
      levy: sumFen(sorted, (x) => x.levyPayableFen) / 100,
    },
  };
}

function rewardList(sources: NoticeSource[]): NoticeBody['rewards'] {
  const withReward = sources.filter((s) => s.rewardTotalFen > 0 && s.rewardApproved !== false).sort(byName);
  return {
    rows: withReward.map((s, i) => ({
      seq: i + 1,
      name: s.name,
      uscc: s.uscc,
      unitType: s.unitType,
      required: round2(s.required),
      actual: round2(s.avgWeighted),
      excess: round2(Math.max(0, s.avgWeighted - s.required)),
      reward: s.rewardTotalFen / 100,
    })),
    total: sumFen(withReward, (s) => s.rewardTotalFen) / 100,
  };
}

function aggregate(rows: readonly { unitType: UnitType; avgStaff: number; actual: number }[]): NoticeBody['aggregate'] {
  const by = new Map<AggregateCategory, AggregateRow>(
    AGGREGATE_CATEGORIES.map((c) => [c, { category: c, units: 0, avgStaff: 0, actual: 0 }]),
  );
  for (const r of rows) {
    const a = by.get(CATEGORY_OF[r.unitType] ?? '其他社会组织')!;
    a.units += 1;
    a.avgStaff = round2(a.avgStaff + r.avgStaff);
    a.actual = round2(a.actual + r.actual);
  }
  // the five categories always; 社会组织 not split into them only when there is one
  const out = [...by.values()].filter((a) => a.category !== '其他社会组织' || a.units > 0);
  return {
    rows: out,
    total: {
      units: rows.length,
      avgStaff: round2(out.reduce((a, r) => a + r.avgStaff, 0)),
      actual: round2(out.reduce((a, r) => a + r.actual, 0)),
    },
  };
}

export function buildNotice(sources: readonly NoticeSource[]): NoticeBody {
  const pick = (s: NoticeSource): NoticeSource => ({
    name: s.name,
    uscc: s.uscc,
    unitType: s.unitType,
    avgStaff: s.avgStaff,
    required: s.required,
    avgWeighted: s.avgWeighted,
    quotaStatus: s.quotaStatus,
    concentratedMonths: s.concentratedMonths,
    levyPayableFen: s.levyPayableFen,
    rewardTotalFen: s.rewardTotalFen,
  });
  const clean = sources.map(pick);
  const sections = [
    section(
      'public',
      clean.filter((s) => PUBLIC_SECTOR_TYPES.includes(s.unitType)),
    ),
    section(
      'other',
      clean.filter((s) => !PUBLIC_SECTOR_TYPES.includes(s.unitType)),
    ),
  ];
  return { format: 2, sections, rewards: rewardList(clean), aggregate: aggregate(sections.flatMap((s) => s.rows)) };
}

/** Every unit listed in the notice, in the order shown. */
export const noticeEntries = (b: NoticeBody): NoticeRow[] => b.sections.flatMap((s) => s.rows);

type LegacyRow = Omit<NoticeRow, 'levy'> & { amount: number | null };
interface LegacyBody {
  amountColumn: 'levy' | 'reward' | 'none';
  sections: { title: string; rows: LegacyRow[] }[];
}

/**
 * Notices stored before the body held both lists carried one amount column (levy, reward or none). They are
 * immutable, so they are read into today's shape: the amount goes to the list it belonged to.
 */
export function normaliseBody(raw: unknown): NoticeBody {
  const b = raw as NoticeBody | LegacyBody;
  if ((b as NoticeBody).format === 2) return b as NoticeBody;
  const old = b as LegacyBody;
  const sections = old.sections.map((s, i): NoticeSection => {
    const rows = s.rows.map(({ amount, ...r }) => ({ ...r, levy: old.amountColumn === 'levy' ? (amount ?? 0) : 0 }));
    const sum = (f: (r: NoticeRow) => number) => round2(rows.reduce((a, r) => a + f(r), 0));
    return {
      kind: i === 0 ? 'public' : 'other',
      rows,
      totals: {
        employers: rows.length,
        avgStaff: sum((r) => r.avgStaff),
        required: sum((r) => r.required),
        actual: sum((r) => r.actual),
        levy: Math.round(rows.reduce((a, r) => a + r.levy * 100, 0)) / 100,
      },
    };
  });
  const rewarded =
    old.amountColumn === 'reward'
      ? old.sections
          .flatMap((s) => s.rows)
          .filter((r) => (r.amount ?? 0) > 0)
          .sort(byName)
      : [];
  const rewards = {
    rows: rewarded.map((r, i) => ({
      seq: i + 1,
      name: r.name,
      uscc: r.uscc,
      unitType: r.unitType,
      required: r.required,
      actual: r.actual,
      excess: round2(Math.max(0, r.actual - r.required)),
      reward: r.amount ?? 0,
    })),
    total: Math.round(rewarded.reduce((a, r) => a + (r.amount ?? 0) * 100, 0)) / 100,
  };
  return { format: 2, sections, rewards, aggregate: aggregate(sections.flatMap((s) => s.rows)) };
}

export function noticeTitle(county: string, year: number): string {
  return `${county}${year}年度用人单位按比例安排残疾人就业情况公示`;
}
