/**
 * docs/rules.md §6.1 — proportional employment quota (J3.2, L72 art. 8, ZJ).
 *   required = avgStaff × quotaRatio (I2: not rounded)
 *   shortfall = max(0, required − avgWeighted); excess = max(0, avgWeighted − required)
 * L72 art. 8: "差额人数，以公式计算结果为准，可以不是整数" — the levy uses the unrounded shortfall.
 */
import type { Annual } from './annual';
import { wordsNumber, type Explainer } from './figure';
import type { Settings } from './interpretations';
import { formatCount, formatPercent, Q } from './money';
import { quotaRatio } from './parameters/lookup';
import type { Parameters } from './parameters/table';

export interface Quota {
  ratio: Q;
  required: Q;
  shortfall: Q;
  excess: Q;
}

export type Status = 'short' | 'exempt' | 'met' | 'exceeded';

export function computeQuota(
  year: number,
  annual: Annual,
  collectionDate: string,
  params: Parameters,
  settings: Settings,
  ex: Explainer,
): Quota {
  const day = settings.quotaRatioDay === 'year-end' ? `${year}-12-31` : collectionDate;
  const ratio = quotaRatio(params, day);
  let required = annual.avgStaff.mul(ratio.value);
  if (settings.requiredRounding === 'half-up') required = required.round(0);
  const shortfall = required.sub(annual.avgWeighted).max(Q.ZERO);
  const excess = annual.avgWeighted.sub(required).max(Q.ZERO);
  ex.explain(
    'quota.required',
    'avgStaff × quotaRatio',
    `${formatCount(annual.avgStaff)} × ${formatPercent(ratio.value)}`,
    formatCount(required),
    ['ZJ', 'J3.2', 'L72'],
    {
      interpretations: ['I2'],
      sources: [ratio.source],
      words: {
        case: 'product',
        values: {
          avgStaff: wordsNumber(annual.avgStaff),
          quotaRatio: wordsNumber(ratio.value),
          result: wordsNumber(required),
        },
      },
    },
  );
  ex.explain(
    'quota.shortfall',
    'max(0, required − avgWeighted)',
    `max(0, ${formatCount(required)} − ${formatCount(annual.avgWeighted)})`,
    formatCount(shortfall),
    ['L72'],
    {
      interpretations: ['I2'],
      words: {
        case: shortfall.isZero() ? 'none' : 'difference',
        values: {
          required: wordsNumber(required),
          avgWeighted: wordsNumber(annual.avgWeighted),
          result: wordsNumber(shortfall),
        },
      },
    },
  );
  ex.explain(
    'quota.excess',
    'max(0, avgWeighted − required)',
    `max(0, ${formatCount(annual.avgWeighted)} − ${formatCount(required)})`,
    formatCount(excess),
    ['J3.2'],
    {
      words: {
        case: excess.isZero() ? 'none' : 'difference',
        values: {
          required: wordsNumber(required),
          avgWeighted: wordsNumber(annual.avgWeighted),
          result: wordsNumber(excess),
        },
      },
    },
  );
  return { ratio: ratio.value, required, shortfall, excess };
}

/** docs/rules.md §6.1 status: shortfall > 0 → exempt | short; otherwise exceeded when excess ≥ 1, else met. */
export function quotaStatus(quota: Quota, exemption: string | null, ex: Explainer): Status {
  let status: Status;
  if (quota.shortfall.gt(Q.ZERO)) status = exemption ? 'exempt' : 'short';
  else status = quota.excess.ge(Q.ONE) ? 'exceeded' : 'met';
  const why = {
    short: `shortfall ${formatCount(quota.shortfall)} > 0, no exemption`,
    exempt: `shortfall ${formatCount(quota.shortfall)} > 0, exempt (${exemption})`,
    met: `shortfall 0, excess ${formatCount(quota.excess)} < 1`,
    exceeded: `excess ${formatCount(quota.excess)} ≥ 1`,
  }[status];
  ex.state('quota.status', `${status} — ${why}`, ['J3.2', 'L72'], {
    words: {
      case: status,
      values: {
        shortfall: wordsNumber(quota.shortfall),
        excess: wordsNumber(quota.excess),
        exemption: exemption ?? '',
      },
    },
  });
  return status;
}
