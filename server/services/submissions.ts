/**
 * Submitting a checked result to the county bureau, resubmitting (a new version that says what changed),
 * and the bureau's review (accept, or return with a reason the employer sees). Every step is audited in
 * the same transaction as the change itself.
 */
import type { Knex } from 'knex';
import { appendAudit, type AuditEntry } from '../../db/stores/audit';
import { findCheck, type CheckRow } from '../../db/stores/checks';
import {
  findSubmission,
  findSubmissionOfCheck,
  insertSubmission,
  latestVersion,
  previousVersion,
  reviewSubmission,
  supersedeEarlierVersions,
  type SubmissionRow,
} from '../../db/stores/submissions';
import type { CheckResult } from '../rules/result';
import type { EmployeeKey } from './employee-keys';
import { computedResult, substanceOf } from '../../reports/stored-result';
import { DomainError, type ErrorKind } from './errors';
import { said } from '../i18n/t';
import { sameFigure } from './figure-diff';
import { findDeadlines, supersedeEarlierClaims } from '../../db/stores/procedure';
import { todayInChina } from './notices';
import { isLate, issueCertificate, recordRewardChoice, type RewardChoice } from './procedure';

export const fen = (yuan: number) => Math.round(yuan * 100);

export type SubmissionErrorCode =
  | 'not-found'
  | 'has-problems'
  | 'not-pending'
  | 'reason-required'
  | 'already-submitted'
  | 'identical'
  | 'reward-choice-required'
  | 'superseded';

/** What the user is told, and how to fix it, for each refusal. */
export const SUBMISSION_ERROR_TEXT: Record<SubmissionErrorCode, { zh: string; en: string }> = {
  'not-found': said('submission.error.not-found'),
  'has-problems': said('submission.error.has-problems'),
  'not-pending': said('submission.error.not-pending'),
  'reason-required': said('submission.error.reason-required'),
  'already-submitted': said('submission.error.already-submitted'),
  identical: said('submission.error.identical'),
  'reward-choice-required': said('submission.error.reward-choice-required'),
  superseded: said('submission.error.superseded'),
};

const KIND: Record<SubmissionErrorCode, ErrorKind> = {
  'not-found': 'not-found',
  'has-problems': 'invalid',
  'not-pending': 'conflict',
  'reason-required': 'invalid',
  'already-submitted': 'conflict',
  identical: 'conflict',
  'reward-choice-required': 'invalid',
  superseded: 'conflict',
};

export class SubmissionError extends DomainError {
  constructor(
    readonly code: SubmissionErrorCode,
    message: string,
    text: { zh: string; en: string } = SUBMISSION_ERROR_TEXT[code],
  ) {
    super(KIND[code], message, text, code);
  }
}

export function parseResult(c: CheckRow): CheckResult | null {
  return computedResult(c.result_json);
}

export async function submitCheck(
  db: Knex,
  user: { id: number; username: string },
  employerId: number,
  check: string | CheckRow,
  opts: { rewardChoice?: RewardChoice } = {},
): Promise<{ id: number; version: number }> {
  // the caller may pass the result it has just read (the route reads it to authorise the request)
  const c = typeof check === 'string' ? await findCheck(db, check) : check;
  const checkId = typeof check === 'string' ? check : check.id;
  if (!c || c.employer_id !== employerId) throw new SubmissionError('not-found', 'no such result');
  const r = parseResult(c);
  if (!r) throw new SubmissionError('has-problems', 'a workbook with problems cannot be submitted');
  // three look-ups that do not depend on each other, at once (on SQLite, beside the writer)
  const [submitted, last, deadlines] = await Promise.all([
    findSubmissionOfCheck(db, checkId),
    latestVersion(db, employerId, r.employer.year),
    findDeadlines(db, r.employer.year),
  ]);
  if (submitted) throw new SubmissionError('already-submitted', 'this result was already submitted');
  if (last && (await sameAsSubmitted(db, c, last)))
    throw new SubmissionError('identical', 'identical to the last submitted version');
  const hasReward = r.rewards.some((x) => x.amount > 0);
  if (hasReward && !opts.rewardChoice)
    throw new SubmissionError('reward-choice-required', 'choose to apply for the reward or give it up');
  const late = isLate(deadlines, todayInChina());
  // the transaction holds the one SQLite writer: only its writes in it, as few statements as they can be
  return db.transaction(async (trx) => {
    const s = await insertSubmission(trx, {
      employer_id: employerId,
      year: r.employer.year,
      check_id: checkId,
      status: 'submitted',
      quota_status: r.quota.status,
      avg_staff: r.annual.avgStaff,
      required: r.quota.required,
      avg_weighted: r.annual.avgWeighted,
      levy_payable_fen: fen(r.levy.payable),
      reward_total_fen: fen(r.rewards.reduce((a, x) => a + x.amount, 0)),
      vat_ceiling_fen: fen(r.concentrated.vatRefundCeiling),
      concentrated_months: r.concentrated.months.length,
      submitted_by: user.id,
      submitted_at: new Date().toISOString(),
      ...(late ? { late: true } : {}),
    });
    // the new version supersedes every earlier one of the year, and the reward application made with it:
    // a superseded version is no longer reviewed, and its reward is never approved or published
    if (s.version > 1) {
      await supersedeEarlierVersions(trx, employerId, r.employer.year, s.version);
      await supersedeEarlierClaims(trx, employerId, r.employer.year, s.version);
    }
    const entries: AuditEntry[] = [
      {
        actor: user.username,
        action: 'submission.submitted',
        target: `submission:${s.id}`,
        detail: {
          employer: employerId,
          year: r.employer.year,
          version: s.version,
          check: checkId,
          ...(late ? { late } : {}),
        },
      },
    ];
    if (hasReward)
      entries.push(
        await recordRewardChoice(
          trx,
          user,
          { id: s.id, employer_id: employerId, year: r.employer.year, county: r.employer.county },
          r,
          opts.rewardChoice!,
        ),
      );
    await appendAudit(trx, entries);
    return s;
  });
}

