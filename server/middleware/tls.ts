/**
 * HSTS and `upgrade-insecure-requests` only on a request that came over TLS (directly, or through the
 * trusted loopback proxy's X-Forwarded-Proto): sent over plain HTTP they would pin a browser to an https
 * address nobody serves, and a site reached by address on a LAN would stop loading.
 */
import type { NextFunction, Request, Response } from 'express';

export function tlsOnlyHeaders(req: Request, res: Response, next: NextFunction): void {
  if (req.secure) {
    res.setHeader('Strict-Transport-Security', 'max-age=15552000; includeSubDomains');
    const csp = res.getHeader('Content-Security-Policy');
    if (typeof csp === 'string') res.setHeader('Content-Security-Policy', `${csp};upgrade-insecure-requests`);
  }
  next();
}
