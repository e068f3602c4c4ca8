/** A synthetic county of N employers with accepted results, for the notice benchmarks. */
import type { NoticeSource } from '../../reports/disclosure/build-notice';
import { UNIT_TYPES } from '../../server/rules/types';

export function syntheticSources(n: number): NoticeSource[] {
  const out: NoticeSource[] = [];
  for (let i = 0; i < n; i++) {
    const avgStaff = 20 + ((i * 37) % 900);
    const required = Math.round(avgStaff * 0.015 * 100) / 100;
    const avgWeighted = (i * 7) % 5;
    out.push({
      name: `嘉兴市第${i + 1}号示例制造有限公司`,
      uscc: `91330400${String(i).padStart(9, '0')}X`,
      unitType: UNIT_TYPES[i % UNIT_TYPES.length],
      avgStaff,
      required,
      avgWeighted,
      quotaStatus:
        avgStaff <= 30 ? 'exempt' : avgWeighted < required ? 'short' : avgWeighted > required ? 'exceeded' : 'met',
      concentratedMonths: i % 97 === 0 ? 12 : 0,
      levyPayableFen: avgWeighted < required ? Math.round((required - avgWeighted) * 7_200_000 * 0.5) : 0,
      rewardTotalFen: 0,
    });
  }
  return out;
}
