/**
 * Employer pages: upload (stored first, then processed, progress pollable), result, annotated workbook,
 * submit, submission history with what changed. Every handler is scoped to the user's own employer.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { EmployerRow, Services } from '../services';
import { allow, scoped } from '../middleware/authorise';
import { verifyCsrf } from '../middleware/csrf';
import { DomainError, forbidden, notFound } from '../services/errors';
import { errorSummary } from '../middleware/log';
import { localsOf } from '../middleware/types';
import { originalName, uploadMiddleware } from '../middleware/upload';
import { render } from '../render/engine';
import { annotateRefusal } from '../services/annotations';
import { resultView } from '../../reports/employer/result-view';
import { uploadPath } from '../services/uploads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { sendReportXlsx } from './report';

/** A raw upload deleted under the retention rule (issue #6.6): what is gone, and what is still there. */
const purged = () => new DomainError('gone', 'purged', { zh: '原始工作簿已按保留期限删除，无法再标注或重新处理；已保存的计算结果仍可查看', en: 'The original workbook was deleted under the retention rule, so it cannot be annotated or processed again; the stored result is still available' });

type Handler = (req: Request, res: Response, employer: EmployerRow) => Promise<void>;

export function employerRoutes(s: Services) {
  const r = Router();
  r.use(allow('employer.use'));
  const upload = uploadMiddleware(s.config.dataDir, s.config.maxUploadBytes);

  /** Resolves the user's own employer (the scope of every page here). */
  const own = (h: Handler) => async (req: Request, res: Response, next: NextFunction) => {
    const user = localsOf(req).user;
    const employer = await s.employers.byId(user?.employer_id ?? -1);
    if (!employer) return next(forbidden('no employer bound to this account'));
    await h(req, res, scoped(user, 'employer.use', { ...employer, employer_id: employer.id }));
  };

  r.get('/', own(async (_req, res, employer) => {
    const uploads = await s.uploads.listOf(employer.id);
    const submissions = await s.submissions.list({ employerId: employer.id });
    res.send(render('employer/home', { ...res.locals, employer, uploads, submissions, maxMB: Math.round(s.config.maxUploadBytes / 1024 / 1024) }));
  }));

  r.get('/demo-workbook.xlsx', own(async (_req, res, employer) => {
    const path = join(tmpdir(), `demo-${randomUUID()}.xlsx`);
    // the demo module is loaded when a sample is asked for, not with the app
    const { writeSampleWorkbook } = await import('../demo/workbooks');
    await writeSampleWorkbook(path, employer);
    res.download(path, 'demo-workbook.xlsx', () => void rm(path, { force: true }));
  }));

  r.post('/uploads', allow('upload.create'), upload, verifyCsrf, own(async (req, res, employer) => {
    const file = req.file;
    if (!file) throw new DomainError('bad-request', 'no file', { zh: '没有收到文件：请选择 .xlsx 工作簿（或职工名册 .csv）后再上传', en: 'No file arrived: choose an .xlsx workbook (or a roster .csv) and upload again' });
    const user = localsOf(req).user!;
    const id = await s.uploads.receive(user, employer, file.path, originalName(file), file.size);
    await s.uploads.discardTemp(file.path);
    const work = s.uploads.process(id, employer, localsOf(req).lang);
    if (req.accepts(['html', 'json']) === 'json') {
      // processed after the response: whatever happens is recorded on the upload, never a crash
      work.catch((e) => s.log('upload processing failed', { upload: id, error: errorSummary(e) }));
      res.status(202).json({ id, statusUrl: `/employer/uploads/${id}/status`, pageUrl: `/employer/uploads/${id}` });
      return;
    }
    await work;
    res.redirect(303, `/employer/uploads/${id}`);
  }));

  const ownUpload = async (req: Request) => scoped(localsOf(req).user, 'upload.read', await s.uploads.find(String(req.params.id)));

  r.get('/uploads/:id/status', own(async (req, res) => {
    const up = await ownUpload(req);
    const c = up.status === 'processed' ? await s.checks.byUpload(up.id) : undefined;
    res.json({ status: up.status, rowsRead: up.rows_read, checkUrl: c ? `/employer/checks/${c.id}` : null, error: up.status === 'failed' ? up.error : null });
  }));

  r.get('/uploads/:id', own(async (req, res) => {
    const up = await ownUpload(req);
    if (up.status === 'processed') {
      const c = await s.checks.byUpload(up.id);
      return res.redirect(303, `/employer/checks/${c!.id}`);
    }
    res.send(render('employer/processing', { ...res.locals, upload: up, failed: up.status === 'failed' }));
  }));

  r.post('/uploads/:id/retry', own(async (req, res, employer) => {
    const up = await ownUpload(req);
    if (up.purged_at) throw purged();
    if (up.status === 'failed') await s.uploads.process(up.id, employer, localsOf(req).lang);
    res.redirect(303, `/employer/uploads/${up.id}`);
  }));

  const ownCheck = async (req: Request) => scoped(localsOf(req).user, 'check.read', await s.checks.byId(String(req.params.id)));

  r.get('/checks/:id', own(async (req, res, employer) => {
    const c = await ownCheck(req);
    const submitted = await s.submissions.ofCheck(c.id);
    res.send(render('employer/result', { ...res.locals, employer, view: resultView(c, localsOf(req).lang), canSubmit: !c.has_problems && !submitted, submitted }));
  }));

  /** The step before submitting: what is sent, to whom, and what happens next (UX.md §4). */
  r.get('/checks/:id/confirm', own(async (req, res, employer) => {
    const c = await ownCheck(req);
    const submitted = await s.submissions.ofCheck(c.id);
    if (submitted) return res.redirect(303, `/employer/submissions/${submitted.id}`);
    const view = resultView(c, localsOf(req).lang);
    if (!view.result) return res.redirect(303, `/employer/checks/${c.id}`);
    const previous = (await s.submissions.list({ employerId: employer.id, year: view.result.employer.year }))[0];
    const passOn = Object.fromEntries(Object.entries(req.query).filter(([k, v]) => k !== 'lang' && typeof v === 'string' && /^[\w-]{1,40}$/.test(k) && v.length <= 100));
    res.send(render('employer/confirm', { ...res.locals, employer, view, previous, passOn }));
  }));

  r.get('/checks/:id/annotated.xlsx', own(async (req, res) => {
    const c = await ownCheck(req);
    const up = await s.uploads.find(c.upload_id);
    if (!up || !/\.xlsx$/i.test(up.stored_name)) throw notFound('no workbook to annotate');
    if (up.purged_at) throw purged();
    const out = join(s.config.dataDir, 'tmp', `annotated-${randomUUID()}.xlsx`);
    const done = await s.annotations.run(uploadPath(s.config.dataDir, up.stored_name), out, resultView(c, localsOf(req).lang).problems, localsOf(req).lang);
    if (!done.done) {
      await rm(out, { force: true });
      throw new DomainError('invalid', 'not annotated', annotateRefusal(done));
    }
    res.download(out, 'annotated.xlsx', () => void rm(out, { force: true }));
  }));

  r.get('/checks/:id/report.xlsx', own(async (req, res) => {
    await sendReportXlsx(res, resultView(await ownCheck(req), localsOf(req).lang), localsOf(req).lang);
  }));

  r.get('/checks/:id/report', own(async (req, res, employer) => {
    const view = resultView(await ownCheck(req), localsOf(req).lang);
    if (!view.result) throw notFound('no report for a workbook with problems');
    res.send(render('employer/report', { ...res.locals, title: view.result.employer.name, employer, view, generatedAt: new Date().toISOString(), xlsxUrl: `/employer/checks/${view.checkId}/report.xlsx` }));
  }));

  r.post('/checks/:id/submit', own(async (req, res, employer) => {
    const user = localsOf(req).user;
    const c = scoped(user, 'check.submit', await ownCheck(req));
    const sub = await s.submissions.submit(user!, employer.id, c.id);
    res.redirect(303, `/employer/submissions/${sub.id}`);
  }));

  r.get('/submissions/:id', own(async (req, res, employer) => {
    const sub = scoped(localsOf(req).user, 'submission.read', await s.submissions.byId(Number(req.params.id)));
    const c = await s.checks.byId(sub.check_id);
    const diff = await s.submissions.diffWithPrevious(sub.id);
    res.send(render('employer/submission', { ...res.locals, employer, sub, diff, view: resultView(c!, localsOf(req).lang), receipt: s.submissions.receipt(sub) }));
  }));

  /** The receipt (回执): printable, with its number, Beijing time, the unit, the year, the headline figures and a verification link. */
  r.get('/submissions/:id/receipt', own(async (req, res, employer) => {
    const sub = scoped(localsOf(req).user, 'submission.read', await s.submissions.byId(Number(req.params.id)));
    const c = await s.checks.byId(sub.check_id);
    const receipt = s.submissions.receipt(sub);
    res.send(render('employer/receipt', { ...res.locals, title: receipt.number, employer, sub, view: resultView(c!, localsOf(req).lang), receipt, verifyUrl: `${s.config.publicUrl || `${req.protocol}://${req.get('host')}`}/receipts/${receipt.code}` }));
  }));

  return r;
}
