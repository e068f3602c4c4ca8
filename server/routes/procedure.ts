/**
 * Pages of the year's procedure (docs/rules.md §11–§16): the verification certificate (employer, bureau,
 * and its public check by number + code), reward applications (bureau decisions, the public reward list),
 * the social average wage and its recompute, per-year deadlines, arrears with the late fee, and the
 * next-year workbook carried forward from a stored result.
 */
import { Router, type Request, type Response } from 'express';
import type { Services } from '../services';
import { allow, countyScope, scoped } from '../middleware/authorise';
import { localsOf } from '../middleware/types';
import { render } from '../render/engine';
import { PROCEDURE_ERROR_TEXT, ProcedureError, type ArrearsInputYear, type RecomputeRun } from '../services/procedure';
import { COUNTIES } from '../rules/types';
import { dataYearOf } from './query';
import { count } from '../i18n/format';
import { todayInChina } from '../services/notices';
import { notFound } from '../services/errors';
import { downloadName, sendAsAttachment, XLSX } from './attachment';
import { t } from '../i18n/t';

/** Catalogue keys of the figures a recompute can change. */
export const DIFF_LABEL: Record<string, string> = {
  'annual.wageBase': 'figure.annual.wageBase',
  'levy.full': 'figure.levy.full',
  'levy.payable': 'figure.levy.payable',
  'quota.status': 'figure.quota.status',
  'taxForm.col8': 'taxForm.col8',
  'taxForm.col10': 'taxForm.col10',
  'taxForm.col12': 'taxForm.col12',
};

const HOME_FIGURES = ['levy.payable', 'annual.wageBase', 'quota.status'];

/** What a recompute changed, as the employer's home page lists it. */
export function recomputedItems(
  rows: { year: number; version: number; diff_json: string; created_at: string; reason?: string }[],
) {
  return rows.map((v) => ({
    year: v.year,
    /** recomputed after the officer gave months to another unit (docs/rules.md §4.2), not for the wage */
    crossUnit: v.reason === 'cross-unit',
    /** why it was computed again, said beside the version (the wage's recompute is said by the heading) */
    reasonKey: v.reason && v.reason !== 'social-average-wage' ? `importRecompute.reason.${v.reason}` : null,
    version: v.version,
    at: v.created_at,
    // the home page names the figures an employer acts on; the version keeps every change
    changes: (JSON.parse(v.diff_json) as { figure: string; before: number | string; after: number | string }[])
      .filter((d) => HOME_FIGURES.includes(d.figure))
      .map((d) => ({ ...d, key: DIFF_LABEL[d.figure] ?? d.figure, money: typeof d.before === 'number' })),
  }));
}

/** Anyone: verify a certificate by number + code (figures only), and the reward list of a county and year. */
export function procedurePublicRoutes(s: Services) {
  const r = Router();
  r.get('/certificates/verify', async (req, res) => {
    const number = typeof req.query.number === 'string' ? req.query.number.slice(0, 80) : '';
    const code = typeof req.query.code === 'string' ? req.query.code.slice(0, 40) : '';
    const asked = !!(number && code);
    const found = asked ? await s.procedure.verify(number, code) : null;
    res
      .status(asked && !found ? 404 : 200)
      .send(render('public/certificate-verify', { ...res.locals, number, code, asked, found }));
  });
  r.get('/rewards', async (req, res) => {
    const asked = String(req.query.county ?? '');
    const county = (COUNTIES as readonly string[]).includes(asked) ? asked : COUNTIES[0];
    const year = dataYearOf(req.query.year);
    const rows = await s.procedure.rewardList(county, year);
    res.send(render('public/rewards', { ...res.locals, county, year, rows, counties: COUNTIES }));
  });
  return r;
}

