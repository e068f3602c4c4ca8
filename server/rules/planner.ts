/**
 * What-if: how many more counted disabled hires — on staff all year, weight 1 or
 * weight 2 (L72 art. 8) — bring the levy to zero, and what each extra hire changes. Each plan is
 * re-evaluated by `evaluate()` on the adjusted monthly facts: +n staff, +n disabled, +n·w weighted in
 * every month; each hire earns the current average wage (setting `whatIfWage`, default keeps avgWage)
 * or the county minimum wage.
 */
import { monthQualifies } from './concentrated';
import { evaluate, type Figures } from './evaluate';
import type { Settings } from './interpretations';
import { Q } from './money';
import { disabilityWeight } from './parameters/lookup';
import type { Parameters } from './parameters/table';
import { rewardTotal } from './rewards';
import type { Employer, MonthFacts } from './types';

export interface WhatIfStep {
  hires: number;
  weight: number;
  levyPayable: Q;
  levySaved: Q;
  rewardTotal: Q;
  rewardGained: Q;
  concentratedMonths: number;
  status: Figures['status'];
}

export interface WhatIf {
  assumptions: { fullYear: true; hireWage: Settings['whatIfWage'] };
  hiresToZeroLevy: { weight1: number | null; weight2: number | null };
  hiresToConcentrated: number | null;
  steps: WhatIfStep[];
}

const MAX_HIRES = 100_000;
const MAX_STEPS = 10;

export function planHires(
  employer: Employer,
  months: readonly MonthFacts[],
  base: Figures,
  params: Parameters,
  settings: Settings,
): WhatIf {
  const hireAnnualWage = settings.whatIfWage === 'average' ? base.annual.avgWage : Q.sum(months.map((m) => m.minWage));
  const baseReward = rewardTotal(base.rewards);

  const withHires = (n: number, w: number): Figures => {
    const adjusted = months.map((m) => ({
      ...m,
      staff: m.staff.add(Q.of(n)),
      disabled: m.disabled + n,
      weighted: m.weighted + n * w,
    }));
    const wageTotal = base.annual.wageTotal.add(hireAnnualWage.mul(n));
    return evaluate({ ...employer, wageTotal }, adjusted, params, settings);
  };

  const toZero = (w: number): number | null => {
    if (base.levy.payable.isZero()) return 0;
    const q = base.quota.ratio;
    const denom = Q.of(w).sub(q);
    // (avgWeighted + n·w) ≥ q·(avgStaff + n)  ⇔  n ≥ (q·avgStaff − avgWeighted) / (w − q)
    let n = Math.max(1, Number(q.mul(base.annual.avgStaff).sub(base.annual.avgWeighted).div(denom).ceil().n));
    while (n <= MAX_HIRES && !withHires(n, w).levy.payable.isZero()) n++;
    return n <= MAX_HIRES ? n : null;
  };

  const hiresToConcentrated = (): number | null => {
    let best: number | null = null;
    for (const m of months) {
      const test = hiresForMonth(employer, m, params);
      if (test !== null && (best === null || test < best)) best = test;
    }
    return best;
  };

  // a hire holding a certificate that counts more (L72 第八条: the weight in force at the year's end)
  const heavy = disabilityWeight(params, `${employer.year}-12-31`).value.weight;
  const weight1 = toZero(1);
  const weight2 = toZero(heavy);
  const stepsCount = Math.min(MAX_STEPS, Math.max(3, weight1 ?? 0));
  const steps: WhatIfStep[] = [];
  for (const w of [1, heavy]) {
    for (let n = 1; n <= stepsCount; n++) {
      const f = withHires(n, w);
      const reward = rewardTotal(f.rewards);
      steps.push({
        hires: n,
        weight: w,
        levyPayable: f.levy.payable,
        levySaved: base.levy.payable.sub(f.levy.payable),
        rewardTotal: reward,
        rewardGained: reward.sub(baseReward),
        concentratedMonths: f.concentrated.months.length,
        status: f.status,
      });
    }
  }
  return {
    assumptions: { fullYear: true, hireWage: settings.whatIfWage },
    hiresToZeroLevy: { weight1, weight2 },
    hiresToConcentrated: hiresToConcentrated(),
    steps,
  };
}

/** Hires needed for month m to qualify (J3.1): d+n ≥ r·(s+n) and d+n ≥ min, i.e. n ≥ (r·s − d)/(1 − r). */
function hiresForMonth(employer: Employer, m: MonthFacts, params: Parameters): number | null {
  const t = monthQualifies(employer, m, params);
  if (!t.assessed) return null;
  if (t.qualifies) return 0;
  const r = t.ratio!;
  const byRatio = r.mul(m.staff).sub(Q.of(m.disabled)).div(Q.ONE.sub(r)).ceil();
  const byCount = Q.of(t.min! - m.disabled);
  return Math.max(0, Number(byRatio.max(byCount).n));
}
