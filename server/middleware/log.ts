/**
 * Logging: one JSON line per request — method, path without query, status, duration. Never bodies,
 * file names, query strings or anything else a user typed, so personal data cannot reach the log.
 */
import type { NextFunction, Request, Response } from 'express';
import { appendFileSync } from 'node:fs';

export type Log = (msg: string, fields?: Record<string, unknown>) => void;

/**
 * LOG_LEVEL=silent keeps stdout quiet; LOG_FILE, when set, receives every line whatever the level — the
 * test run collects the log of every app it starts there and scans it for personal data.
 */
export function makeLog(silent = process.env.LOG_LEVEL === 'silent', file = process.env.LOG_FILE): Log {
  return (msg, fields = {}) => {
    const line = JSON.stringify({ t: new Date().toISOString(), msg, ...fields }) + '\n';
    if (!silent) process.stdout.write(line);
    if (file) appendFileSync(file, line);
  };
}

/** The route pattern of a request (`/employer/checks/:id`), never the ids or query a user sent. */
export function routeOf(req: Request): string {
  if (req.route?.path) return `${req.baseUrl}${req.route.path}`;
  // no route matched: the path as typed may hold anything (a name, an ID number), so only its known area is logged
  const area = /^\/(static|notices|employer|bureau|api|receipts|verify|login|logout|healthz)(?=\/|$)/.exec(
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

/**
 * What of an error may be logged: knex puts the whole statement, with its values, in the message — which
 * would carry names and ID numbers into the log. Only the driver's own text after the statement is kept,
 * anything shaped like an ID number is masked, and the length is bounded.
 */
export function errorSummary(e: unknown): string {
  const err = e as { message?: string; code?: string } | null;
  let m = String(err?.message ?? e);
  const cut = m.lastIndexOf(' - ');
  if (/^\s*(insert|update|select|delete|with|create|alter|drop)\b/i.test(m) && cut > 0) m = m.slice(cut + 3);
  m = m.replace(/\d{6,}[\dXx]?/g, (d) => `${d.slice(0, 2)}…(${d.length})`);
  return `${err?.code ? `${err.code}: ` : ''}${m}`.slice(0, 300);
}
