/**
 * JSON API. POST /api/check is a calculator: no login, nothing stored (the temporary file is deleted).
 * The other resources use the session and the same scoping as the pages.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { rm } from 'node:fs/promises';
import type { Services, SubmissionListRow } from '../services';
import { allow, listScope, scoped } from '../middleware/authorise';
import { DomainError } from '../services/errors';
import { maskDigits, maskName } from '../i18n/labels';
import { localsOf } from '../middleware/types';
import { originalName, uploadMiddleware } from '../middleware/upload';
import { parseStoredResult, resultIn } from '../../reports/stored-result';
import { employerFieldsFrom } from '../ingest/columns';
import { openApiDocument } from './openapi';
import { queryDate, queryYear } from './query';

export function apiRoutes(s: Services) {
  const r = Router();
  const upload = uploadMiddleware(s.config.dataDir, s.config.maxUploadBytes);

  r.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  // rate limited per client address before the body is read; the file is read in the calculator's own worker pool
  const perClient = async (req: Request, res: Response, next: NextFunction) => {
    const limit = await s.apiChecks.allow(req.ip ?? 'unknown');
    if (limit.allowed) return next();
    res.setHeader('Retry-After', String(limit.retryAfterSeconds));
    next(new DomainError('too-many', 'too many requests'));
  };

  r.post('/check', perClient, upload, async (req, res) => {
    const file = req.file;
    if (!file) throw new DomainError('bad-request', 'multipart field "file" is required');
    let out;
    try {
      const amounts = {
        socialAverageWage: amountField(req.body?.socialAverageWage, 'socialAverageWage'),
        alreadyPaid: amountField(req.body?.alreadyPaid, 'alreadyPaid'),
      };
      const lang = req.query.lang === 'en' ? 'en' : 'zh';
      const fields = employerFieldsFrom(req.body);
      out = await s.apiChecks.run({
        path: file.path,
        fileName: originalName(file),
        lang,
        employerFields: fields,
        maxFileBytes: s.config.maxUploadBytes,
        ...amounts,
      });
    } finally {
      // gone before the answer leaves: nothing of the caller's file outlives the request
      await rm(file.path, { force: true });
    }
    if (out.status === 503) res.setHeader('Retry-After', '30');
    res.status(out.status).type('json').send(out.json);
  });

  r.get('/parameters', async (req, res) => {
    const date = queryDate(req.query.date);
    const p = await s.params.current();
    res.json({
      date,
      parameters: p.inForce(date).map((v) => ({
        id: v.id,
        key: v.key ?? null,
        value: v.value,
        from: v.from,
        to: v.to ?? null,
        source: v.source,
        clauses: p.definition(v.id).clauses,
      })),
    });
  });

  r.get('/submissions', allow('submission.list'), async (req, res) => {
    const user = localsOf(req).user!;
    const year = queryYear(req.query.year);
    const rows = await s.submissions.list({ ...listScope(user, 'submission.list', req.query.county), year });
    res.json({ submissions: rows.map(publicRow) });
  });

  r.get('/submissions/:id', allow('submission.read'), async (req, res) => {
    const sub = scoped(localsOf(req).user, 'submission.read', await s.submissions.byId(Number(req.params.id)));
    const c = await s.checks.byId(sub.check_id);
    res.json({
      submission: publicRow(sub),
      result: masked(resultIn(parseStoredResult(c!.result_json), req.query.lang === 'en' ? 'en' : 'zh')),
    });
  });

  return r;
}

/** An optional amount field in 元 (digits, at most two decimals), as text (it travels to the worker); anything else is a 400 naming the field. */
function amountField(v: unknown, field: string): string | null {
  if (v === undefined || v === '') return null;
  if (
    typeof v !== 'string' ||
    !/^\d+(\.\d{1,2})?$/.test(v.trim()) ||
    (Number(v) <= 0 && field === 'socialAverageWage')
  ) {
    throw new DomainError(
      'bad-request',
      `${field}：应为金额（元，最多两位小数），例如 96000 / ${field} must be an amount in 元 with at most two decimals, e.g. 96000`,
    );
  }
  return v.trim();
}

/**
 * A stored result as the pages show it: employees' names masked (张*) in exclusions and subsidy lists, ID-shaped values quoted in problems
 * masked. The full names stay in the database, for the employer's own annotated workbook only.
 */
function masked<T extends object>(result: T): T {
  const r = result as {
    exclusions?: { name: string }[];
    subsidies?: { list?: { name: string }[] }[];
    problems?: { value?: string }[];
  };
  const names = <X extends { name: string }>(xs: X[]) => xs.map((x) => ({ ...x, name: maskName(x.name) }));
  return {
    ...result,
    ...(r.exclusions && { exclusions: names(r.exclusions) }),
    ...(r.subsidies && { subsidies: r.subsidies.map((x) => (x.list ? { ...x, list: names(x.list) } : x)) }),
    ...(r.problems && {
      problems: r.problems.map((p) => (p.value === undefined ? p : { ...p, value: maskDigits(p.value) })),
    }),
  };
}

function publicRow(x: SubmissionListRow) {
  return {
    id: x.id,
    employer: { name: x.employer_name, uscc: x.uscc, county: x.county, unitType: x.unit_type },
    year: x.year,
    version: x.version,
    status: x.status,
    /** the later version that superseded this one, null while it is current */
    supersededByVersion: x.superseded_by_version ?? null,
    quotaStatus: x.quota_status,
    avgStaff: x.avg_staff,
    required: x.required,
    avgWeighted: x.avg_weighted,
    levyPayable: x.levy_payable_fen / 100,
    rewardTotal: x.reward_total_fen / 100,
    vatRefundCeiling: x.vat_ceiling_fen / 100,
    concentratedMonths: x.concentrated_months,
    submittedAt: x.submitted_at,
    reviewedAt: x.reviewed_at,
    returnReason: x.return_reason,
  };
}
