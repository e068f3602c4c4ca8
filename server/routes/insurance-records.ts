/**
 * The insurer's social-insurance payment records (/bureau/insurance-records, administrator; docs/rules.md §4.4):
 * import a file, read its problems by row and column and a preview by unit and year, then confirm or discard it.
 * No ID number is shown or kept.
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
import { hasMessage, said, t, type Lang } from '../i18n/t';
import { DomainError, notFound } from '../services/errors';
import type { InsuranceProblem } from '../ingest/insurance-records-sheet';

function problemText(p: InsuranceProblem, lang: Lang): string {
  const key = `insRec.problem.${p.code}`;
  if (hasMessage(key)) return t(key, lang, p.params ?? {});
  return isIngestCode(p.code) ? message(p.code, p.params ?? {}, lang) : p.code;
}

export function insuranceRecordsRoutes(s: Services) {
  const r = Router();
  const upload = uploadMiddleware(s.config.dataDir, s.config.maxUploadBytes);

  r.get('/bureau/insurance-records', allow('insurance-records.manage'), async (req, res) => {
    res.send(
      render('bureau/insurance-records', {
        ...res.locals,
        title: t('insRec.page.title', localsOf(req).lang),
        active: await s.insuranceRecords.active(),
        recent: await s.insuranceRecords.recent(),
        confirmed: req.query.confirmed === '1',
        runs: await importRuns(s, req.query.run),
      }),
    );
  });

  r.post('/bureau/insurance-records', allow('insurance-records.manage'), upload, verifyCsrf, async (req, res) => {
    const file = req.file;
    if (!file) throw new DomainError('bad-request', 'no file', said('insRec.error.noFile'));
    try {
      const { id } = await s.insuranceRecords.receive(localsOf(req).user!, file.path, originalName(file));
      res.redirect(303, `/bureau/insurance-records/${id}`);
    } finally {
      await rm(file.path, { force: true });
    }
  });

  const found = async (req: Request) => {
    const imp = await s.insuranceRecords.find(Number(req.params.id));
    if (!imp) throw notFound('no such import');
    return imp;
  };

  r.get('/bureau/insurance-records/:id', allow('insurance-records.manage'), async (req, res) => {
    const lang = localsOf(req).lang;
    const imp = await found(req);
    const problems = (JSON.parse(imp.problems_json) as InsuranceProblem[]).map((p) => ({
      ...p,
      text: problemText(p, lang),
      field: p.field && hasMessage(`insRec.field.${p.field}`) ? t(`insRec.field.${p.field}`, lang) : '',
    }));
    res.send(
      render('bureau/insurance-records-import', {
        ...res.locals,
        title: t('insRec.preview.title', lang),
        imp,
        problems,
        units: (await s.insuranceRecords.units(imp.id)).map((u) => ({ ...u, persons: Number(u.persons) })),
        preview: imp.status === 'preview',
      }),
    );
  });

  for (const step of ['confirm', 'discard'] as const)
    r.post(`/bureau/insurance-records/:id/${step}`, allow('insurance-records.manage'), async (req, res) => {
      const imp = await found(req);
      const user = localsOf(req).user!;
      if (step === 'confirm') {
        // the stored results the records change are recomputed in the background: the page links their progress
        const runs = await s.procedure.confirmImport(user, 'insurance-records', imp.id);
        if (!runs) throw new DomainError('conflict', 'not a preview', said('certReg.error.notPreview'));
        return res.redirect(303, `/bureau/insurance-records?confirmed=1${runs.map((x) => `&run=${x.id}`).join('')}`);
      }
      if (!(await s.insuranceRecords.discard(user, imp.id)))
        throw new DomainError('conflict', 'not a preview', said('certReg.error.notPreview'));
      res.redirect(303, '/bureau/insurance-records');
    });

  return r;
}
