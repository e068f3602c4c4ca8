/**
 * Published notices for everyone, no login: the index by county and year, each notice as a
 * page that prints on A4, as .xlsx, .csv and .json, an Atom feed, and the objection form during the
 * 公示期. Drafts never appear here: every query asks for status 'published'.
 */
import { Router, type Request, type Response } from 'express';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { atomFeed } from '../../reports/disclosure/atom';
import { noticeCsv, noticeJson, writeNoticeXlsx, type NoticeMeta } from '../../reports/disclosure/notice-files';
import { noticeDocumentHtml } from '../../reports/disclosure/notice-html';
import { noticeEntries } from '../../reports/disclosure/build-notice';
import type { Notice, Services } from '../services';
import { sendAsAttachment, XLSX } from './attachment';
import { queryYear } from './query';
import { DomainError, notFound } from '../services/errors';
import { localsOf } from '../middleware/types';
import { render } from '../render/engine';
import { COUNTIES } from '../rules/types';
import { NoticeError, objectionsOpen, todayInChina } from '../services/notices';
import { said } from '../i18n/t';

interface CachedPage {
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

function sendPage(req: Request, res: Response, e: CachedPage & { expires: number }) {
  res.setHeader('ETag', e.etag);
  // a browser or proxy keeps it no longer than this instance still would: a superseded notice is never
  // shown for longer than NOTICE_CACHE_SECONDS after the correction, whichever instance served it
  res.setHeader('Cache-Control', `public, max-age=${Math.max(0, Math.floor((e.expires - Date.now()) / 1000))}`);
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === e.etag) return void res.status(304).end();
  res.type('html');
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.setHeader('Content-Encoding', 'gzip');
    return void res.send(e.gzip);
  }
  res.send(e.body);
}

/** Objections accepted per address and hour: enough for real objectors, too few to flood the bureau. */
const OBJECTION_LIMIT = { windowMs: 3600_000, max: 20 };

const FILE = /^(\d{1,9})(?:\.(xlsx|csv|json))?$/;

export function metaOf(n: Notice): NoticeMeta {
  return {
    id: n.id,
    title: n.title,
    county: n.county,
    year: n.year,
    version: n.version,
    docNo: n.doc_no,
    publisher: n.publisher,
    periodStart: n.period_start,
    periodEnd: n.period_end,
    objectionContact: n.objection_contact,
    contactPerson: n.contact_person,
    telephone: n.telephone,
    address: n.address,
    officeHours: n.office_hours,
    publishedAt: n.published_at,
    replacesId: n.replaces_id,
    changeNote: n.change_note,
  };
}

/**
 * Whole pages for anonymous readers, kept for `ttlMs` (NOTICE_CACHE_SECONDS): the page also shows whether
 * the notice was replaced and whether objections are open, which change with time and other instances'
 * publications, so a page is at most that old. Logged-in readers get a fresh page (it carries their name).
 */
class PageCache {
  private readonly m = new Map<string, CachedPage & { expires: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max = 64,
  ) {}
  get(key: string) {
    const e = this.m.get(key);
    if (e && e.expires > Date.now()) return e;
    if (e) this.m.delete(key);
    return undefined;
  }
  set(key: string, html: string) {
    if (this.ttlMs <= 0) return undefined;
    if (this.m.size >= this.max) this.m.delete(this.m.keys().next().value!);
    const body = Buffer.from(html);
    // compressed once when cached: a county's notice page is mostly repeated markup (≈ 10 : 1)
    const e = {
      body,
      gzip: gzipSync(body),
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
      expires: Date.now() + this.ttlMs,
    };
    this.m.set(key, e);
    return e;
  }
}

