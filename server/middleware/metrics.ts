/** Counts every answered request in the app's metrics, by method, route pattern (never the path sent) and status. */
import type { NextFunction, Request, Response } from 'express';
import { routeOf } from './log';

export function requestMetrics(m: { observe: (method: string, route: string, status: number, s: number) => void }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const t0 = process.hrtime.bigint();
    res.on('finish', () => {
      m.observe(req.method, routeOf(req), res.statusCode, Number(process.hrtime.bigint() - t0) / 1e9);
    });
    next();
  };
}
