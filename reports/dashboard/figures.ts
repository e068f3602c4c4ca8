/**
 * The bureau dashboard's figures, pure: from each employer's latest submission per year.
 * Received = employers with any submission for the year. The status counts and the money totals use the
 * latest version whose figures stand — awaiting review or accepted; a returned version is left out,
 * because the bureau sent those figures back. Money is summed in integer fen.
 */
export interface DashboardSubmission {
  employerId: number;
  name: string;
  uscc: string;
  year: number;
  status: 'submitted' | 'accepted' | 'returned';
  quotaStatus: 'short' | 'exempt' | 'met' | 'exceeded';
  levyPayableFen: number;
  rewardTotalFen: number;
  vatCeilingFen: number;
  concentratedMonths: number;
}

export interface YearFigures {
  year: number;
  expected: number;
  received: number;
  review: Record<'submitted' | 'accepted' | 'returned', number>;
  byStatus: Record<'short' | 'exempt' | 'met' | 'exceeded', number>;
  levyFen: number;
  rewardFen: number;
  concentrated: { name: string; uscc: string; months: number; vatCeilingFen: number }[];
  vatCeilingFen: number;
}

export function yearFigures(rows: readonly DashboardSubmission[], year: number, expected: number): YearFigures {
  const mine = rows.filter((r) => r.year === year);
  const standing = mine.filter((r) => r.status !== 'returned');
  const f: YearFigures = {
    year,
    expected,
    received: new Set(mine.map((r) => r.employerId)).size,
    review: { submitted: 0, accepted: 0, returned: 0 },
    byStatus: { short: 0, exempt: 0, met: 0, exceeded: 0 },
    levyFen: 0,
    rewardFen: 0,
    concentrated: [],
    vatCeilingFen: 0,
  };
  for (const r of mine) f.review[r.status] += 1;
  for (const r of standing) {
    f.byStatus[r.quotaStatus] += 1;
    f.levyFen += r.levyPayableFen;
    f.rewardFen += r.rewardTotalFen;
    if (r.concentratedMonths > 0) {
      f.concentrated.push({ name: r.name, uscc: r.uscc, months: r.concentratedMonths, vatCeilingFen: r.vatCeilingFen });
      f.vatCeilingFen += r.vatCeilingFen;
    }
  }
  f.concentrated.sort((a, b) => b.vatCeilingFen - a.vatCeilingFen || a.name.localeCompare(b.name, 'zh-Hans-CN'));
  return f;
}

export function trend(rows: readonly DashboardSubmission[], years: readonly number[], expected: number): YearFigures[] {
  return years.map((y) => yearFigures(rows, y, expected));
}
