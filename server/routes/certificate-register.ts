/**
 * The 残联's certificate register (/bureau/certificate-register, administrator; docs/rules.md §4.3): import the
 * city's file, read the problems by row and column and the preview, then confirm it as the register every check
 * uses, or discard it. No certificate number, ID number or name is shown or kept: the preview lists rows by their
 * number in the file, with category, grade and dates.
 */
import { importRuns } from './procedure';
import { Router, type Request } from 'express';
import { rm } from 'node:fs/promises';
import type { Services } from '../services';
import { allow } from '../middleware/authorise';
import { verifyCsrf } from '../middleware/csrf';
import { localsOf } from '../middleware/types';
import { originalName, uploadMiddleware } from '../middleware/upload';
import { render } from '../render/engine';
import { hasMessage as isIngestCode, message } from '../ingest/messages';
import { beijingToday } from '../i18n/format';
import { hasMessage, said, t, type Lang } from '../i18n/t';
import { DomainError, notFound } from '../services/errors';
import type { CertRegisterProblem } from '../ingest/certificate-register-sheet';

function problemText(p: CertRegisterProblem, lang: Lang): string {
  const key = `certReg.problem.${p.code}`;
  if (hasMessage(key)) return t(key, lang, p.params ?? {});
  return isIngestCode(p.code) ? message(p.code, p.params ?? {}, lang) : p.code;
}

export function certificateRegisterRoutes(s: Services) {
  const r = Router();
  const upload = uploadMiddleware(s.config.dataDir, s.config.maxUploadBytes);

  r.get('/bureau/certificate-register', allow('cert-register.manage'), async (req, res) => {
    res.send(
      render('bureau/certificate-register', {
        ...res.locals,
        title: t('certReg.page.title', localsOf(req).lang),
        active: await s.certRegister.active(),
        recent: await s.certRegister.recent(),
        confirmed: req.query.confirmed === '1',
        runs: await importRuns(s, req.query.run),
      }),
    );
  });

  r.post('/bureau/certificate-register', allow('cert-register.manage'), upload, verifyCsrf, async (req, res) => {
    const file = req.file;
    if (!file) throw new DomainError('bad-request', 'no file', said('certReg.error.noFile'));
    try {
      const { id } = await s.certRegister.receive(localsOf(req).user!, file.path, originalName(file));
      res.redirect(303, `/bureau/certificate-register/${id}`);
    } finally {
      await rm(file.path, { force: true });
    }
  });

  const found = async (req: Request) => {
    const imp = await s.certRegister.find(Number(req.params.id));
    if (!imp) throw notFound('no such import');
    return imp;
  };

  r.get('/bureau/certificate-register/:id', allow('cert-register.manage'), async (req, res) => {
    const lang = localsOf(req).lang;
    const imp = await found(req);
    const problems = (JSON.parse(imp.problems_json) as CertRegisterProblem[]).map((p) => ({
      ...p,
      text: problemText(p, lang),
      field: p.field && hasMessage(`certReg.field.${p.field}`) ? t(`certReg.field.${p.field}`, lang) : '',
    }));
    const { rows, counts } = await s.certRegister.preview(imp.id, beijingToday());
    res.send(
      render('bureau/certificate-register-import', {
        ...res.locals,
        title: t('certReg.preview.title', lang),
        imp,
        problems,
        rows,
        counts,
        preview: imp.status === 'preview',
      }),
    );
  });

  for (const step of ['confirm', 'discard'] as const)
    r.post(`/bureau/certificate-register/:id/${step}`, allow('cert-register.manage'), async (req, res) => {
      const imp = await found(req);
      const user = localsOf(req).user!;
      if (step === 'confirm') {
        // the stored results the register changes are recomputed in the background: its progress page follows
        const runs = await s.procedure.confirmImport(user, 'certificate-register', imp.id);
        if (!runs) throw new DomainError('conflict', 'not a preview', said('certReg.error.notPreview'));
        return res.redirect(303, `/bureau/certificate-register?confirmed=1${runs.map((x) => `&run=${x.id}`).join('')}`);
      }
      if (!(await s.certRegister.discard(user, imp.id)))
        throw new DomainError('conflict', 'not a preview', said('certReg.error.notPreview'));
      res.redirect(303, '/bureau/certificate-register');
    });

  return r;
}
