/** One error handler: a generic page or JSON, the right status, no stack trace to the user. */
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { render } from '../render/engine';
import { t as tr } from '../i18n/t';
import { STORAGE_TEXT, storageFault } from '../storage';
import { errorSummary, routeOf } from './log';
import { DomainError, kindOf, type UserText } from '../services/errors';

/** A DomainError named by its HTTP status, for transport-level refusals (no file, bad CSRF token, …). */
export class HttpError extends DomainError {
  constructor(status: number, message: string, userText?: UserText) {
    super(kindOf(status), message, userText);
  }
}

/**
 * The 4xx of express's own parts (a missing static file, a body the parser refuses, a malformed URL): they
 * carry their status and `expose`; the request was wrong, not the server, so it is not a 500.
 */
function clientError(err: unknown): number | null {
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown } | null;
  const status = Number(e?.status ?? e?.statusCode);
  return e?.expose === true && status >= 400 && status < 500 ? status : null;
}

export function errorHandler(log: (msg: string, f?: Record<string, unknown>) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const fault = storageFault(err);
    let status = 500;
    let message = 'internal error';
    if (err instanceof DomainError) {
      status = err.status;
      message = err.message;
    } else if (err instanceof multer.MulterError) {
      status = err.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
      message = err.code;
    } else if ((err as { type?: string }).type === 'entity.too.large') {
      status = 413;
      message = 'too large';
    } else if (clientError(err)) {
      status = clientError(err)!;
      message = status === 404 ? 'not found' : 'bad request';
    } else if (fault) {
      status = fault === 'full' ? 507 : 503;
      message = `storage ${fault}`;
      err = new HttpError(status, message, STORAGE_TEXT[fault]);
      res.setHeader('Retry-After', '60');
      log('storage fault', { method: req.method, path: routeOf(req), fault });
    } else log('request failed', { method: req.method, path: routeOf(req), error: errorSummary(err) });
    const lang = (res.locals.lang as 'zh' | 'en') ?? 'zh';
    if (res.headersSent) return;
    res.status(status);
    if (req.originalUrl.startsWith('/api/') || req.accepts(['html', 'json']) === 'json') {
      // `message`: what the user is told, in their language (the upload page shows it in its red bar)
      const said =
        err instanceof DomainError && err.userText
          ? err.userText[lang]
          : status === 413
            ? tr('tooLarge', lang)
            : undefined;
      res.json({
        error: status === 413 ? 'payload too large' : message,
        ...(err instanceof DomainError && err.code ? { code: err.code } : {}),
        ...(said ? { message: said } : {}),
      });
      return;
    }
    const key =
      status === 404 ? 'notFound' : status === 403 ? 'forbidden' : status === 413 ? 'tooLarge' : 'serverError';
    const text = err instanceof DomainError && err.userText ? err.userText[lang] : tr(key, lang);
    try {
      const titled = [400, 403, 404, 409, 413, 422].includes(status) ? String(status) : 'other';
      // the way back is to the signed-in user's own start page, not the public home
      const role = (res.locals.user as { role?: string } | undefined)?.role;
      const home = role === 'employer' ? '/employer' : role === 'officer' || role === 'admin' ? '/bureau' : '/';
      res.send(
        render('public/error', { ...res.locals, status, text, title: tr(`errorPage.title.${titled}`, lang), home }),
      );
    } catch (e) {
      log('error page failed', { error: errorSummary(e) });
      res.type('text/plain').send(`${status} ${tr(key, lang)}`);
    }
  };
}
