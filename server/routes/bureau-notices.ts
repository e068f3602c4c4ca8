/**
 * The officer's side of notices: a checklist, then build a draft for the county and
 * year from the accepted submissions; the preview is the public document itself; set the document number and
 * the 公示期; publish after a confirmation; "发布更正" on a published notice; handle objections step by step
 * (受理 → 核实 → 答复). Officers act on their own county only; the administrator on any.
 */
import { Router, type Request, type Response } from 'express';
import { dayCount } from '../../reports/disclosure/notice-document';
import { noticeDocumentHtml } from '../../reports/disclosure/notice-html';
import type { Services } from '../services';
import { said, t } from '../i18n/t';
import { allow, countyScope, reachOf, scoped } from '../middleware/authorise';
import { invalid, notFound } from '../services/errors';
import { localsOf } from '../middleware/types';
import { render } from '../render/engine';
import { COUNTIES } from '../rules/types';
import {
  countRows,
  NOTICE_DAYS,
  NOTICE_ERROR_TEXT,
  NoticeError,
  objectionReference,
  objectionsOpen,
  OUTCOMES,
  todayInChina,
} from '../services/notices';
import { dataYearOf, queryYear } from './query';

export function bureauNoticeRoutes(s: Services) {
  const r = Router();
  r.use(allow('notice.manage'));

  const scopedNotice = async (req: Request) => {
    if (!/^\d{1,9}$/.test(String(req.params.id))) throw notFound();
    return scoped(localsOf(req).user, 'notice.manage', await s.notices.byId(Number(req.params.id)));
  };

  const validYear = (v: unknown) => {
    const year = Number(v);
    if (!Number.isInteger(year) || year < 2016 || year > new Date().getFullYear())
      throw invalid('bad year', said('error.year.range'));
    return year;
  };

  r.get('/', async (req, res) => {
    const user = localsOf(req).user!;
    const county = countyScope(user, req.query.county, 'notice.manage');
    const year = queryYear(req.query.year);
    const rows = await s.notices.list({ county, year });
    const open = await s.notices.countOpenObjections(rows.map((x) => x.id));
    const buildYear = dataYearOf(year);
    res.send(
      render('bureau/notices', {
        ...res.locals,
        title: t('bureau.notices.disclosureNotices', localsOf(req).lang),
        rows: rows.map((x) => ({ ...x, openObjections: open.get(x.id) ?? 0 })),
        county,
        year,
        buildYear,
        checklist: county ? await s.notices.checklist(county, buildYear) : null,
        counties: reachOf(user, 'notice.manage') === 'all' ? COUNTIES : null,
        ownCounty: user.county,
      }),
    );
  });

  r.post('/build', async (req, res) => {
    const user = localsOf(req).user!;
    const county = reachOf(user, 'notice.manage') === 'all' ? String(req.body?.county ?? '') : user.county!;
    if (!(COUNTIES as readonly string[]).includes(county))
      throw invalid('county required', said('error.county.choose'));
    const year = validYear(req.body?.year);
    const checklist = await s.notices.checklist(county, year);
    // not everyone is in yet: say so and ask before building
    if ((checklist.pending || checklist.missing || checklist.returned) && req.body?.confirm !== '1') {
      res.send(
        render('bureau/notice-build-confirm', {
          ...res.locals,
          title: t('bureau.notice.buildConfirmTitle', localsOf(req).lang),
          county,
          year,
          checklist,
        }),
      );
      return;
    }
    const id = await s.notices.buildDraft(user, county, year);
    res.redirect(303, `/bureau/notices/${id}`);
  });

  const STEP = {
    open: 'objection.step.open',
    accepted: 'objection.step.accepted',
    verified: 'objection.step.verified',
    answered: 'objection.step.answered',
  } as const;

  const noticePage = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) => {
    const n = await scopedNotice(req);
    const lang = localsOf(req).lang;
    const replacement = n.status === 'published' ? await s.notices.replacementOf(n.id) : undefined;
    const today = todayInChina();
    const doc = await s.notices.document(n, lang);
    const blockers = n.status === 'draft' ? (await s.notices.blockers(n)).map((c) => NOTICE_ERROR_TEXT[c][lang]) : [];
    // a correction is a new document: its number is the officer's to enter, the corrected one's shown beside it
    const corrected = n.status === 'draft' && n.replaces_id ? await s.notices.byId(n.replaces_id) : undefined;
    const objections = (await s.notices.objections(n.id)).map((o) => ({
      ...o,
      reference: objectionReference(o.id, o.created_at),
      step: t(STEP[o.status], lang),
      outcomeText: o.outcome ? t(`objection.outcome.${o.outcome}`, lang) : '',
      isOpen: o.status === 'open',
      isAccepted: o.status === 'accepted',
      isVerified: o.status === 'verified',
    }));
    res.status(status).send(
      render('bureau/notice', {
        ...res.locals,
        title: doc.title,
        notice: n,
        draft: n.status === 'draft',
        document: noticeDocumentHtml(doc),
        entries: countRows(n.body),
        blockers,
        missingIssuer: doc.missing,
        objections,
        replacement,
        today,
        docYear: today.slice(0, 4),
        open: objectionsOpen(n, today, !!replacement),
        days: NOTICE_DAYS,
        periodDays: n.period_start && n.period_end ? dayCount(n.period_start, n.period_end) : NOTICE_DAYS.default,
        isCorrection: !!n.replaces_id,
        correctedDocNo: corrected?.doc_no ?? null,
        outcomes: OUTCOMES.map((o) => ({ value: o, label: t(`objection.outcome.${o}`, lang) })),
        isAdmin: reachOf(localsOf(req).user, 'settings.manage') === 'all',
        ...extra,
      }),
    );
  };

  r.get('/:id', async (req, res) => {
    await noticePage(req, res);
  });

  r.post('/:id/details', async (req, res) => {
    const n = await scopedNotice(req);
    const b = req.body ?? {};
    try {
      await s.notices.setDetails(localsOf(req).user!, n.id, {
        docNo: String(b.docNo ?? ''),
        periodStart: String(b.periodStart ?? ''),
        days: Number(b.days),
        note: String(b.note ?? ''),
      });
    } catch (e) {
      if (e instanceof NoticeError && e.code !== 'not-draft')
        return noticePage(req, res, 422, { detailsError: NOTICE_ERROR_TEXT[e.code][localsOf(req).lang] });
      throw e;
    }
    res.redirect(303, `/bureau/notices/${n.id}#publish`);
  });

  r.post('/:id/rebuild', async (req, res) => {
    const n = await scopedNotice(req);
    if (n.status !== 'draft') throw new NoticeError('not-draft');
    await s.notices.buildDraft(localsOf(req).user!, n.county, n.year);
    res.redirect(303, `/bureau/notices/${n.id}`);
  });

  r.post('/:id/discard', async (req, res) => {
    const n = await scopedNotice(req);
    await s.notices.discardDraft(localsOf(req).user!, n.id);
    res.redirect(303, '/bureau/notices');
  });

  // 发布: irreversible, so the first post shows what will happen and asks again (UX.md §4)
  r.post('/:id/publish', async (req, res) => {
    const n = await scopedNotice(req);
    if (n.status !== 'draft') throw new NoticeError('not-draft');
    const blockers = await s.notices.blockers(n);
    if (blockers.length) throw new NoticeError(blockers[0]);
    if (req.body?.confirm !== '1') {
      const lang = localsOf(req).lang;
      res.send(
        render('bureau/notice-publish-confirm', {
          ...res.locals,
          title: t('bureau.notice.publishConfirmTitle', lang),
          notice: n,
          entries: countRows(n.body),
          periodDays: dayCount(n.period_start!, n.period_end!),
          isCorrection: !!n.replaces_id,
        }),
      );
      return;
    }
    await s.notices.publish(localsOf(req).user!, n.id);
    res.redirect(303, `/bureau/notices/${n.id}`);
  });

  r.post('/:id/correct', async (req, res) => {
    const n = await scopedNotice(req);
    const id = await s.notices.startCorrection(localsOf(req).user!, n.id);
    res.redirect(303, `/bureau/notices/${id}`);
  });

  r.post('/:id/objections/:oid/:step', async (req, res) => {
    const n = scoped(localsOf(req).user, 'objection.answer', await scopedNotice(req));
    const step = String(req.params.step);
    if (step !== 'accept' && step !== 'verify' && step !== 'answer') throw notFound();
    const o = (await s.notices.objections(n.id)).find((x) => x.id === Number(req.params.oid));
    if (!o) throw notFound();
    const b = req.body ?? {};
    await s.notices.handleObjection(localsOf(req).user!, o.id, step, {
      findings: String(b.findings ?? ''),
      answer: String(b.answer ?? ''),
      outcome: String(b.outcome ?? ''),
    });
    res.redirect(303, `/bureau/notices/${n.id}#objection-${o.id}`);
  });

  return r;
}
