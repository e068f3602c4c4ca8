/**
 * Figures from monthly facts: docs/rules.md §5–§6.3 in order. Shared by `check()` and the what-if planner, so a
 * planned hire is evaluated by exactly the same rules as the real roster.
 */
import { disabilityWeight } from './parameters/lookup';
import { computeAnnual, type Annual } from './annual';
import { computeConcentrated, type Concentrated } from './concentrated';
import { Explainer, type Warning } from './figure';
import type { Settings } from './interpretations';
import { collectionDateOf, computeLevy, type Levy } from './levy';
import type { Parameters } from './parameters/table';
import { computeQuota, quotaStatus, type Quota, type Status } from './quota';
import { computeRewards, type Reward } from './rewards';
import type { Employer, MonthFacts } from './types';

export interface Figures {
  annual: Annual;
  quota: Quota;
  status: Status;
  levy: Levy;
  concentrated: Concentrated;
  rewards: Reward[];
  explainer: Explainer;
  warnings: Warning[];
}

export function evaluate(
  employer: Employer,
  months: readonly MonthFacts[],
  params: Parameters,
  settings: Settings,
): Figures {
  const ex = new Explainer();
  const warnings: Warning[] = [];
  const annual = computeAnnual(
    employer,
    months,
    settings,
    ex,
    disabilityWeight(params, `${employer.year}-12-31`).value,
  );
  const quota = computeQuota(employer.year, annual, collectionDateOf(employer.year, settings), params, settings, ex);
  const levy = computeLevy(employer, annual, quota, params, settings, ex, warnings);
  const status = quotaStatus(quota, levy.exemption, ex);
  const concentrated = computeConcentrated(employer, months, annual, params, ex, warnings);
  const rewards = computeRewards(employer, months, annual, quota, concentrated, params, settings, ex);
  return { annual, quota, status, levy, concentrated, rewards, explainer: ex, warnings };
}
