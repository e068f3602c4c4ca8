/**
 * The officer's side of notices (issue #5.1–2): build a draft for the county and year from the accepted
 * submissions, preview it, rebuild or discard it, publish it; then see and answer objections. Officers act
 * on their own county only; the administrator on any.
 */
import { Router, type Request } from 'express';
import type { AmountColumn } from '../../reports/disclosure/build-notice';
import { noticeTablesHtml } from '../../reports/disclosure/notice-html';
import type { Services } from '../services';
import { requireRole } from '../middleware/auth';
import { HttpError } from '../middleware/errors';
import { localsOf } from '../middleware/types';
import { render } from '../render/engine';
import { COUNTIES } from '../rules/types';
import { countRows, NOTICE_ERROR_TEXT, NoticeError, NOTICE_DAYS, objectionsOpen, todayInChina } from '../services/notices';
import { scopeCounty } from './bureau';
import { dataYearOf, queryYear } from './query';

const AMOUNTS: AmountColumn[] = ['levy', 'reward', 'none'];
const AMOUNT_LABELS = [{ value: 'levy', zh: '应缴保障金', en: 'levy due' }, { value: 'reward', zh: '奖励金额', en: 'reward' }, { value: 'none', zh: '不列金额', en: 'no amount' }];
const amountOf = (v: unknown): AmountColumn => (AMOUNTS.includes(v as AmountColumn) ? (v as AmountColumn) : 'levy');

export function bureauNoticeRoutes(s: Services) {
  const r = Router();
  r.use(requireRole('officer', 'admin'));

  const fail = (e: unknown): never => {
    if (e instanceof NoticeError) throw new HttpError(e.code === 'not-draft' ? 409 : 422, e.message, NOTICE_ERROR_TEXT[e.code]);
    throw e;
  };

  const scoped = async (req: Request) => {
    const user = localsOf(req).user!;
    const n = await s.notices.byId(Number(req.params.id));
    if (!n || (user.role === 'officer' && n.county !== user.county)) throw new HttpError(404, 'not found');
    return n;
  };

  r.get('/', async (req, res) => {
    const user = localsOf(req).user!;
    const county = scopeCounty(user, req.query.county);
    const year = queryYear(req.query.year);
    const rows = await s.notices.list({ county, year });
    const open = await s.notices.countOpenObjections(rows.map((x) => x.id));
    res.send(render('bureau/notices', {
      ...res.locals, title: localsOf(req).lang === 'en' ? 'Notices' : '公示管理', rows: rows.map((x) => ({ ...x, openObjections: open.get(x.id) ?? 0 })),
      county, year, buildYear: dataYearOf(year), counties: user.role === 'admin' ? COUNTIES : null, ownCounty: user.county,
    }));
  });

  r.post('/build', async (req, res) => {
    const user = localsOf(req).user!;
    const county = user.role === 'officer' ? user.county! : String(req.body?.county ?? '');
    if (!(COUNTIES as readonly string[]).includes(county)) throw new HttpError(422, 'county required', { zh: '请选择县（市、区）', en: 'Choose a county' });
    const year = Number(req.body?.year);
    if (!Number.isInteger(year) || year < 2016 || year > new Date().getFullYear()) throw new HttpError(422, 'bad year', { zh: '年度应为 2016 年至今的四位年份', en: 'The year must be a four-digit year from 2016 to now' });
    const id = await s.notices.buildDraft(user, county, year, amountOf(req.body?.amountColumn));
    res.redirect(303, `/bureau/notices/${id}`);
  });

  r.get('/:id', async (req, res) => {
    if (!/^\d{1,9}$/.test(String(req.params.id))) throw new HttpError(404, 'not found');
    const n = await scoped(req);
    const lang = localsOf(req).lang;
    const replacement = n.status === 'published' ? await s.notices.replacementOf(n.id) : undefined;
    const replaces = n.replaces_id ? await s.notices.byId(n.replaces_id) : undefined;
    const today = todayInChina();
    res.send(render('bureau/notice', {
      ...res.locals, title: n.title, notice: n, draft: n.status === 'draft', tables: noticeTablesHtml(n.title, n.body, lang), entries: countRows(n.body),
      objections: await s.notices.objections(n.id), replacement, replaces: replaces && { id: replaces.id, version: replaces.version },
      today, docYear: today.slice(0, 4), open: objectionsOpen(n, today, !!replacement), amounts: AMOUNT_LABELS, days: NOTICE_DAYS,
      defaultPublisher: `${n.county}残疾人就业服务机构`,
    }));
  });

  r.post('/:id/rebuild', async (req, res) => {
    const n = await scoped(req);
    if (n.status !== 'draft') fail(new NoticeError('not-draft'));
    await s.notices.buildDraft(localsOf(req).user!, n.county, n.year, amountOf(req.body?.amountColumn));
    res.redirect(303, `/bureau/notices/${n.id}`);
  });

  r.post('/:id/discard', async (req, res) => {
    const n = await scoped(req);
    await s.notices.discardDraft(localsOf(req).user!, n.id).catch(fail);
    res.redirect(303, '/bureau/notices');
  });

  r.post('/:id/publish', async (req, res) => {
    const n = await scoped(req);
    const b = req.body ?? {};
    await s.notices.publish(localsOf(req).user!, n.id, {
      docNo: String(b.docNo ?? ''), publisher: String(b.publisher ?? ''), contact: String(b.contact ?? ''), periodStart: String(b.periodStart ?? ''), days: Number(b.days ?? NOTICE_DAYS.default), note: String(b.note ?? ''),
    }).catch(fail);
    res.redirect(303, `/bureau/notices/${n.id}`);
  });

  r.post('/:id/objections/:oid/answer', async (req, res) => {
    const n = await scoped(req);
    const o = (await s.notices.objections(n.id)).find((x) => x.id === Number(req.params.oid));
    if (!o) throw new HttpError(404, 'not found');
    await s.notices.answer(localsOf(req).user!, o.id, String(req.body?.answer ?? '')).catch(fail);
    res.redirect(303, `/bureau/notices/${n.id}#objections`);
  });

  return r;
}
