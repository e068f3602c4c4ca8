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
import { annotateRefusal, markable } from '../services/annotations';
import { resultView } from '../../reports/employer/result-view';
import { csvField } from '../../reports/xlsx/safe-cell';
import { join, resolve } from 'node:path';
import { rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { sendReportXlsx } from './report';
import { downloadName, sendAsAttachment, XLSX } from './attachment';
import { maskDigits } from '../i18n/labels';
import { kindTotals, problemKind } from '../i18n/problems';
import { beijingToday, yuan } from '../i18n/format';
import { label, said, t, type Lang } from '../i18n/t';
import { parseStoredResult, problemsIn } from '../../reports/stored-result';
import type { CheckRow } from '../services';
import { dataYearOf } from './query';
import { DIFF_LABEL, recomputedItems, recomputesOf } from './procedure';

/** A raw upload deleted under the retention rule: what is gone, and what is still there. */
const purged = () => new DomainError('gone', 'purged', said('employer.error.purged'));

/** The upload form's employer details for a CSV roster (what a CSV lacks): data year, founding date, optional wage total. */
function csvForm(body: unknown): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const k of ['year', 'founded', 'wageTotal'] as const) {
    const v = typeof b[k] === 'string' ? (b[k] as string).trim().slice(0, 40) : '';
    if (v) out[k] = v;
  }
  return out;
}

/** The data year an employer reports now: the year before the current Beijing year. */
function dataYearNow(): number {
  return Number(beijingToday().slice(0, 4)) - 1;
}

/** What came of an upload, in words: 未达标 63,720.00 元 / 4 处错误 / 无法读取 / 处理中. */
function uploadOutcome(status: string, check: CheckRow | undefined, lang: Lang): { text: string; kind: string } {
  if (status === 'failed') return { text: t('home.outcome.failed', lang), kind: 'bad' };
  if (status !== 'processed' || !check) return { text: t('home.outcome.processing', lang), kind: 'wait' };
  const stored = parseStoredResult(check.result_json);
  if (!stored.result) {
    const unreadable = problemsIn(stored, lang).some((p) => p.code.startsWith('file/'));
    return unreadable
      ? { text: t('home.outcome.unreadable', lang), kind: 'bad' }
      : { text: t('home.outcome.errors', lang, { n: stored.problemTotals.bySeverity.error }), kind: 'bad' };
  }
  const r = stored.result;
  const status_ = label('status', r.quota.status, lang);
  return {
    text: r.levy.payable > 0 ? `${status_} ${yuan(r.levy.payable, lang)}` : status_,
    kind: r.quota.status === 'short' ? 'warn' : 'ok',
  };
}

interface YearCard {
  year: number;
  state: 'none' | 'submitted' | 'accepted' | 'returned';
  sub?: { id: number; version: number; submitted_at: string; return_reason: string | null };
  readyCheckId?: string;
}

/** One card per data year: its status, and the one next action (UX.md §4). */
function yearCards(
  subs: {
    id: number;
    year: number;
    version: number;
    status: string;
    submitted_at: string;
    return_reason: string | null;
    check_id: string;
  }[],
  checked: { year: number | null; checkId?: string; clean: boolean; at: string }[],
  current: number,
): YearCard[] {
  const years = new Set<number>([
    current,
    ...subs.map((x) => x.year),
    ...checked.flatMap((c) => (c.year ? [c.year] : [])),
  ]);
  return [...years]
    .sort((a, b) => b - a)
    .map((year) => {
      const latest = subs.filter((x) => x.year === year).sort((a, b) => b.version - a.version)[0];
      const submittedChecks = new Set(subs.map((x) => x.check_id));
      const ready = checked.filter(
        (c) =>
          c.year === year &&
          c.clean &&
          c.checkId &&
          !submittedChecks.has(c.checkId) &&
          (!latest || c.at > latest.submitted_at),
      )[0];
      const state = latest ? (latest.status as YearCard['state']) : 'none';
      return { year, state, sub: latest, readyCheckId: ready?.checkId };
    });
}

type Handler = (req: Request, res: Response, employer: EmployerRow) => Promise<void>;

/** Writes the sample workbook an employer downloads from the upload page (given by the app, which owns the demo). */
export type SampleWriter = (
  path: string,
  employer: Pick<EmployerRow, 'name' | 'uscc' | 'county' | 'unit_type'>,
) => Promise<void>;