/** The printable 审核确认书, for the employer it belongs to and the bureau that issued it; `back` names the way back. */
function certificatePage(s: Services, back: (cert: { submission_id: number }) => string) {
  return async (req: Request, res: Response) => {
    const cert = await s.procedure.certificate(Number(req.params.id));
    scoped(localsOf(req).user, 'certificate.read', cert?.row);
    const base = s.config.publicUrl || `${req.protocol}://${req.get('host')}`;
    const query = `number=${encodeURIComponent(cert!.row.number)}&code=${encodeURIComponent(cert!.row.code)}`;
    res.send(
      render('certificate', {
        ...res.locals,
        cert: cert!,
        verifyUrl: `${base}/certificates/verify?${query}`,
        back: back(cert!.row),
      }),
    );
  };
}

/** The employer's own certificate and next-year workbook (mounted under /employer). */
export function procedureEmployerRoutes(s: Services) {
  const r = Router();
  r.use(allow('employer.use'));
  r.get(
    '/certificates/:id',
    certificatePage(s, () => '/employer'),
  );
  r.get('/checks/:id/next-year.xlsx', async (req, res) => {
    const check = scoped(localsOf(req).user, 'check.read', await s.checks.byId(String(req.params.id)));
    const out = await s.procedure.carryForward(check.id, check.employer_id);
    // written straight to the response: no temporary file
    const lang = localsOf(req).lang;
    const employer = await s.employers.byId(check.employer_id);
    const year = out.year;
    sendAsAttachment(
      res,
      XLSX,
      `next-year-${year}.xlsx`,
      downloadName([employer?.name ?? '', t('download.year', lang, { y: year }), t('download.nextYear', lang)], 'xlsx'),
    );
    await out.workbook.xlsx.write(res);
    res.end();
  });
  return r;
}

