/**
 * The officer's side of notices (issue #5.1–2): build a draft for the county and year from the accepted
 * submissions, preview it, rebuild or discard it, publish it; then see and answer objections. Officers act
 * on their own county only; the administrator on any.
 */
import { Router, type Request } from 'express';
import type { AmountColumn } from '../../reports/disclosure/build-notice';
import { noticeTablesHtml } from '../../reports/disclosure/notice-html';
import type { Services } from '../services';
import { allow, countyScope, reachOf, scoped } from '../middleware/authorise';
import { invalid, notFound } from '../services/errors';
import { localsOf } from '../middleware/types';
import { render } from '../render/engine';
import { COUNTIES } from '../rules/types';
import { countRows, NoticeError, NOTICE_DAYS, objectionsOpen, todayInChina } from '../services/notices';
import { dataYearOf, queryYear } from './query';

const AMOUNTS: AmountColumn[] = ['levy', 'reward', 'none'];
const AMOUNT_LABELS = [{ value: 'levy', zh: '应缴保障金', en: 'levy due' }, { value: 'reward', zh: '奖励金额', en: 'reward' }, { value: 'none', zh: '不列金额', en: 'no amount' }];
const amountOf = (v: unknown): AmountColumn => (AMOUNTS.includes(v as AmountColumn) ? (v as AmountColumn) : 'levy');

export function bureauNoticeRoutes(s: Services) {
  const r = Router();
  r.use(allow('notice.manage'));

  const scopedNotice = async (req: Request) => scoped(localsOf(req).user, 'notice.manage', await s.notices.byId(Number(req.params.id)));

  r.get('/', async (req, res) => {
    const user = localsOf(req).user!;
    const county = countyScope(user, req.query.county, 'notice.manage');
    const year = queryYear(req.query.year);
    const rows = await s.notices.list({ county, year });
    const open = await s.notices.countOpenObjections(rows.map((x) => x.id));
    res.send(render('bureau/notices', {
      ...res.locals, title: localsOf(req).lang === 'en' ? 'Notices' : '公示管理', rows: rows.map((x) => ({ ...x, openObjections: open.get(x.id) ?? 0 })),
      county, year, buildYear: dataYearOf(year), counties: reachOf(user, 'notice.manage') === 'all' ? COUNTIES : null, ownCounty: user.county,
    }));
  });

  r.post('/build', async (req, res) => {
    const user = localsOf(req).user!;
    const county = reachOf(user, 'notice.manage') === 'all' ? String(req.body?.county ?? '') : user.county!;
    if (!(COUNTIES as readonly string[]).includes(county)) throw invalid( 'county required', { zh: '请选择县（市、区）', en: 'Choose a county' });
    const year = Number(req.body?.year);
    if (!Number.isInteger(year) || year < 2016 || year > new Date().getFullYear()) throw invalid('bad year', { zh: '年度应为 2016 年至今的四位年份', en: 'The year must be a four-digit year from 2016 to now' });
    const id = await s.notices.buildDraft(user, county, year, amountOf(req.body?.amountColumn));
    res.redirect(303, `/bureau/notices/${id}`);
  });

  r.get('/:id', async (req, res) => {
    if (!/^\d{1,9}$/.test(String(req.params.id))) throw notFound();
    const n = await scopedNotice(req);
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
    const n = await scopedNotice(req);
    if (n.status !== 'draft') throw new NoticeError('not-draft');
    await s.notices.buildDraft(localsOf(req).user!, n.county, n.year, amountOf(req.body?.amountColumn));
    res.redirect(303, `/bureau/notices/${n.id}`);
  });

  r.post('/:id/discard', async (req, res) => {
    const n = await scopedNotice(req);
    await s.notices.discardDraft(localsOf(req).user!, n.id);
    res.redirect(303, '/bureau/notices');
  });

  r.post('/:id/publish', async (req, res) => {
    const n = await scopedNotice(req);
    const b = req.body ?? {};
    await s.notices.publish(localsOf(req).user!, n.id, {
      docNo: String(b.docNo ?? ''), publisher: String(b.publisher ?? ''), contact: String(b.contact ?? ''), periodStart: String(b.periodStart ?? ''), days: Number(b.days ?? NOTICE_DAYS.default), note: String(b.note ?? ''),
    });
    res.redirect(303, `/bureau/notices/${n.id}`);
  });

  r.post('/:id/objections/:oid/answer', async (req, res) => {
    const n = scoped(localsOf(req).user, 'objection.answer', await scopedNotice(req));
    const o = (await s.notices.objections(n.id)).find((x) => x.id === Number(req.params.oid));
    if (!o) throw notFound();
    await s.notices.answer(localsOf(req).user!, o.id, String(req.body?.answer ?? ''));
    res.redirect(303, `/bureau/notices/${n.id}#objections`);
  });

  return r;
}
