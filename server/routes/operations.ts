/**
 * For the operator's monitoring (docs/operations.md "Monitoring"): /readyz — ready to serve (database
 * answering, migrations current, data directory writable; 503 naming what is not) — and /metrics in
 * Prometheus's text format, answered only to the addresses METRICS_ALLOW names (others: 404).
 * /healthz (alive) stays where it is.
 */
import { Router } from 'express';
import { allowAddresses } from '../middleware/authorise';
import type { Services } from '../services';

export function operationsRoutes(s: Services) {
  const r = Router();
  r.get('/readyz', async (_req, res) => {
    const ready = await s.ready();
    res.setHeader('Cache-Control', 'no-store');
    res.status(ready.ok ? 200 : 503).json(ready);
  });
  r.get('/metrics', allowAddresses(s.config.metricsAllow), async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type(s.metrics.contentType).send(await s.metrics.text());
  });
  return r;
}
