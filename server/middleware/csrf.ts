/**
 * CSRF: a synchronizer token per session, required on every state-changing request that relies on the
 * session cookie. Forms carry `_csrf`; scripts send `x-csrf-token`. Multipart forms are checked after
 * the upload middleware has parsed them (`verifyCsrf`). Compared in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Reading a published notice needs no session: those GETs get no token, so an anonymous reader never makes
 * the server write a session row (the notice pages stay cacheable and fast under load). The objection form
 * page is the exception: it posts, so it gets a token.
 */
export const sessionFree = (req: Request) => SAFE.has(req.method) && /^\/notices(\/|$)/.test(req.path) && !/\/objection$/.test(req.path);

export function csrfToken(req: Request, res: Response, next: NextFunction): void {
  if (req.session && !req.session.csrf && !sessionFree(req)) req.session.csrf = randomBytes(24).toString('base64url');
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
  const ok = expected.length > 0 && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  next(ok ? undefined : new HttpError(403, 'invalid or missing CSRF token'));
}

/** Global guard: every unsafe method except multipart bodies (checked per route after parsing) and the stateless API. */
export function csrfGuard(exempt: (req: Request) => boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE.has(req.method) || exempt(req) || (req.headers['content-type'] ?? '').startsWith('multipart/form-data')) return next();
    verifyCsrf(req, res, next);
  };
}