/**
 * Two checked results say the same thing when their figures, the employees counted or excluded and the
 * staff list are the same — a resubmission of such a result would add a version with nothing new.
 */
export async function identicalLatest(db: Knex, c: CheckRow): Promise<SubmissionRow | undefined> {
  const r = parseResult(c);
  if (!r) return undefined;
  const last = await latestVersion(db, c.employer_id, r.employer.year);
  return last && last.check_id !== c.id && (await sameAsSubmitted(db, c, last)) ? last : undefined;
}

/** What a stored result says, as a fingerprint: the one stored with it, or computed from its text. */
const substanceOfCheck = (c: CheckRow): string | null =>
  c.substance ?? substanceOf(c.result_json, c.employee_keys_json);

/**
 * Whether a result says the same as a submitted version (reports/stored-result.ts, `substanceOf`): two
 * fingerprints compared; the submitted version's result is read only when its fingerprint was not stored.
 */
async function sameAsSubmitted(
  db: Knex,
  c: CheckRow,
  last: SubmissionRow & { check_substance: string | null },
): Promise<boolean> {
  const mine = substanceOfCheck(c);
  if (!mine) return false;
  if (last.check_substance) return last.check_substance === mine;
  const before = await findCheck(db, last.check_id);
  return !!before && substanceOfCheck(before) === mine;
}

export async function reviewDecision(
  db: Knex,
  officer: { id: number; username: string },
  submissionId: number,
  decision: 'accepted' | 'returned',
  reason: string | null,
): Promise<void> {
  if (decision === 'returned' && !reason?.trim())
    throw new SubmissionError('reason-required', 'a return needs a reason the employer will see');
  await db.transaction(async (trx) => {
    const n = await reviewSubmission(
      trx,
      submissionId,
      decision,
      officer.id,
      decision === 'returned' ? reason!.trim().slice(0, 2000) : null,
    );
    if (n !== 1) {
      const sub = await findSubmission(trx, submissionId);
      if (sub?.superseded_by_version)
        throw new SubmissionError(
          'superseded',
          `superseded by version ${sub.superseded_by_version}`,
          said('submission.error.superseded', { v: sub.version, n: sub.superseded_by_version }),
        );
      throw new SubmissionError('not-pending', 'only a submission awaiting review can be accepted or returned');
    }
    if (decision === 'accepted') {
      // the 审核确认书 is issued with the acceptance, never for a returned submission
      const sub = (await findSubmission(trx, submissionId))!;
      const result = parseResult((await findCheck(trx, sub.check_id))!);
      if (result) await issueCertificate(trx, officer, sub, result);
    }
    await appendAudit(trx, {
      actor: officer.username,
      action: `submission.${decision}`,
      target: `submission:${submissionId}`,
      detail: decision === 'returned' ? { reason: reason!.trim().slice(0, 200) } : {},
    });
  });
}

export interface FigureChange {
  figure: string;
  before: number | string;
  after: number | string;
}

export interface SubmissionDiff {
  previousVersion: number;
  figures: FigureChange[];
  added: EmployeeKey[];
  removed: EmployeeKey[];
}

const FIGURES: [string, (s: SubmissionRow) => number | string][] = [
  ['quota.status', (s) => s.quota_status],
  ['annual.avgStaff', (s) => s.avg_staff],
  ['annual.avgWeighted', (s) => s.avg_weighted],
  ['quota.required', (s) => s.required],
  ['levy.payable', (s) => s.levy_payable_fen / 100],
  ['rewards.total', (s) => s.reward_total_fen / 100],
  ['concentrated.vatRefundCeiling', (s) => s.vat_ceiling_fen / 100],
  ['concentrated.months', (s) => s.concentrated_months],
];

/** What changed against the previous version: figures, and employees added or removed (by keyed ID hash). */
export async function diffWithPrevious(db: Knex, submissionId: number): Promise<SubmissionDiff | null> {
  const s = await findSubmission(db, submissionId);
  if (!s) return null;
  const prev = await previousVersion(db, s);
  if (!prev) return null;
  // values compared, not their representations: 0.6 and 0.6000000238 (a float read back) are the same figure
  const figures = FIGURES.map(([figure, get]) => ({ figure, before: get(prev), after: get(s) })).filter(
    (f) => !sameFigure(f.figure, f.before, f.after),
  );
  const keys = async (checkId: string) =>
    JSON.parse((await findCheck(db, checkId))!.employee_keys_json) as EmployeeKey[];
  const [before, after] = await Promise.all([keys(prev.check_id), keys(s.check_id)]);
  const had = new Set(before.map((k) => k.h)),
    has = new Set(after.map((k) => k.h));
  return {
    previousVersion: prev.version,
    figures,
    added: after.filter((k) => !had.has(k.h)),
    removed: before.filter((k) => !has.has(k.h)),
  };
}
