/**
 * `Cache-Control: no-store` on everything private: any response to a logged-in user (their name and CSRF
 * token are on every page; their downloads are their own data), the API, the employer and bureau areas and
 * the pages that carry a form token. Set as the headers are written, so it also wins over a route's public
 * caching (the notice pages are public only for anonymous readers) and over `res.download`'s default.
 */
import type { NextFunction, Request, Response } from 'express';

const PRIVATE_PATHS = /^\/(api|employer|bureau|login|logout)(\/|$)|^\/notices\/\d+\/objection$/;

export function noStoreWhenPrivate(req: Request, res: Response, next: NextFunction): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: unknown[]) {
    if (res.locals.user || PRIVATE_PATHS.test(req.path)) res.setHeader('Cache-Control', 'private, no-store');
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as typeof res.writeHead;
  next();
}
