/** Public pages: home, log in / out, the template, health. Login is rate limited and rotates the session id. */
import { Router, type Request } from 'express';
import type { Services } from '../services';
import { sendAsAttachment, XLSX } from './attachment';
import { buildTemplate } from '../ingest/template';
import { render } from '../render/engine';
import { t as tr } from '../i18n/t';
import { beijingToday, percent } from '../i18n/format';
import { quotaRatio } from '../rules/parameters/lookup';
import { localsOf } from '../middleware/types';
import { resultView } from '../../reports/employer/result-view';

/** A logged-in session: who, since when, and the account's session generation (middleware/auth.ts). */
export function startSession(
  req: Request,
  user: { id: number; session_generation?: number | null },
  mustEnrol = false,
): void {
  delete req.session.pendingUserId;
  delete req.session.pendingAt;
  req.session.userId = user.id;
  req.session.loggedInAt = Date.now(); // the absolute lifetime counts from here (middleware/auth.ts)
  req.session.generation = Number(user.session_generation ?? 0);
  if (mustEnrol) req.session.mustEnrol = true;
  else delete req.session.mustEnrol;
}

export function homeFor(role: string | undefined): string {
  return role === 'employer' ? '/employer' : role === 'officer' || role === 'admin' ? '/bureau' : '/';
}

/** Only same-site paths are followed after login. */
export function safeNext(v: unknown): string | null {
  return typeof v === 'string' && /^\/(?!\/)[\w\-/?=&%.]*$/.test(v) ? v : null;
}

export function publicRoutes(s: Services) {
  const r = Router();

  r.get('/', async (req, res) => {
    // the quota the intro names is the one in force today, from the parameter table
    const ratio = quotaRatio(await s.params.current(), beijingToday()).value.toNumber();
    res.send(
      render('public/home', { ...res.locals, title: tr('appName', localsOf(req).lang), quotaRatio: percent(ratio, 1) }),
    );
  });

  r.get('/template.xlsx', async (_req, res) => {
    const wb = await buildTemplate({});
    sendAsAttachment(res, XLSX, 'quotadesk-template.xlsx', '残疾人按比例就业报送模板.xlsx');
    await wb.xlsx.write(res);
    res.end();
  });

  /** Anyone holding a receipt's code sees the same headline figures (no personal data). */
  r.get('/receipts/:code', async (req, res) => {
    const sub = await s.submissions.byReceiptCode(String(req.params.code));
    if (!sub) {
      res.status(404).send(
        render('public/receipt-verify', {
          ...res.locals,
          title: tr('receipt.verifyTitle', localsOf(req).lang),
          found: false,
        }),
      );
      return;
    }
    const c = await s.checks.byId(sub.check_id);
    const view = resultView(c!, localsOf(req).lang);
    res.send(
      render('public/receipt-verify', {
        ...res.locals,
        title: tr('receipt.verifyTitle', localsOf(req).lang),
        found: true,
        sub,
        view,
        receipt: s.submissions.receipt(sub),
      }),
    );
  });

  r.get('/login', (req, res) => {
    if (res.locals.user) return res.redirect(303, homeFor(res.locals.user.role));
    // a login that ended at a request (the account disabled, the password changed elsewhere) is explained once
    const ended = req.session?.ended;
    if (ended) delete req.session.ended;
    res.send(
      render('public/login', {
        ...res.locals,
        next: safeNext(req.query.next) ?? '',
        notice: ended ? tr(`account.ended.${ended}`, localsOf(req).lang) : '',
      }),
    );
  });

  r.post('/login', async (req, res, next) => {
    const lang = localsOf(req).lang;
    const username = String(req.body?.username ?? '')
      .trim()
      .slice(0, 64);
    const password = String(req.body?.password ?? '');
    const nextPath = safeNext(req.body?.next) ?? '';
    const fail = (status: number, error: string) =>
      res.status(status).send(render('public/login', { ...res.locals, error, username, next: nextPath }));
    const result = await s.accounts.login(username, password, req.ip ?? 'unknown');
    if (result.kind === 'limited') {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      return fail(429, tr('loginLimited', lang, { s: result.retryAfterSeconds }));
    }
    if (result.kind === 'failed') return fail(401, tr('loginFailed', lang));
    if (result.kind === 'disabled') return fail(403, tr('account.disabledLogin', lang));
    // a new session id at login (no session fixation)
    req.session.regenerate((err) => {
      if (err) return next(err);
      if (result.kind === 'second-factor') {
        // the password was right: the second step comes next, in this new session, for a few minutes
        req.session.pendingUserId = result.user.id;
        req.session.pendingAt = Date.now();
        req.session.save((e2) =>
          e2
            ? next(e2)
            : res.redirect(303, `/login/second-factor${nextPath ? `?next=${encodeURIComponent(nextPath)}` : ''}`),
        );
        return;
      }
      startSession(req, result.user, result.mustEnrol);
      req.session.save((e2) => {
        if (e2) return next(e2);
        res.redirect(303, result.mustEnrol ? '/account/second-factor' : nextPath || homeFor(result.user.role));
      });
    });
  });

  r.post('/logout', (req, res, next) => {
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie('qd.sid');
      res.redirect(303, '/');
    });
  });

  return r;
}