export function noticePublicRoutes(s: Services) {
  const r = Router();
  const pages = new PageCache(s.config.noticeCacheSeconds * 1000);

  const published = async (id: number) => {
    const n = await s.notices.byId(id);
    if (!n || n.status !== 'published') throw notFound();
    return n;
  };

  r.get('/notices', async (req, res) => {
    const county = (COUNTIES as readonly string[]).includes(String(req.query.county))
      ? String(req.query.county)
      : undefined;
    const year = queryYear(req.query.year);
    const rows = await s.notices.list({ county, year, status: 'published' });
    const replaced = new Set(rows.map((x) => x.replaces_id).filter((x): x is number => x !== null));
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.send(
      render('public/notices', {
        ...res.locals,
        title: localsOf(req).lang === 'en' ? 'Published notices' : '公示公告',
        rows: rows.map((x) => ({ ...x, replaced: replaced.has(x.id) })),
        counties: COUNTIES,
        county,
        year,
      }),
    );
  });

  r.get('/notices/feed.atom', async (req, res) => {
    const rows = (await s.notices.list({ status: 'published' }))
      .sort((a, b) => (b.published_at ?? '').localeCompare(a.published_at ?? ''))
      .slice(0, 100);
    // never from the request's Host header, which any client can set: PUBLIC_URL (required in production)
    const base = s.config.publicUrl || `http://localhost:${s.config.port}`;
    res.type('application/atom+xml; charset=utf-8');
    res.send(
      atomFeed(
        base,
        rows.map((x) => ({
          id: x.id,
          title: x.title,
          county: x.county,
          year: x.year,
          version: x.version ?? 1,
          publishedAt: x.published_at!,
          periodStart: x.period_start!,
          periodEnd: x.period_end!,
          replacesId: x.replaces_id,
        })),
      ),
    );
  });

  r.get('/notices/:file', async (req, res) => {
    const m = FILE.exec(String(req.params.file));
    if (!m) throw notFound();
    const lang = localsOf(req).lang;
    const anonymous = !localsOf(req).user;
    const cacheKey = `${m[1]}:${lang}`;
    const hit = !m[2] && anonymous ? pages.get(cacheKey) : undefined;
    if (hit) return sendPage(req, res, hit);
    const n = await published(Number(m[1]));
    res.setHeader('Cache-Control', 'public, max-age=300');
    const base = `notice-${n.county}-${n.year}-v${n.version}`;
    if (m[2] === 'xlsx') {
      sendAsAttachment(res, XLSX, `notice-${n.id}.xlsx`, `${base}.xlsx`);
      await writeNoticeXlsx(res, await s.notices.document(n, lang));
      res.end();
      return;
    }
    if (m[2] === 'csv') {
      sendAsAttachment(res, 'text/csv; charset=utf-8', `notice-${n.id}.csv`, `${base}.csv`);
      res.send(noticeCsv(n.body, lang));
      return;
    }
    const replacement = await s.notices.replacementOf(n.id);
    if (m[2] === 'json') {
      // it names the correction that replaced it: kept by a browser or proxy no longer than the page
      res.setHeader('Cache-Control', `public, max-age=${Math.max(0, s.config.noticeCacheSeconds)}`);
      res.json(noticeJson(metaOf(n), n.body, replacement?.id ?? null));
      return;
    }
    const today = todayInChina();
    const doc = await s.notices.document(n, lang);
    const html = render('public/notice', {
      ...res.locals,
      title: doc.title,
      notice: n,
      document: noticeDocumentHtml(doc),
      replacement,
      replaces: n.replaces_id,
      open: objectionsOpen(n, today, !!replacement),
      closed: !!n.period_end && today > n.period_end,
    });
    const entry = anonymous ? pages.set(cacheKey, html) : undefined;
    if (entry) return sendPage(req, res, entry);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(html);
  });

  const objectionPage = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) => {
    const n = await published(Number(req.params.id));
    const open = objectionsOpen(n, todayInChina(), !!(await s.notices.replacementOf(n.id)));
    const entries = noticeEntries(n.body).map((x) => ({ uscc: x.uscc, name: x.name }));
    res
      .status(status)
      .send(render('public/objection', { ...res.locals, title: n.title, notice: n, open, entries, ...extra }));
  };

  r.get('/notices/:id/objection', async (req, res) => {
    if (!/^\d{1,9}$/.test(String(req.params.id))) throw notFound();
    await objectionPage(req, res);
  });

  r.post('/notices/:id/objection', async (req, res) => {
    if (!/^\d{1,9}$/.test(String(req.params.id))) throw notFound();
    const lang = localsOf(req).lang;
    const limit = await s.rateLimits.hit(
      `objection:${req.ip ?? 'unknown'}`,
      OBJECTION_LIMIT.windowMs,
      OBJECTION_LIMIT.max,
    );
    if (!limit.allowed) throw new DomainError('too-many', 'too many objections', said('error.objection.too-many'));
    const b = req.body ?? {};
    const form = {
      name: String(b.name ?? ''),
      contact: String(b.contact ?? ''),
      uscc: String(b.uscc ?? ''),
      reason: String(b.reason ?? ''),
    };
    let reference: string;
    try {
      reference = (await s.notices.lodgeObjection(Number(req.params.id), form)).reference;
    } catch (e) {
      if (e instanceof NoticeError)
        return objectionPage(req, res, e.status, {
          error: e.userText![lang],
          errorField: e.code === 'bad-contact' ? 'contact' : e.code === 'not-an-entry' ? 'uscc' : null,
          form,
        });
      throw e;
    }
    await objectionPage(req, res, 201, { done: true, reference });
  });

  return r;
}
