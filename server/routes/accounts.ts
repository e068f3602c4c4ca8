/**
 * Account pages. The administrator's /bureau/accounts: officers and administrators created (with a
 * one-time code shown once), edited, disabled and enabled, a password reset code issued, a second factor
 * removed. Everyone's /account: change password, enrol a second factor. Anonymous: /account/reset (a code
 * and a new password), /forgot-password (ask the county bureau), and the login's second step.
 */
import { Router, type Request, type Response, type NextFunction } from 'express';
import type { Services } from '../services';
import { allow } from '../middleware/authorise';
import { localsOf } from '../middleware/types';
import { render } from '../render/engine';
import { COUNTIES } from '../rules/types';
import { t, type Lang } from '../i18n/t';
import { MIN_PASSWORD_LENGTH } from '../services/admin-accounts';
import type { AccountError } from '../services/accounts';
import { homeFor, safeNext, startSession } from './public';

/** A pending second step lasts this long after the password was accepted. */
const PENDING_MS = 5 * 60_000;

const str = (v: unknown, max = 200) => (typeof v === 'string' ? v : '').slice(0, max);

function errorText(e: AccountError, lang: Lang, retryAfterSeconds?: number): string {
  if (e === 'limited') return t('loginLimited', lang, { s: retryAfterSeconds ?? 0 });
  return t(`account.error.${e}`, lang, { min: MIN_PASSWORD_LENGTH });
}

/** While a second factor must still be enrolled, every page but enrolment and logging out leads there. */
export function enrolFirst(req: Request, res: Response, next: NextFunction) {
  // the layout then offers no page to go to, only logging out
  res.locals.mustEnrol = !!(res.locals.user && req.session?.mustEnrol);
  if (res.locals.user && req.session?.mustEnrol && !/^\/(account\/second-factor|logout|static\/)/.test(req.path)) {
    if (req.method === 'GET') return res.redirect(303, '/account/second-factor');
    return res.status(403).send(
      render('public/error', {
        ...res.locals,
        status: 403,
        title: t('errorPage.title.403', localsOf(req).lang),
        text: t('account.mustEnrol', localsOf(req).lang),
      }),
    );
  }
  next();
}