export function employerRoutes(s: Services, writeSample: SampleWriter) {
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

  r.get(
    '/',
    own(async (req, res, employer) => {
      const lang = localsOf(req).lang;
      const uploads = await s.uploads.listOf(employer.id);
      const submissions = await s.submissions.list({ employerId: employer.id });
      const checks = await Promise.all(
        uploads.map((u) => (u.status === 'processed' ? s.checks.byUpload(u.id) : Promise.resolve(undefined))),
      );
      const rows = uploads.map((u, i) => ({
        ...u,
        outcome: uploadOutcome(u.status, checks[i], lang),
        checkId: checks[i]?.id,
      }));
      const years = yearCards(
        submissions,
        uploads.map((u, i) => ({
          year: checks[i]?.year ?? null,
          checkId: checks[i]?.id,
          clean: !!checks[i] && !checks[i]!.has_problems,
          at: u.created_at,
        })),
        dataYearNow(),
      );
      // a checked result identical to the last version is nothing new to submit
      for (const y of years) {
        const ready = y.readyCheckId ? checks.find((c) => c?.id === y.readyCheckId) : undefined;
        if (ready && (await s.submissions.identicalTo(ready))) y.readyCheckId = undefined;
      }
      const year = dataYearOf(undefined);
      const procedure = {
        year,
        deadlines: await s.procedure.deadlines(year),
        certificates: await s.procedure.certificatesOf(employer.id),
        claims: await s.procedure.claims({ employerId: employer.id }),
        recomputed: recomputedItems(await s.procedure.recomputedFor(employer.id)),
      };
      const wageRecomputed = procedure.recomputed.some((v) => !v.reasonKey);
      // only after clash decisions: the heading says so; after an import, or a mix, it says the results moved
      const recomputeHeading = wageRecomputed
        ? 'recompute.title'
        : procedure.recomputed.every((v) => v.crossUnit)
          ? 'crossUnit.recomputed'
          : 'importRecompute.title';
      res.send(
        render('employer/home', {
          ...res.locals,
          employer,
          uploads: rows,
          submissions,
          years,
          procedure,
          wageRecomputed,
          recomputeHeading,
          maxBytes: s.config.maxUploadBytes,
          maxMB: Math.round(s.config.maxUploadBytes / 1024 / 1024),
        }),
      );
    }),
  );

  r.get(
    '/demo-workbook.xlsx',
    own(async (_req, res, employer) => {
      const path = join(s.config.dataDir, 'tmp', `demo-${randomUUID()}.xlsx`);
      await writeSample(path, employer);
      res.download(path, 'demo-workbook.xlsx', () => void rm(path, { force: true }));
    }),
  );

  r.post(
    '/uploads',
    allow('upload.create'),
    upload,
    verifyCsrf,
    own(async (req, res, employer) => {
      const file = req.file;
      if (!file) throw new DomainError('bad-request', 'no file', said('employer.error.noFile'));
      const user = localsOf(req).user!;
      const name = originalName(file);
      const form = /\.csv$/i.test(name) ? csvForm(req.body) : undefined;
      const id = await s.uploads.receive(user, employer, file.path, name, file.size, form);
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
    }),
  );

  const ownUpload = async (req: Request) =>
    scoped(localsOf(req).user, 'upload.read', await s.uploads.find(String(req.params.id)));

  r.get(
    '/uploads/:id/status',
    own(async (req, res) => {
      const up = await ownUpload(req);
      const checkId = up.status === 'processed' ? await s.checks.idOfUpload(up.id) : undefined;
      res.json({
        status: up.status,
        rowsRead: up.rows_read,
        checkUrl: checkId ? `/employer/checks/${checkId}` : null,
        error: up.status === 'failed' ? up.error : null,
      });
    }),
  );

  r.get(
    '/uploads/:id',
    own(async (req, res) => {
      const up = await ownUpload(req);
      if (up.status === 'processed') {
        return res.redirect(303, `/employer/checks/${(await s.checks.idOfUpload(up.id))!}`);
      }
      res.send(render('employer/processing', { ...res.locals, upload: up, failed: up.status === 'failed' }));
    }),
  );

  r.post(
    '/uploads/:id/retry',
    own(async (req, res, employer) => {
      const up = await ownUpload(req);
      if (up.purged_at) throw purged();
      if (up.status === 'failed') await s.uploads.process(up.id, employer, localsOf(req).lang);
      res.redirect(303, `/employer/uploads/${up.id}`);
    }),
  );

  const ownCheck = async (req: Request) =>
    scoped(localsOf(req).user, 'check.read', await s.checks.byId(String(req.params.id)));

  r.get(
    '/checks/:id',
    own(async (req, res, employer) => {
      const c = await ownCheck(req);
      const submitted = await s.submissions.ofCheck(c.id);
      const identical = submitted ? undefined : await s.submissions.identicalTo(c);
      const view = resultView(c, localsOf(req).lang);
      const up = await s.uploads.find(c.upload_id);
      // the annotated workbook exists only for a stored .xlsx with problems at cells
      const annotatable =
        !!up && /\.xlsx$/i.test(up.stored_name) && !up.purged_at && markable(view.problems).length > 0;
      const kinds = kindTotals(view.problemTotals, localsOf(req).lang);
      // a disabled employee another unit counts in the same months (docs/rules.md §4.2): the other unit unnamed
      const clashes = view.result ? await s.crossUnit.clashesOfCheck(c.id) : [];
      const crossUnit = {
        clashes: clashes.map((x) => ({ here: { maskedName: x.here.maskedName, row: x.here.row }, months: x.months })),
        ifStands: clashes.length
          ? (await s.crossUnit.ifOthersStand(c.id, clashes))?.map((d) => ({
              ...d,
              key: DIFF_LABEL[d.figure] ?? `figure.${d.figure}`,
              kind: d.figure === 'quota.status' ? 'status' : d.figure.startsWith('annual.avg') ? 'persons' : 'money',
            }))
          : null,
        decided: view.result
          ? (await s.crossUnit.decisionsOf(view.result.employer.year, employer.id)).filter(
              (d) => d.other_employer_id === employer.id,
            )
          : [],
      };
      res.send(
        render('employer/result', {
          crossUnit,
          ...res.locals,
          employer,
          view,
          canSubmit: !c.has_problems && !submitted && !identical,
          submitted,
          identical,
          nextYear: view.result ? view.result.employer.year + 1 : null,
          kinds: kinds.length > 1 || view.problemsNotListed > 0 ? kinds : [],
          annotatedUrl: annotatable ? `/employer/checks/${c.id}/annotated.xlsx` : null,
          maxBytes: s.config.maxUploadBytes,
          maxMB: Math.round(s.config.maxUploadBytes / 1024 / 1024),
        }),
      );
    }),
  );

  /** The list of problems as a CSV (the page shows the first ones; the list here is every problem kept). */
  r.get(
    '/checks/:id/problems.csv',
    own(async (req, res) => {
      const lang = localsOf(req).lang;
      const view = resultView(await ownCheck(req), lang);
      const head = [
        'problems.csv.sheet',
        'problems.csv.row',
        'problems.csv.column',
        'problems.csv.employee',
        'problems.csv.severity',
        'problems.kind',
        'message',
        'found',
      ].map((k) => t(k, lang));
      const rows = view.problems.map((p) => [
        p.sheet,
        p.row ?? '',
        p.column ?? p.cell,
        p.employee ?? '',
        label('severity', p.severity, lang),
        problemKind(p.code, lang),
        maskDigits(p.message),
        maskDigits(p.value ?? ''),
      ]);
      const csv = [head, ...rows].map((r) => r.map((v) => csvField(String(v))).join(',')).join('\r\n');
      sendAsAttachment(res, 'text/csv; charset=utf-8', 'problems.csv', lang === 'en' ? 'problems.csv' : '问题清单.csv');
      res.send('\ufeff' + csv);
    }),
  );

  /** The step before submitting: what is sent, to whom, and what happens next (UX.md §4). */
  r.get(
    '/checks/:id/confirm',
    own(async (req, res, employer) => {
      const c = await ownCheck(req);
      const submitted = await s.submissions.ofCheck(c.id);
      if (submitted) return res.redirect(303, `/employer/submissions/${submitted.id}`);
      const view = resultView(c, localsOf(req).lang);
      if (!view.result) return res.redirect(303, `/employer/checks/${c.id}`);
      const previous = (await s.submissions.list({ employerId: employer.id, year: view.result.employer.year }))[0];
      // the earlier version's reward application is superseded with it (J3): say so before submitting
      const earlierClaim = previous ? await s.procedure.claimOfSubmission(previous.id) : undefined;
      const previousClaim =
        earlierClaim && ['applied', 'approved'].includes(earlierClaim.status) ? earlierClaim : undefined;
      const passOn = Object.fromEntries(
        Object.entries(req.query).filter(
          ([k, v]) => k !== 'lang' && typeof v === 'string' && /^[\w-]{1,40}$/.test(k) && v.length <= 100,
        ),
      );
      // the register's refusal is said before the button, not after it (REGISTER_RULE)
      const refusal = await s.register.refusal(employer.id, view.result.employer.year);
      const notRegistered = refusal ? refusal[localsOf(req).lang] : null;
      res.send(
        render('employer/confirm', { ...res.locals, employer, view, previous, previousClaim, passOn, notRegistered }),
      );
    }),
  );

  r.get(
    '/checks/:id/annotated.xlsx',
    own(async (req, res, employer) => {
      const c = await ownCheck(req);
      const up = await s.uploads.find(c.upload_id);
      const lang = localsOf(req).lang;
      const problems = resultView(c, lang).problems;
      if (!up || !/\.xlsx$/i.test(up.stored_name)) throw notFound('no workbook to annotate');
      if (up.purged_at) throw purged();
      if (!markable(problems).length) throw notFound('no problem at a cell to mark');
      const out = join(s.config.dataDir, 'tmp', `annotated-${randomUUID()}.xlsx`);
      const stored = await s.uploads.files.open(up.stored_name);
      const done = await s.annotations.run(stored.path, out, problems, lang).finally(() => stored.release());
      if (!done.done) {
        await rm(out, { force: true });
        throw new DomainError('invalid', 'not annotated', annotateRefusal(done));
      }
      // named for the unit and the year, in the reader's language (ASCII fallback for old clients)
      const year = c.year ?? '';
      sendAsAttachment(
        res,
        XLSX,
        `annotated-${year}.xlsx`,
        downloadName(
          [employer.name, year ? t('download.year', lang, { y: year }) : '', t('download.annotated', lang)],
          'xlsx',
        ),
      );
      res.sendFile(resolve(out), () => void rm(out, { force: true }));
    }),
  );

  r.get(
    '/checks/:id/report.xlsx',
    own(async (req, res) => {
      await sendReportXlsx(res, resultView(await ownCheck(req), localsOf(req).lang), localsOf(req).lang);
    }),
  );

  r.get(
    '/checks/:id/report',
    own(async (req, res, employer) => {
      const view = resultView(await ownCheck(req), localsOf(req).lang);
      if (!view.result) throw notFound('no report for a workbook with problems');
      res.send(
        render('employer/report', {
          ...res.locals,
          title: view.result.employer.name,
          printable: true,
          employer,
          view,
          generatedAt: new Date().toISOString(),
          xlsxUrl: `/employer/checks/${view.checkId}/report.xlsx`,
        }),
      );
    }),
  );

  r.post(
    '/checks/:id/submit',
    own(async (req, res, employer) => {
      const user = localsOf(req).user;
      const c = scoped(user, 'check.submit', await ownCheck(req));
      const choice =
        req.body?.rewardChoice === 'apply' || req.body?.rewardChoice === 'waive'
          ? (req.body.rewardChoice as 'apply' | 'waive')
          : undefined;
      const sub = await s.submissions.submit(user!, employer.id, c, { rewardChoice: choice });
      res.redirect(303, `/employer/submissions/${sub.id}`);
    }),
  );

  r.get(
    '/submissions/:id',
    own(async (req, res, employer) => {
      const sub = scoped(localsOf(req).user, 'submission.read', await s.submissions.byId(Number(req.params.id)));
      const c = await s.checks.byId(sub.check_id);
      const diff = await s.submissions.diffWithPrevious(sub.id);
      res.send(
        render('employer/submission', {
          ...res.locals,
          employer,
          sub,
          diff,
          recomputes: recomputesOf(await s.procedure.versionsOf(sub.check_id)),
          view: resultView(c!, localsOf(req).lang),
          receipt: s.submissions.receipt(sub),
          certificate: await s.procedure.certificateOfSubmission(sub.id),
          claim: await s.procedure.claimOfSubmission(sub.id),
        }),
      );
    }),
  );

  /** The receipt (回执): printable, with its number, Beijing time, the unit, the year, the headline figures and a verification link. */
  r.get(
    '/submissions/:id/receipt',
    own(async (req, res, employer) => {
      const sub = scoped(localsOf(req).user, 'submission.read', await s.submissions.byId(Number(req.params.id)));
      const c = await s.checks.byId(sub.check_id);
      const receipt = s.submissions.receipt(sub);
      res.send(
        render('employer/receipt', {
          ...res.locals,
          title: receipt.number,
          employer,
          sub,
          view: resultView(c!, localsOf(req).lang),
          receipt,
          verifyUrl: `${s.config.publicUrl || `${req.protocol}://${req.get('host')}`}/receipts/${receipt.code}`,
        }),
      );
    }),
  );

  return r;
}
