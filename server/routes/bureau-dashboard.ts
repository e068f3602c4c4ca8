/**
 * The bureau dashboard (issue #5.5): for the officer's county, or the whole city (or a chosen county) for
 * the administrator, and a year — submissions received vs expected, employers by status, levy and reward
 * totals, concentrated-employment units with their VAT refund ceilings, and the trend over the years.
 * Charts are SVG drawn on the server; every chart has its numbers in a table beside it.
 */
import { Router } from 'express';
import { trend, yearFigures } from '../../reports/dashboard/figures';
import { barChart } from '../../reports/dashboard/svg';
import type { Services } from '../services';
import { label, STATUS } from '../i18n/labels';
import { allow, countyScope, reachOf } from '../middleware/authorise';
import { localsOf } from '../middleware/types';
import { render } from '../render/engine';
import { formatYuan, Q } from '../rules/money';
import { COUNTIES } from '../rules/types';
import { dataYearOf } from './query';

export const yuanText = (fen: number) => formatYuan(Q.of(fen, 100));

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
    const expected = await s.employers.count(county);
    const f = yearFigures(rows, year, expected);
    const years = [...new Set([...rows.map((x) => x.year), year])].sort((a, b) => a - b);
    const t = trend(rows, years, expected);
    const statuses = (['short', 'met', 'exceeded', 'exempt'] as const).map((k) => ({ key: k, label: label(STATUS, k, lang), n: f.byStatus[k] }));
    const charts = {
      received: barChart(en ? 'Submissions received vs expected' : '报送情况', [
        { label: en ? 'expected' : '应报送', value: f.expected, display: String(f.expected), tone: 'accent' },
        { label: en ? 'received' : '已报送', value: f.received, display: String(f.received), tone: 'ok' },
        { label: en ? 'accepted' : '已通过', value: f.review.accepted, display: String(f.review.accepted), tone: 'ok' },
        { label: en ? 'returned' : '已退回', value: f.review.returned, display: String(f.review.returned), tone: 'bad' },
      ]),
      status: barChart(en ? 'Employers by quota status' : '按比例就业状态', statuses.map((x) => ({ label: x.label, value: x.n, display: String(x.n), tone: x.key === 'short' ? 'bad' : x.key === 'exempt' ? 'warn' : 'ok' }))),
      levyTrend: barChart(en ? 'Levy due by year (CNY)' : '各年度应缴保障金（元）', t.map((y) => ({ label: String(y.year), value: y.levyFen, display: yuanText(y.levyFen), tone: 'accent' }))),
      rewardTrend: barChart(en ? 'Rewards by year (CNY)' : '各年度奖励金额（元）', t.map((y) => ({ label: String(y.year), value: y.rewardFen, display: yuanText(y.rewardFen), tone: 'ok' }))),
    };
    res.send(render('bureau/dashboard', {
      ...res.locals, title: en ? 'Dashboard' : '数据看板', year, county, counties: reachOf(user, 'dashboard.read') === 'all' ? COUNTIES : null, f, statuses, charts,
      levy: yuanText(f.levyFen), reward: yuanText(f.rewardFen), vat: yuanText(f.vatCeilingFen),
      concentrated: f.concentrated.map((c) => ({ ...c, vat: yuanText(c.vatCeilingFen) })),
      trend: t.map((y) => ({ year: y.year, received: y.received, levy: yuanText(y.levyFen), reward: yuanText(y.rewardFen), concentrated: y.concentrated.length, vat: yuanText(y.vatCeilingFen) })),
    }));
  });
  return r;
}
