/**
 * Bureau pages: the county's submissions (filters, search), one submission read-only with accept/return,
 * employers that have not submitted, the parameters in force (administrators add values). An officer
 * sees only their county; the administrator sees every county.
 */
import { Router, type Request } from 'express';
import type { Services, SubmissionStatus } from '../services';
import { allow, can, countyScope, reachOf, scoped } from '../middleware/authorise';
import { localsOf } from '../middleware/types';
import { render } from '../render/engine';
import { COUNTIES } from '../rules/types';
import { resultView } from '../../reports/employer/result-view';
import { sendReportXlsx } from './report';
import { dataYearOf, queryDate } from './query';
import { todayInChina } from '../services/notices';

export function bureauRoutes(s: Services) {
  const r = Router();
  r.use(allow('bureau.use'));

  r.get('/', async (req, res) => {
    const user = localsOf(req).user!;
    const county = countyScope(user, req.query.county, 'submission.list');
    const year = dataYearOf(req.query.year);
    const status = ['submitted', 'accepted', 'returned'].includes(String(req.query.status)) ? (req.query.status as SubmissionStatus) : undefined;
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 50) : '';
    const rows = await s.submissions.list({ county, year, status, q: q || undefined, latestOnly: true });
    res.send(render('bureau/home', { ...res.locals, rows, year, status, q, county, counties: reachOf(user, 'submission.list') === 'all' ? COUNTIES : null }));
  });

  const scopedSubmission = async (req: Request) => scoped(localsOf(req).user, 'submission.read', await s.submissions.byId(Number(req.params.id)));

  r.get('/submissions/:id', async (req, res) => {
    const sub = await scopedSubmission(req);
    const c = await s.checks.byId(sub.check_id);
    res.send(render('bureau/submission', { ...res.locals, sub, view: resultView(c!, localsOf(req).lang), diff: await s.submissions.diffWithPrevious(sub.id), pending: sub.status === 'submitted' }));
  });

  r.get('/submissions/:id/report.xlsx', async (req, res) => {
    const sub = await scopedSubmission(req);
    await sendReportXlsx(res, resultView((await s.checks.byId(sub.check_id))!, localsOf(req).lang), localsOf(req).lang);
  });

  for (const decision of ['accept', 'return'] as const) {
    r.post(`/submissions/:id/${decision}`, async (req, res) => {
      const user = localsOf(req).user;
      const sub = scoped(user, 'submission.review', await scopedSubmission(req));
      await s.submissions.review(user!, sub.id, decision === 'accept' ? 'accepted' : 'returned', String(req.body?.reason ?? ''));
      res.redirect(303, `/bureau/submissions/${sub.id}`);
    });
  }

  r.get('/missing', allow('employer.list'), async (req, res) => {
    const user = localsOf(req).user!;
    const county = countyScope(user, req.query.county, 'employer.list');
    const year = dataYearOf(req.query.year);
    const counties = county ? [county] : [...COUNTIES];
    const employers = (await Promise.all(counties.map((c) => s.employers.inCounty(c)))).flat();
    const submitted = new Set((await s.submissions.list({ county, year })).map((x) => x.employer_id));
    res.send(render('bureau/missing', { ...res.locals, year, county, missing: employers.filter((e) => !submitted.has(e.id)) }));
  });

  r.get('/parameters', allow('parameters.read'), async (req, res) => {
    const date = queryDate(req.query.date);
    const p = await s.params.current();
    const lang = localsOf(req).lang;
    const rows = p.inForce(date).map((v) => ({ id: v.id, title: p.definition(v.id).title[lang], key: v.key ?? '', value: JSON.stringify(v.value), from: v.from, to: v.to ?? '', source: v.source }));
    res.send(render('bureau/parameters', { ...res.locals, date, rows, ids: p.definitions().map((d) => d.id), isAdmin: can(localsOf(req).user, 'parameters.add'), saved: req.query.saved === '1' }));
  });

  r.post('/parameters', allow('parameters.add'), async (req, res) => {
    const b = req.body ?? {};
    let value: unknown;
    try { value = JSON.parse(String(b.value ?? '')); } catch { value = undefined; }
    const out = await s.params.add(localsOf(req).user!, { paramId: String(b.paramId ?? ''), key: String(b.key ?? '') || undefined, from: String(b.from ?? ''), to: String(b.to ?? '') || undefined, value, source: String(b.source ?? '') });
    if (!out.ok) {
      const p = await s.params.current();
      res.status(422).send(render('bureau/parameters', { ...res.locals, date: String(b.from ?? ''), rows: [], ids: p.definitions().map((d) => d.id), isAdmin: true, problems: out.problems, form: b }));
      return;
    }
    res.redirect(303, `/bureau/parameters?saved=1&date=${encodeURIComponent(String(b.from))}`);
  });

  r.get('/settings', allow('settings.manage'), async (req, res) => {
    const policy = await s.retention.policy();
    const expiring = (await s.retention.expired(policy, todayInChina())).length;
    res.send(render('bureau/settings', { ...res.locals, title: localsOf(req).lang === 'en' ? 'Settings' : '系统设置', policy, expiring, saved: req.query.saved === '1' }));
  });

  r.post('/settings', allow('settings.manage'), async (req, res) => {
    const b = req.body ?? {};
    const p = await s.retention.setPolicy(localsOf(req).user!, { mode: b.mode, correctionWindowDays: Number(b.correctionWindowDays), days: Number(b.days), orphanDays: Number(b.orphanDays) });
    if (!p) {
      const lang = localsOf(req).lang;
      res.status(422).send(render('bureau/settings', { ...res.locals, policy: { ...b }, expiring: 0, error: lang === 'en' ? 'Choose a mode; the day counts are whole numbers (window 0–3650, the others 1–3650).' : '请选择保留方式；天数须为整数（更正期 0–3650，其余 1–3650）。' }));
      return;
    }
    res.redirect(303, '/bureau/settings?saved=1');
  });

  r.get('/audit', allow('audit.read'), async (_req, res) => {
    res.send(render('bureau/audit', { ...res.locals, rows: await s.audit.list(300) }));
  });

  return r;
}
