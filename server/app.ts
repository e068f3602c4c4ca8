/**
 * createApp(deps): middleware in a fixed, readable order, then one router per audience, then the one
 * error handler. No start-up side effects here (server/index.ts has them).
 */
import express from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { join } from 'node:path';
import { ROOT } from './paths';
import { loadUser } from './middleware/auth';
import { noStoreWhenPrivate } from './middleware/no-store';
import { tlsOnlyHeaders } from './middleware/tls';
import { csrfGuard, csrfToken } from './middleware/csrf';

/**
 * The routes a file is posted to as a multipart form: their CSRF token is read from the form after parsing
 * (each route runs `verifyCsrf`), so a form posted without script — no header — is accepted when its token is.
 */
export const UPLOAD_ROUTES: readonly string[] = [
  '/employer/uploads',
  '/bureau/register/import',
  '/bureau/certificate-register',
  '/bureau/insurance-records',
];
import { errorHandler, HttpError } from './middleware/errors';
import { locale } from './middleware/locale';
import { requestLog } from './middleware/log';
import { requestMetrics } from './middleware/metrics';
import { operationsRoutes } from './routes/operations';
import { accountRoutes, enrolFirst } from './routes/accounts';
import { registerRoutes } from './routes/register';
import { certificateRegisterRoutes } from './routes/certificate-register';
import { insuranceRecordsRoutes } from './routes/insurance-records';
import { apiRoutes } from './routes/api';
import { bureauRoutes } from './routes/bureau';
import { bureauDashboardRoutes } from './routes/bureau-dashboard';
import { bureauNoticeRoutes } from './routes/bureau-notices';
import { noticePublicRoutes } from './routes/notices-public';
import { employerRoutes } from './routes/employer';
import { publicRoutes } from './routes/public';
import { procedureBureauRoutes, procedureEmployerRoutes, procedurePublicRoutes } from './routes/procedure';
import type { Services } from './services';

export { createServices, type Services } from './services';

export function createApp(s: Services) {
  const app = express();
  // the client's address as the proxy in front saw it (TRUST_PROXY): per-address limits count each client
  app.set('trust proxy', s.config.trustProxy || 'loopback');
  app.disable('x-powered-by');

  app.use(requestLog(s.log));
  app.use(requestMetrics(s.metrics));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: false,
    }),
  );
  app.use(tlsOnlyHeaders);
  app.use('/static', express.static(join(ROOT, 'server', 'static'), { maxAge: '1h', fallthrough: false }));
  app.get('/healthz', async (_req, res) => {
    await s.ping();
    res.json({ ok: true });
  });
  // readiness and metrics, before the session: a probe or a scrape opens no session
  app.use(operationsRoutes(s));
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(express.json({ limit: '100kb' }));
  app.use(
    session({
      name: 'qd.sid',
      secret: s.config.sessionSecret,
      store: s.sessionStore(),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: s.config.production, maxAge: 8 * 3600_000 },
    }),
  );
  app.use(locale);
  app.use(loadUser(s.accounts));
  app.use(noStoreWhenPrivate);
  app.use(csrfToken);
  app.use(
    csrfGuard({
      stateless: (req) => req.path === '/api/check',
      verifiedAfterUpload: (req) => req.method === 'POST' && UPLOAD_ROUTES.includes(req.path),
    }),
  );

  app.use(enrolFirst);
  app.use((_req, res, next) => {
    res.locals.ssoEnabled = s.sso.enabled; // the login page offers the identity platform
    next();
  });
  app.use(publicRoutes(s));
  app.use(accountRoutes(s));
  app.use(registerRoutes(s));
  app.use(certificateRegisterRoutes(s));
  app.use(insuranceRecordsRoutes(s));
  app.use(noticePublicRoutes(s));
  app.use(procedurePublicRoutes(s));
  app.use('/bureau/notices', bureauNoticeRoutes(s));
  app.use('/bureau/dashboard', bureauDashboardRoutes(s));
  // the demo module is loaded when a sample is asked for, not with the app
  app.use(
    '/employer',
    employerRoutes(s, (path, e) => import('./demo/workbooks').then((m) => m.writeSampleWorkbook(path, e))),
  );
  app.use('/employer', procedureEmployerRoutes(s));
  app.use('/bureau', bureauRoutes(s));
  app.use('/bureau', procedureBureauRoutes(s));
  app.use('/api', apiRoutes(s));

  app.use((_req, _res, next) => next(new HttpError(404, 'not found')));
  app.use(errorHandler(s.log));
  return app;
}
