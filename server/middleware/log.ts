/**
 * Logging: one JSON line per request — method, path without query, status, duration. Never bodies,
 * file names, query strings or anything else a user typed, so personal data cannot reach the log.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Log } from '../log';

/** The log and the error summary live in server/log.ts, which every layer may use. */
export { errorSummary, makeLog, type Log } from '../log';

/** The route pattern of a request (`/employer/checks/:id`), never the ids or query a user sent. */
export function routeOf(req: Request): string {
  if (req.route?.path) return `${req.baseUrl}${req.route.path}`;
  // no route matched: the path as typed may hold anything (a name, an ID number), so only its known area is logged
  const area =
    /^\/(static|notices|employer|bureau|api|receipts|verify|login|logout|healthz|readyz|metrics)(?=\/|$)/.exec(
      req.originalUrl.split('?')[0],
    )?.[1];
  return area ? `/${area}/(unmatched)` : '(unmatched)';
}

export function requestLog(log: Log) {
  return (req: Request, res: Response, next: NextFunction) => {
    const t0 = process.hrtime.bigint();
    res.on('finish', () => {
      log('request', {
        method: req.method,
        path: routeOf(req),
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - t0) / 1e6,
      });
    });
    next();
  };
}
