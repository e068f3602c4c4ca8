/** Public pages: home, log in / out, the template, health. Login is rate limited and rotates the session id. */
import { Router } from 'express';
import type { Services } from '../services';
import { sendAsAttachment, XLSX } from './attachment';
import { buildTemplate } from '../ingest/template';
import { render } from '../render/engine';
import { verifyLogin } from '../services/passwords';
import { t as tr } from '../i18n/t';
import { beijingToday, percent } from '../i18n/format';
import { quotaRatio } from '../rules/parameters/lookup';
import { localsOf } from '../middleware/types';
import { resultView } from '../../reports/employer/result-view';

const WINDOW_MS = 15 * 60_000;
const MAX_ATTEMPTS = 10;
/** Failed logins for one account from all addresses together, per window. */
const MAX_ACCOUNT_ATTEMPTS = 30;

export function homeFor(role: string | undefined): string {
  return role === 'employer' ? '/employer' : role === 'officer' || role === 'admin' ? '/bureau' : '/';
}

/** Only same-site paths are followed after login. */
function safeNext(v: unknown): string | null {
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
    res.send(render('public/login', { ...res.locals, next: safeNext(req.query.next) ?? '' }));
  });

  r.post('/login', async (req, res, next) => {
    const lang = localsOf(req).lang;
    const username = String(req.body?.username ?? '')
      .trim()
      .slice(0, 64);
    const password = String(req.body?.password ?? '');
    const ip = req.ip ?? 'unknown';
    // per address and name, and per account from any address (a guesser spreading over many addresses)
    const perAddress = await s.rateLimits.hit(`login:${ip}:${username.toLowerCase()}`, WINDOW_MS, MAX_ATTEMPTS);
    const perAccount = await s.rateLimits.hit(
      `login-account:${username.toLowerCase()}`,
      WINDOW_MS,
      MAX_ACCOUNT_ATTEMPTS,
    );
    const limit = perAddress.allowed ? perAccount : perAddress;
    const fail = (status: number, error: string) =>
      res
        .status(status)
        .send(render('public/login', { ...res.locals, error, username, next: safeNext(req.body?.next) ?? '' }));
    if (!limit.allowed) {
      res.setHeader('Retry-After', String(limit.retryAfterSeconds));
      return fail(429, tr('loginLimited', lang, { s: limit.retryAfterSeconds }));
    }
    const user = username ? await s.accounts.byUsername(username) : undefined;
    if (!(await verifyLogin(password, user)) || !user) return fail(401, tr('loginFailed', lang));
    await s.rateLimits.clear(`login:${ip}:${username.toLowerCase()}`);
    await s.rateLimits.clear(`login-account:${username.toLowerCase()}`);
    // a new session id at login (no session fixation)
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.userId = user.id;
      req.session.loggedInAt = Date.now(); // the absolute lifetime counts from here (middleware/auth.ts)
      req.session.save((e2) => {
        if (e2) return next(e2);
        s.audit
          .append({ actor: user.username, action: 'auth.login', target: `user:${user.id}` })
          .then(() => res.redirect(303, safeNext(req.body?.next) ?? homeFor(user.role)), next);
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