/** Bureau: certificates, reward decisions, arrears (officers, own county); social average wage and deadlines (administrator). */
export function procedureBureauRoutes(s: Services) {
  const r = Router();
  r.use(allow('bureau.use'));

  r.get(
    '/certificates/:id',
    certificatePage(s, (cert) => `/bureau/submissions/${cert.submission_id}`),
  );

  r.get('/rewards', allow('reward.decide'), async (req, res) => {
    const user = localsOf(req).user!;
    const county = countyScope(user, req.query.county, 'reward.decide');
    const year = dataYearOf(req.query.year);
    const rows = await s.procedure.claims({ county, year });
    res.send(render('bureau/rewards', { ...res.locals, rows, county, year, today: todayIso() }));
  });

  // approving publishes an amount: a page states it and asks again; only the accepted current version's
  // application gets that far (a superseded or not yet accepted one is refused with the reason)
  r.get('/rewards/:id/approve', allow('reward.decide'), async (req, res) => {
    const claim = scoped(localsOf(req).user, 'reward.decide', await s.procedure.claim(Number(req.params.id)));
    const blocker = await s.procedure.approvalBlocker(claim);
    if (blocker) throw blocker;
    res.send(render('bureau/reward-approve-confirm', { ...res.locals, claim }));
  });

  for (const decision of ['approve', 'refuse', 'paid'] as const) {
    r.post(`/rewards/:id/${decision}`, allow('reward.decide'), async (req, res) => {
      const claim = scoped(localsOf(req).user, 'reward.decide', await s.procedure.claim(Number(req.params.id)));
      if (decision === 'approve' && req.body?.confirm !== '1') {
        const blocker = await s.procedure.approvalBlocker(claim);
        if (blocker) throw blocker;
        // not confirmed: nothing is approved; the page states the amount and asks for the confirmation
        res.status(409).send(render('bureau/reward-approve-confirm', { ...res.locals, claim, needed: true }));
        return;
      }
      const confirmed = Number(req.body?.amountFen);
      await s.procedure.decideClaim(localsOf(req).user!, claim.id, decision, {
        reason: String(req.body?.reason ?? ''),
        paidOn: String(req.body?.paidOn ?? ''),
        // the amount the confirmation page stated: approving fails when the application no longer says it
        ...(decision === 'approve' ? { confirmedFen: Number.isSafeInteger(confirmed) ? confirmed : -1 } : {}),
      });
      res.redirect(303, `/bureau/rewards?year=${claim.year}`);
    });
  }

  r.get('/social-average-wage', allow('social-average-wage.enter'), async (req, res) => {
    const id = Number(req.query.run);
    const run = Number.isInteger(id) && id > 0 ? await s.procedure.recomputeRun(id) : undefined;
    res.send(render('bureau/social-average-wage', { ...res.locals, ...(await sawPage(s, run)) }));
  });

  r.post('/social-average-wage', allow('social-average-wage.enter'), async (req, res) => {
    const b = req.body ?? {};
    const out = await s.procedure.enterSocialAverageWage(
      localsOf(req).user!,
      Number(b.year),
      String(b.amount ?? ''),
      String(b.source ?? ''),
      localsOf(req).lang,
    );
    if (!out.ok) {
      res.status(422).send(
        render('bureau/social-average-wage', {
          ...res.locals,
          ...(await sawPage(s)),
          problems: out.problems,
          form: b,
        }),
      );
      return;
    }
    // a small year finishes while the page waits; a large one goes on in the background and its page shows progress
    const run = await s.procedure.settleRecompute(out.run.id, RECOMPUTE_WAIT_MS);
    if (run?.status === 'running') {
      res.redirect(303, `/bureau/social-average-wage?run=${run.id}`);
      return;
    }
    res.send(render('bureau/social-average-wage', { ...res.locals, ...(await sawPage(s, run)) }));
  });

  // a failed run's year run again over the results still provisional (docs/rules.md §6.1)
  r.post('/social-average-wage/runs/:id/again', allow('social-average-wage.enter'), async (req, res) => {
    const run = await s.procedure.recomputeAgain(localsOf(req).user!, Number(req.params.id));
    if (!run) throw notFound();
    res.redirect(303, `/bureau/social-average-wage?run=${run.id}`);
  });

  r.get('/deadlines', allow('deadlines.manage'), async (req, res) => {
    res.send(
      render('bureau/deadlines', {
        ...res.locals,
        rows: await s.procedure.allDeadlines(),
        year: dataYearOf(req.query.year),
        saved: req.query.saved === '1',
      }),
    );
  });

  r.post('/deadlines', allow('deadlines.manage'), async (req, res) => {
    const b = req.body ?? {};
    const year = Number(b.year);
    try {
      if (!Number.isInteger(year) || year < 2016 || year > 2100) throw new ProcedureError('bad-date');
      await s.procedure.setDeadlines(localsOf(req).user!, year, {
        verificationFrom: String(b.verificationFrom ?? ''),
        verificationTo: String(b.verificationTo ?? ''),
        collectionFrom: String(b.collectionFrom ?? ''),
        collectionTo: String(b.collectionTo ?? ''),
      });
    } catch (e) {
      if (!(e instanceof ProcedureError)) throw e;
      res.status(422).send(
        render('bureau/deadlines', {
          ...res.locals,
          rows: await s.procedure.allDeadlines(),
          year,
          form: b,
          error: PROCEDURE_ERROR_TEXT[e.code][localsOf(req).lang],
        }),
      );
      return;
    }
    res.redirect(303, '/bureau/deadlines?saved=1');
  });

  r.get('/arrears', allow('arrears.compute'), async (req, res) => {
    const user = localsOf(req).user!;
    const county = countyScope(user, req.query.county, 'arrears.compute');
    const employers = county
      ? await s.employers.inCounty(county)
      : (await Promise.all(COUNTIES.map((c) => s.employers.inCounty(c)))).flat();
    const q = req.query as Record<string, unknown>;
    const employerId = Number(q.employer);
    const chosen = employers.find((e) => e.id === employerId);
    const currentYear = dataYearOf(undefined);
    const years = Array.from({ length: 3 }, (_, i) => currentYear - 2 + i);
    const form = {
      paymentDate: typeof q.paymentDate === 'string' ? q.paymentDate : todayIso(),
      rows: [] as ArrearsInputYear[],
    };
    for (const y of years) {
      const deadlines = await s.procedure.deadlines(y);
      const str = (k: string) => (typeof q[`${k}${y}`] === 'string' ? String(q[`${k}${y}`]).trim() : '');
      form.rows.push({
        year: y,
        due: str('due') || deadlines?.collection_to || `${y + 1}-09-30`,
        paid: str('paid'),
        avgStaff: str('avgStaff'),
        wageTotal: str('wageTotal'),
      });
    }
    const include = years.filter((y) => q[`include${y}`] === '1');
    let out = null;
    let error = '';
    if (chosen && include.length) {
      try {
        out = await s.procedure.arrears(
          chosen.id,
          form.rows.filter((x) => include.includes(x.year)),
          form.paymentDate,
        );
      } catch (e) {
        if (!(e instanceof ProcedureError)) throw e;
        error = PROCEDURE_ERROR_TEXT[e.code][localsOf(req).lang];
      }
    }
    res
      .status(error ? 422 : 200)
      .send(render('bureau/arrears', { ...res.locals, employers, chosen, form, include, out, error }));
  });

  return r;
}

