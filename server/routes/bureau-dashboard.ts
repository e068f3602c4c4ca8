/**
 * The bureau dashboard: for the officer's county, or the whole city (or a chosen county) for
 * the administrator, and a year — submissions received vs expected, employers by status, levy and reward
 * totals, concentrated-employment units with their VAT refund ceilings, and the trend over the years.
 * Charts are SVG drawn on the server; every chart has its numbers in a table beside it.
 */
import { Router } from 'express';
import { trend, yearFigures } from '../../reports/dashboard/figures';
import { barChart, columnChart, ringChart, SERIES_COLOURS } from '../../reports/dashboard/svg';
import { percent, wan } from '../i18n/format';
import { t as tr } from '../i18n/t';
import type { Services } from '../services';
import { label, STATUS } from '../i18n/labels';
import { allow, countyScope, reachOf } from '../middleware/authorise';
import { localsOf } from '../middleware/types';
import { render } from '../render/engine';
import { COUNTIES } from '../rules/types';
import { dataYearOf } from './query';

export function bureauDashboardRoutes(s: Services) {
  const r = Router();
  r.use(allow('dashboard.read'));

  r.get('/', async (req, res) => {
    const user = localsOf(req).user!;
    const lang = localsOf(req).lang;
    const en = lang === 'en';
    const county = countyScope(user, req.query.county, 'dashboard.read');
    const year = dataYearOf(req.query.year);
    const rows = await s.submissions.latestForDashboard(county);
    const expected = await s.register.expected(county, year);
    const f = yearFigures(rows, year, expected);
    const years = [...new Set([...rows.map((x) => x.year), year])].sort((a, b) => a - b);
    const t = trend(rows, years, expected);
    const statuses = (['short', 'met', 'exceeded', 'exempt'] as const).map((k) => ({
      key: k,
      label: label(STATUS, k, lang),
      n: f.byStatus[k],
    }));
    const rate = f.expected > 0 ? f.received / f.expected : 0;
    const years$ = t.map((y) => String(y.year));
    const charts = {
      ring: ringChart(tr('bureau.dashboard.rate', lang), rate, percent(rate, 0)),
      status: barChart(
        en ? 'Employers by quota status' : '按比例就业状态',
        statuses.map((x) => ({
          label: x.label,
          value: x.n,
          display: String(x.n),
          tone: x.key === 'short' ? 'bad' : x.key === 'exempt' ? 'warn' : 'ok',
        })),
      ),
      // levy and reward by year, in 万元, distinct colours and a legend
      trend: columnChart(tr('bureau.dashboard.trendChart', lang), years$, [
        {
          name: tr('bureau.dashboard.levyDue2', lang),
          colour: SERIES_COLOURS[0],
          values: t.map((y) => y.levyFen),
          display: t.map((y) => wan(y.levyFen / 100, lang)),
        },
        {
          name: tr('bureau.dashboard.rewards2', lang),
          colour: SERIES_COLOURS[1],
          values: t.map((y) => y.rewardFen),
          display: t.map((y) => wan(y.rewardFen / 100, lang)),
        },
      ]),
    };
    // the city: each county side by side — submission rate, levy and reward totals
    let comparison:
      { county: string; rate: string; levy: string; reward: string; received: number; expected: number }[] | null =
      null;
    let comparisonCharts: { rate: string; money: string } | null = null;
    if (!county && reachOf(user, 'dashboard.read') === 'all') {
      const per = await Promise.all(
        COUNTIES.map(async (c) => ({
          county: c,
          f: yearFigures(await s.submissions.latestForDashboard(c), year, await s.register.expected(c, year)),
        })),
      );
      const names = per.map((x) => tr(`place.${x.county}`, lang));
      comparison = per.map((x, i) => ({
        county: names[i],
        received: x.f.received,
        expected: x.f.expected,
        rate: percent(x.f.expected ? x.f.received / x.f.expected : 0, 0),
        levy: wan(x.f.levyFen / 100, lang),
        reward: wan(x.f.rewardFen / 100, lang),
      }));
      comparisonCharts = {
        rate: barChart(
          tr('bureau.dashboard.rateByCounty', lang),
          per.map((x, i) => ({
            label: names[i],
            value: x.f.expected ? x.f.received / x.f.expected : 0,
            display: comparison![i].rate,
            tone: 'ok',
          })),
        ),
        money: columnChart(
          tr('bureau.dashboard.moneyByCounty', lang),
          names,
          [
            {
              name: tr('bureau.dashboard.levyDue2', lang),
              colour: SERIES_COLOURS[0],
              values: per.map((x) => x.f.levyFen),
              display: comparison.map((x) => x.levy),
            },
            {
              name: tr('bureau.dashboard.rewards2', lang),
              colour: SERIES_COLOURS[1],
              values: per.map((x) => x.f.rewardFen),
              display: comparison.map((x) => x.reward),
            },
          ],
          700,
        ),
      };
    }
    res.send(
      render('bureau/dashboard', {
        ...res.locals,
        title: en ? 'Dashboard' : '数据看板',
        year,
        county,
        counties: reachOf(user, 'dashboard.read') === 'all' ? COUNTIES : null,
        f,
        statuses,
        charts,
        levy: wan(f.levyFen / 100, lang),
        reward: wan(f.rewardFen / 100, lang),
        vat: wan(f.vatCeilingFen / 100, lang),
        rate: percent(rate, 0),
        comparison,
        comparisonCharts,
        concentrated: f.concentrated.map((c) => ({ ...c, vat: wan(c.vatCeilingFen / 100, lang) })),
        trend: t.map((y) => ({
          year: y.year,
          received: y.received,
          levy: wan(y.levyFen / 100, lang),
          reward: wan(y.rewardFen / 100, lang),
          concentrated: y.concentrated.length,
          vat: wan(y.vatCeilingFen / 100, lang),
        })),
      }),
    );
  });
  return r;
}
