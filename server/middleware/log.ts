/**
 * Logging: one JSON line per request — method, path without query, status, duration. Never bodies,
 * file names, query strings or anything else a user typed, so personal data cannot reach the log.
 */
import type { NextFunction, Request, Response } from 'express';

export type Log = (msg: string, fields?: Record<string, unknown>) => void;

export function makeLog(silent = process.env.LOG_LEVEL === 'silent'): Log {
  return (msg, fields = {}) => {
    if (!silent) process.stdout.write(JSON.stringify({ t: new Date().toISOString(), msg, ...fields }) + '\n');
  };
}

export function requestLog(log: Log) {
  return (req: Request, res: Response, next: NextFunction) => {
    const t0 = process.hrtime.bigint();
    res.on('finish', () => {
      log('request', { method: req.method, path: req.route?.path ? `${req.baseUrl}${req.route.path}` : req.path.replace(/[0-9a-f-]{36}|\d+/g, ':id'), status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 });
    });
    next();
  };
}