export function accountRoutes(s: Services) {
  const r = Router();

  // ---- anonymous: the login's second step, a reset code, forgotten password ----

  const pendingOf = (req: Request) =>
    req.session?.pendingUserId && Date.now() - (req.session.pendingAt ?? 0) < PENDING_MS
      ? req.session.pendingUserId
      : undefined;

  r.get('/login/second-factor', (req, res) => {
    if (res.locals.user) return res.redirect(303, homeFor(res.locals.user.role));
    res.send(
      render('public/second-factor', {
        ...res.locals,
        title: t('account.secondStep.title', localsOf(req).lang),
        next: safeNext(req.query.next) ?? '',
        // no password step under way (or it lapsed): the page says to log in first
        expired: !pendingOf(req),
      }),
    );
  });

  r.post('/login/second-factor', async (req, res, next) => {
    const lang = localsOf(req).lang;
    const pending = pendingOf(req);
    if (!pending) return res.redirect(303, '/login');
    const nextPath = safeNext(req.body?.next) ?? '';
    const result = await s.accounts.secondStep(pending, str(req.body?.code, 40), req.ip ?? 'unknown');
    if (!result.ok) {
      if (result.retryAfterSeconds) res.setHeader('Retry-After', String(result.retryAfterSeconds));
      return res.status(result.error === 'limited' ? 429 : 401).send(
        render('public/second-factor', {
          ...res.locals,
          title: t('account.secondStep.title', lang),
          next: nextPath,
          error: errorText(result.error, lang, result.retryAfterSeconds),
        }),
      );
    }
    const user = result.user;
    req.session.regenerate((err) => {
      if (err) return next(err);
      startSession(req, user);
      req.session.save((e2) => (e2 ? next(e2) : res.redirect(303, nextPath || homeFor(user.role))));
    });
  });

  // ---- single sign-on (OIDC) ----

  r.get('/login/sso', async (req, res, next) => {
    if (!s.sso.enabled) return next();
    const { url, pending } = await s.sso.start();
    req.session.ssoPending = pending;
    req.session.save((err) => (err ? next(err) : res.redirect(303, url)));
  });

  r.get('/login/sso/callback', async (req, res, next) => {
    if (!s.sso.enabled) return next();
    const lang = localsOf(req).lang;
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const result = await s.sso.finish(query, req.session.ssoPending);
    delete req.session.ssoPending;
    if (!result.ok)
      return res
        .status(result.error === 'disabled' ? 403 : 401)
        .send(render('public/login', { ...res.locals, error: t(`account.sso.${result.error}`, lang), next: '' }));
    const user = result.user;
    req.session.regenerate((err) => {
      if (err) return next(err);
      startSession(req, user);
      res.locals.ssoEnabled = s.sso.enabled;
      req.session.save((e2) => (e2 ? next(e2) : res.redirect(303, homeFor(user.role))));
    });
  });

  const resetPage = (req: Request, extra: Record<string, unknown> = {}) =>
    render('public/account-reset', {
      ...req.res!.locals,
      title: t('account.reset.title', localsOf(req).lang),
      min: MIN_PASSWORD_LENGTH,
      ...extra,
    });

  r.get('/account/reset', (req, res) => {
    res.send(resetPage(req));
  });

  r.post('/account/reset', async (req, res) => {
    const lang = localsOf(req).lang;
    const result = await s.accounts.resetWithCode(
      str(req.body?.code, 40),
      str(req.body?.password),
      str(req.body?.confirm),
      req.ip ?? 'unknown',
    );
    if (!result.ok) {
      if (result.retryAfterSeconds) res.setHeader('Retry-After', String(result.retryAfterSeconds));
      return res
        .status(result.error === 'limited' ? 429 : 422)
        .send(resetPage(req, { error: errorText(result.error, lang, result.retryAfterSeconds) }));
    }
    res.send(resetPage(req, { done: true, username: result.user.username }));
  });

  r.get('/forgot-password', async (req, res) => {
    const counties = (await s.countySettings.all()).map((c) => ({
      county: c.county,
      body: c.issuer.issuingBody ?? '',
      person: c.issuer.contactPerson ?? '',
      telephone: c.issuer.telephone ?? '',
      address: c.issuer.address ?? '',
      hours: c.issuer.officeHours ?? '',
      known: !!(c.issuer.telephone || c.issuer.contactPerson),
    }));
    res.send(
      render('public/forgot-password', {
        ...res.locals,
        title: t('account.forgot.title', localsOf(req).lang),
        counties,
      }),
    );
  });

  // ---- every logged-in user: own password, own second factor ----

  const accountPage = async (req: Request, extra: Record<string, unknown> = {}) => {
    const user = localsOf(req).user!;
    const u = (await s.accounts.byId(user.id))!;
    return render('account/home', {
      ...req.res!.locals,
      title: t('account.title', localsOf(req).lang),
      min: MIN_PASSWORD_LENGTH,
      enrolled: !!u.totp_enrolled_at,
      enrolledAt: u.totp_enrolled_at,
      recoveryLeft: u.totp_enrolled_at ? await s.accounts.unusedRecoveryCodes(u.id) : 0,
      ...extra,
    });
  };

  r.get('/account', allow('account.self'), async (req, res) => {
    res.send(await accountPage(req, { changed: req.query.changed === '1' }));
  });

  r.post('/account/password', allow('account.self'), async (req, res, next) => {
    const lang = localsOf(req).lang;
    const user = localsOf(req).user!;
    const result = await s.accounts.changePassword(
      user,
      str(req.body?.current),
      str(req.body?.password),
      str(req.body?.confirm),
    );
    if (!result.ok)
      return res
        .status(result.error === 'limited' ? 429 : 422)
        .send(await accountPage(req, { error: errorText(result.error, lang, result.retryAfterSeconds) }));
    // every other session of the user has ended; this one goes on under the new generation
    req.session.generation = result.generation;
    req.session.save((err) => (err ? next(err) : res.redirect(303, '/account?changed=1')));
  });

  const enrolPage = async (req: Request, extra: Record<string, unknown> = {}) => {
    const user = localsOf(req).user!;
    // the secret being enrolled is kept in the session until its first code confirms it
    const e = await s.accounts.enrolment(user, req.session.totpPending);
    req.session.totpPending = e.secret;
    return render('account/second-factor', {
      ...req.res!.locals,
      title: t('account.enrol.title', localsOf(req).lang),
      svg: e.svg,
      // the key in groups of four, spaced by the stylesheet: read as one code, not as words
      secretGroups: e.grouped.split(' '),
      mustEnrol: !!req.session.mustEnrol,
      ...extra,
    });
  };

  r.get('/account/second-factor', allow('account.self'), async (req, res, next) => {
    const html = await enrolPage(req);
    req.session.save((err) => (err ? next(err) : res.send(html)));
  });

  r.post('/account/second-factor', allow('account.self'), async (req, res, next) => {
    const lang = localsOf(req).lang;
    const user = localsOf(req).user!;
    const secret = req.session.totpPending;
    const result = secret
      ? await s.accounts.enrol(user, secret, str(req.body?.code, 20))
      : { ok: false as const, error: 'code' as const, retryAfterSeconds: undefined };
    if (!result.ok)
      return res
        .status(result.error === 'limited' ? 429 : 422)
        .send(await enrolPage(req, { error: errorText(result.error, lang, result.retryAfterSeconds) }));
    delete req.session.totpPending;
    delete req.session.mustEnrol;
    req.session.save((err) =>
      err
        ? next(err)
        : res.send(
            render('account/recovery-codes', {
              ...res.locals,
              title: t('account.recovery.title', lang),
              codes: result.recoveryCodes,
              home: homeFor(user.role),
            }),
          ),
    );
  });

  // ---- the administrator's accounts ----

  const listPage = async (req: Request, extra: Record<string, unknown> = {}) =>
    render('bureau/accounts', {
      ...req.res!.locals,
      title: t('account.admin.title', localsOf(req).lang),
      users: (await s.accounts.list()).map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        role: u.role,
        county: u.county,
        disabled: !!u.disabled_at,
        enrolled: !!u.totp_enrolled_at,
      })),
      counties: COUNTIES,
      ...extra,
    });

  r.get('/bureau/accounts', allow('accounts.manage'), async (req, res) => {
    res.send(await listPage(req));
  });

  r.post('/bureau/accounts', allow('accounts.manage'), async (req, res) => {
    const lang = localsOf(req).lang;
    const form = {
      username: str(req.body?.username, 64),
      displayName: str(req.body?.displayName, 100),
      role: str(req.body?.role, 10),
      county: str(req.body?.county, 20),
    };
    const result = await s.accounts.createBureauUser(localsOf(req).user!, form);
    if (!result.ok) return res.status(422).send(await listPage(req, { error: errorText(result.error, lang), form }));
    res.send(
      render('bureau/account-code', {
        ...res.locals,
        title: t('account.code.title', lang),
        username: form.username,
        code: result.code,
        expiresAt: result.expiresAt,
        first: true,
      }),
    );
  });

  const idOf = (req: Request) => Number(req.params.id);
  const userOr404 = async (req: Request) => {
    return Number.isInteger(idOf(req)) ? s.accounts.bureauUser(idOf(req)) : undefined;
  };

  const editPage = async (req: Request, extra: Record<string, unknown> = {}) => {
    const u = await userOr404(req);
    if (!u) return undefined;
    return render('bureau/account-edit', {
      ...req.res!.locals,
      title: t('account.edit.title', localsOf(req).lang, { username: u.username }),
      u: {
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        role: u.role,
        county: u.county,
        disabled: !!u.disabled_at,
        enrolled: !!u.totp_enrolled_at,
        self: u.id === localsOf(req).user!.id,
      },
      counties: COUNTIES,
      ssoEnabled: s.sso.enabled,
      subjects: await s.sso.subjectsOf(u.id),
      ...extra,
    });
  };

  r.get('/bureau/accounts/:id', allow('accounts.manage'), async (req, res, next) => {
    const html = await editPage(req, { saved: req.query.saved === '1' });
    if (!html) return next();
    res.send(html);
  });

  r.post('/bureau/accounts/:id', allow('accounts.manage'), async (req, res, next) => {
    const result = await s.accounts.editBureauUser(localsOf(req).user!, idOf(req), {
      displayName: str(req.body?.displayName, 100),
      county: str(req.body?.county, 20),
    });
    if (!result.ok) {
      if (result.error === 'not-found') return next();
      return res.status(422).send(await editPage(req, { error: errorText(result.error, localsOf(req).lang) }));
    }
    res.redirect(303, `/bureau/accounts/${idOf(req)}?saved=1`);
  });

  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const)
    r.post(`/bureau/accounts/:id/${path}`, allow('accounts.manage'), async (req, res, next) => {
      const result = await s.accounts.setDisabled(localsOf(req).user!, idOf(req), disabled);
      if (!result.ok) return next();
      res.redirect(303, `/bureau/accounts/${idOf(req)}?saved=1`);
    });

  r.post('/bureau/accounts/:id/reset-password', allow('accounts.manage'), async (req, res, next) => {
    const u = await userOr404(req);
    if (!u) return next();
    const result = await s.accounts.issueResetCode(localsOf(req).user!, u.id);
    if (!result.ok) return next();
    res.send(
      render('bureau/account-code', {
        ...res.locals,
        title: t('account.code.title', localsOf(req).lang),
        username: u.username,
        code: result.code,
        expiresAt: result.expiresAt,
        first: false,
      }),
    );
  });

  r.post('/bureau/accounts/:id/sso', allow('accounts.manage'), async (req, res, next) => {
    const u = await userOr404(req);
    if (!u) return next();
    const ok = await s.sso.mapSubject(localsOf(req).user!, u.id, str(req.body?.subject), req.body?.remove === '1');
    if (!ok)
      return res.status(422).send(await editPage(req, { error: t('account.sso.noSubject', localsOf(req).lang) }));
    res.redirect(303, `/bureau/accounts/${u.id}?saved=1`);
  });

  r.post('/bureau/accounts/:id/reset-second-factor', allow('accounts.manage'), async (req, res, next) => {
    const u = await userOr404(req);
    if (!u) return next();
    await s.accounts.resetSecondFactor(localsOf(req).user!, u.id);
    res.redirect(303, `/bureau/accounts/${u.id}?saved=1`);
  });

  return r;
}
