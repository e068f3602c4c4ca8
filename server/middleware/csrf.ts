/**
 * CSRF: a synchronizer token per session, required on every state-changing request that relies on the
 * session cookie, whatever its content type. Forms carry `_csrf`; scripts send `x-csrf-token`. A multipart
 * body cannot be read before its route parses it, so a multipart request is verified here from the header,
 * or — only on the routes named as upload routes, which verify after parsing (`verifyCsrf`) — deferred; any
 * other route refuses it. Compared in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Pages that post a form for visitors who are not logged in: the login form and its second step, setting a
 * password with a reset code, and the objection form.
 */
const ANONYMOUS_FORMS = /^\/(login|login\/second-factor|account\/reset|activate|notices\/\d{1,9}\/objection)$/;

/**
 * Whether a request gets a token (and so a session row): a logged-in user always; a visitor only on a page
 * with a form. Anonymous readers of notices, the API, downloads and health checks never make the server
 * write a session row, so cookieless traffic cannot fill the sessions table.
 */
export const needsToken = (req: Request) =>
  !!req.session?.userId || (SAFE.has(req.method) && ANONYMOUS_FORMS.test(req.path));

export function csrfToken(req: Request, res: Response, next: NextFunction): void {
  if (req.session && !req.session.csrf && needsToken(req)) {
    req.session.csrf = randomBytes(24).toString('base64url');
    res.locals.csrf = req.session.csrf;
    // stored before the page is sent: a form whose token could not be stored (a full disk) would only end
    // in a 403 when posted, so a store failure here is answered with the storage page instead
    req.session.save((err) => next(err));
    return;
  }
  res.locals.csrf = req.session?.csrf ?? '';
  next();
}

function tokenOf(req: Request): string {
  const h = req.headers['x-csrf-token'];
  if (typeof h === 'string') return h;
  const b = (req.body as Record<string, unknown> | undefined)?._csrf;
  return typeof b === 'string' ? b : '';
}

export function verifyCsrf(req: Request, _res: Response, next: NextFunction): void {
  const expected = req.session?.csrf ?? '';
  const given = tokenOf(req);
  const ok =
    expected.length > 0 &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  next(ok ? undefined : new HttpError(403, 'invalid or missing CSRF token'));
}

export interface CsrfRoutes {
  /** Routes that use no session at all (the anonymous calculator). */
  stateless: (req: Request) => boolean;
  /** Upload routes: a multipart body there is verified by the route after parsing, with `verifyCsrf`. */
  verifiedAfterUpload: (req: Request) => boolean;
}

/** Global guard: every unsafe method, every content type. */
export function csrfGuard(routes: CsrfRoutes) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE.has(req.method) || routes.stateless(req)) return next();
    const multipart = /^multipart\//i.test(req.headers['content-type'] ?? '');
    if (multipart && typeof req.headers['x-csrf-token'] !== 'string' && routes.verifiedAfterUpload(req)) return next();
    verifyCsrf(req, res, next);
  };
}