const todayIso = () => todayInChina();

/** A run's counts as the page writes numbers (3,750 of 10,000). */
const shown = (run: RecomputeRun) => ({ ...run, doneText: count(run.done), totalText: count(run.total) });

/** How long entering the wage waits for the recompute before showing its progress instead. */
const RECOMPUTE_WAIT_MS = 2000;

/** The form and the entered wages; with a run: its progress while it runs, what it changed once done. */
async function sawPage(s: Services, run?: RecomputeRun) {
  // without a run named, the one under way (if any) shows its progress
  run ??= (await s.procedure.recentRecomputes(1)).find((x) => x.status === 'running');
  const p = await s.params.current();
  const values = p
    .definition('social-average-wage')
    .values.map((v) => ({ year: v.from.slice(0, 4), value: v.value as number, source: v.source }))
    .sort((a, b) => b.year.localeCompare(a.year));
  return {
    values,
    defaultYear: dataYearOf(undefined),
    running: run?.status === 'running' ? shown(run) : undefined,
    failed: run?.status === 'failed' ? shown(run) : undefined,
    summary: run?.status === 'done' ? run.summary : undefined,
    /** a run an import started (§4.3, §4.4): its words say so, not the wage's */
    imported:
      run && run.reason !== 'social-average-wage' ? { reasonKey: `importRecompute.source.${run.reason}` } : null,
  };
}

/**
 * The recompute runs an import's confirmation started (named by `?run=` on the import page after the confirm),
 * as they stand: the page links each run's progress page.
 */
export async function importRuns(s: Services, q: unknown): Promise<RecomputeRun[]> {
  const ids = (Array.isArray(q) ? q : [q])
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
    .slice(0, 20);
  const runs: RecomputeRun[] = [];
  for (const id of ids) {
    const run = await s.procedure.recomputeRun(id);
    if (run && run.reason !== 'social-average-wage') runs.push(run);
  }
  return runs;
}

/** A result's recomputes, newest first, with why and every figure that moved: the review and submission pages. */
export function recomputesOf(rows: { version: number; diff_json: string; created_at: string; reason?: string }[]) {
  return rows
    .filter((v) => v.version > 1)
    .reverse()
    .map((v) => ({
      version: v.version,
      at: v.created_at,
      reasonKey: `importRecompute.reason.${v.reason ?? 'social-average-wage'}`,
      changes: (JSON.parse(v.diff_json) as { figure: string; before: number | string; after: number | string }[]).map(
        (d) => ({ ...d, key: DIFF_LABEL[d.figure] ?? d.figure, money: typeof d.before === 'number' }),
      ),
    }));
}
