/**
 * The year's procedure around a result (docs/rules.md §11–§16):
 * - the verification certificate (审核确认书), issued in the same transaction that accepts a submission;
 *   publicly verifiable by its number and short code (figures only);
 * - reward claims: applied for or given up at submission, approved or refused, marked paid with a date;
 * - the social average wage of a year: entered by an administrator, then every stored result of that year whose
 *   levy was provisional is recomputed from its stored workbook with the same engine, kept as a new version with
 *   its diff, and audited;
 * - per-year deadlines (verification window, tax collection period) and the late flag on submissions;
 * - back-billing of unpaid years with the late fee; carrying a roster forward to the next year.
 */
import { parseMoneyFen } from '../ingest/fields/money';
import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit, type AuditEntry } from '../../db/stores/audit';
import { findCheck } from '../../db/stores/checks';
import { findEmployerById } from '../../db/stores/employers';
import {
  countyIssuingBody,
  findCertificate,
  findCertificateByNumber,
  findCertificateOfSubmission,
  findDeadlines,
  findRewardClaim,
  findRewardClaimOfSubmission,
  insertCertificate,
  insertRewardClaim,
  listCertificatesOf,
  listDeadlines,
  listResultVersions,
  listResultVersionsOfEmployer,
  listRewardClaims,
  putDeadlines,
  updateRewardClaim,
  type CertificateRow,
  type ClaimStatus,
  type RewardClaimListRow,
  type DeadlineRow,
} from '../../db/stores/procedure';
import { findSubmission, listSubmissions, type SubmissionListRow } from '../../db/stores/submissions';
import { findUpload } from '../../db/stores/uploads';
import { findUserById } from '../../db/stores/users';
import { maskName } from '../i18n/labels';
import { ingestFile } from '../ingest';
import { buildCarryForward } from '../ingest/carry-forward';
import { isValidISODate, type ISODate } from '../rules/calendar';
import { computeArrears, levyAsIfNobodyPlaced, type ArrearsYear } from '../rules/late-fee';
import { Q } from '../rules/money';
import type { CheckResult } from '../rules/result';
import { COUNTY_CODES, employerWith, type County, type Employer } from '../rules/types';
import { todayInChina } from './notices';
import { DomainError, type ErrorKind } from './errors';
import type { ParameterService } from './parameters';
import { disabilityWeight } from '../rules/parameters/lookup';
import type { UploadFiles } from './upload-files';
import type { RecomputeRun, YearRecompute } from './recompute';
import { said } from '../i18n/t';
import { normaliseTypedCode } from './typed-code';

type Actor = { id: number; username: string };
const fen = (yuan: number) => Math.round(yuan * 100);

export type ProcedureErrorCode =
  | 'not-found'
  | 'bad-transition'
  | 'reason-required'
  | 'bad-date'
  | 'bad-amount'
  | 'bad-year'
  | 'bad-window'
  | 'no-inputs'
  | 'source-required'
  | 'superseded'
  | 'not-accepted'
  | 'not-confirmed';
export const PROCEDURE_ERROR_TEXT: Record<ProcedureErrorCode, { zh: string; en: string }> = {
  'not-found': said('error.procedure.not-found'),
  'bad-transition': said('error.procedure.bad-transition'),
  'reason-required': said('error.procedure.reason-required'),
  'bad-date': said('error.procedure.bad-date'),
  'bad-amount': said('error.procedure.bad-amount'),
  'bad-year': said('error.procedure.bad-year'),
  'bad-window': said('error.procedure.bad-window'),
  'no-inputs': said('error.procedure.no-inputs'),
  'source-required': said('error.procedure.source-required'),
  superseded: said('error.procedure.superseded'),
  'not-accepted': said('error.procedure.not-accepted'),
  'not-confirmed': said('error.procedure.not-confirmed'),
};

const KIND: Record<ProcedureErrorCode, ErrorKind> = {
  'not-found': 'not-found',
  'bad-transition': 'conflict',
  'reason-required': 'invalid',
  'bad-date': 'invalid',
  'source-required': 'invalid',
  'bad-amount': 'invalid',
  'bad-year': 'invalid',
  'bad-window': 'invalid',
  'no-inputs': 'gone',
  superseded: 'conflict',
  'not-accepted': 'conflict',
  'not-confirmed': 'conflict',
};

export class ProcedureError extends DomainError {
  constructor(
    readonly code: ProcedureErrorCode,
    text: { zh: string; en: string } = PROCEDURE_ERROR_TEXT[code],
  ) {
    super(KIND[code], code, text, code);
  }
}

// ── certificate ─────────────────────────────────────────────────────────────────
export interface CertificateBody {
  employer: { name: string; uscc: string; county: string; unitType: string };
  year: number;
  months: { month: number; disabled: number; weighted: number }[];
  persons: { name: string; weight: number; months: number[] }[];
  /** The annual figure for column 7 of the tax form: Σ weighted(m) / 12, unrounded, and as shown (2 decimals). */
  col7: number;
  weightedSum: number;
}

/** Short codes avoid look-alike characters (0/O, 1/I/L). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const shortCode = () => Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

/** Issues the 审核确认书 of an accepted submission, in the caller's transaction; names are stored masked. */
export async function issueCertificate(
  trx: Knex.Transaction,
  officer: Actor,
  sub: SubmissionListRow,
  result: CheckResult,
): Promise<CertificateRow> {
  const existing = await findCertificateOfSubmission(trx, sub.id);
  if (existing) return existing;
  const body: CertificateBody = {
    employer: {
      name: result.employer.name,
      uscc: result.employer.uscc,
      county: result.employer.county,
      unitType: result.employer.unitType,
    },
    year: result.employer.year,
    months: result.months.map((m) => ({ month: m.month, disabled: m.disabled, weighted: m.weighted })),
    persons: (result.counted ?? []).map((c) => ({ name: maskName(c.name), weight: c.weight, months: c.months })),
    col7: result.annual.avgWeighted,
    weightedSum: result.months.reduce((a, m) => a + m.weighted, 0),
  };
  const user = await findUserById(trx, officer.id);
  const county = sub.county as County;
  // the issuing body is the county's configured setting; none is invented (the line stays empty until it is set)
  const issuingBody = (await countyIssuingBody(trx, county)) ?? '';
  const cert = await insertCertificate(
    trx,
    {
      code: shortCode(),
      submission_id: sub.id,
      employer_id: sub.employer_id,
      year: sub.year,
      county,
      issuing_body: issuingBody,
      officer_name: user?.display_name ?? officer.username,
      issued_on: todayInChina(),
      body_json: JSON.stringify(body),
    },
    (seq) => `${COUNTY_CODES[county] ?? '330400'}-${sub.year}-${String(seq).padStart(4, '0')}`,
  );
  await appendAudit(trx, {
    actor: officer.username,
    action: 'certificate.issued',
    target: `certificate:${cert.number}`,
    detail: { submission: sub.id, employer: sub.employer_id, year: sub.year },
  });
  return cert;
}

export interface CertificateView {
  row: CertificateRow;
  body: CertificateBody;
}
const viewOf = (row: CertificateRow): CertificateView => ({ row, body: JSON.parse(row.body_json) as CertificateBody });

/** The public check: number + code must both match; only figures leave (no names, no credit code). */
export async function verifyCertificate(db: Knex, number: string, code: string) {
  const row = await findCertificateByNumber(db, normaliseTypedCode(number).slice(0, 40));
  if (!row || row.code !== normaliseTypedCode(code).toUpperCase()) return null;
  const b = viewOf(row).body;
  return {
    number: row.number,
    issuedOn: row.issued_on,
    issuingBody: row.issuing_body,
    year: row.year,
    unitName: b.employer.name,
    county: b.employer.county,
    months: b.months,
    col7: b.col7,
    weightedSum: b.weightedSum,
    persons: b.persons.length,
  };
}

// ── reward claims ───────────────────────────────────────────────────────────────
export type RewardChoice = 'apply' | 'waive';

/**
 * At submission, in the caller's transaction: a result with a reward records the employer's choice. Returns
 * the choice's audit entry, which the caller appends after its own.
 */
export async function recordRewardChoice(
  trx: Knex.Transaction,
  actor: Actor,
  sub: { id: number; employer_id: number; year: number; county: string },
  result: CheckResult,
  choice: RewardChoice,
): Promise<AuditEntry> {
  const amount = result.rewards.reduce((a, r) => a + fen(r.amount), 0);
  const status: ClaimStatus = choice === 'apply' ? 'applied' : 'waived';
  const id = await insertRewardClaim(trx, {
    submission_id: sub.id,
    employer_id: sub.employer_id,
    year: sub.year,
    county: sub.county,
    amount_fen: amount,
    rewards_json: JSON.stringify(result.rewards.map((r) => ({ kind: r.kind, clause: r.clause, amount: r.amount }))),
    status,
  });
  // appended by the caller with the submission's own entry, in one write
  return {
    actor: actor.username,
    action: `reward.${status}`,
    target: `reward-claim:${id}`,
    detail: { submission: sub.id, amount: amount / 100 },
  };
}

/**
 * Why an application cannot be approved now, or null when it can: only the application made with the current
 * version of the year, once that version is accepted, and (when the caller states one) for the amount
 * confirmed. A superseded version's reward is never approved, marked paid or published.
 */
export function approvalBlocker(
  claim: RewardClaimListRow,
  current: { superseded_by_version?: number | null; status: string } | undefined,
  confirmedFen?: number,
): ProcedureError | null {
  const by = claim.superseded_by_version ?? current?.superseded_by_version;
  if (by) return new ProcedureError('superseded', said('error.procedure.superseded', { v: claim.version, n: by }));
  if (claim.status !== 'applied') return new ProcedureError('bad-transition');
  if (current?.status !== 'accepted')
    return new ProcedureError('not-accepted', said('error.procedure.not-accepted', { v: claim.version }));
  if (confirmedFen !== undefined && confirmedFen !== claim.amount_fen) return new ProcedureError('not-confirmed');
  return null;
}

export async function decideRewardClaim(
  db: Knex,
  officer: Actor,
  id: number,
  decision: 'approve' | 'refuse' | 'paid',
  input: { reason?: string; paidOn?: string; confirmedFen?: number },
): Promise<void> {
  const claim = await findRewardClaim(db, id);
  if (!claim) throw new ProcedureError('not-found');
  if (claim.superseded_by_version)
    throw new ProcedureError(
      'superseded',
      said('error.procedure.superseded', { v: claim.version, n: claim.superseded_by_version }),
    );
  await db.transaction(async (trx) => {
    const now = new Date().toISOString();
    let n = 0;
    if (decision === 'approve') {
      // read again in the transaction: a later version or a review may have come in since the page was shown
      const [current, sub] = await Promise.all([findRewardClaim(trx, id), findSubmission(trx, claim.submission_id)]);
      const blocker = approvalBlocker(current!, sub, input.confirmedFen);
      if (blocker) throw blocker;
      n = await updateRewardClaim(trx, id, ['applied'], {
        status: 'approved',
        decided_by: officer.id,
        decided_at: now,
      });
    } else if (decision === 'refuse') {
      const reason = input.reason?.trim();
      if (!reason) throw new ProcedureError('reason-required');
      n = await updateRewardClaim(trx, id, ['applied'], {
        status: 'refused',
        decided_by: officer.id,
        decided_at: now,
        refusal_reason: reason.slice(0, 1000),
      });
    } else {
      if (!input.paidOn || !isValidISODate(input.paidOn)) throw new ProcedureError('bad-date');
      n = await updateRewardClaim(trx, id, ['approved'], { status: 'paid', paid_on: input.paidOn });
    }
    if (n !== 1) throw new ProcedureError('bad-transition');
    const action =
      decision === 'approve' ? 'reward.approved' : decision === 'refuse' ? 'reward.refused' : 'reward.paid';
    await appendAudit(trx, {
      actor: officer.username,
      action,
      target: `reward-claim:${id}`,
      detail:
        decision === 'paid'
          ? { paidOn: input.paidOn }
          : decision === 'refuse'
            ? { reason: input.reason!.trim().slice(0, 200) }
            : {},
    });
  });
}

// ── social average wage → recompute ────────────────────────────────────────────
export { resultDiff, type FigureDiff } from './recompute-one';
export type { RecomputeRun, RecomputeSummary } from './recompute';

/**
 * Stores the administrator's social average wage for `year` (audited, through the parameter service), then
 * starts the year's recompute (./recompute.ts): every provisional stored result of that year recomputed from
 * its raw workbook with the same engine, in the background.
 */
export async function enterSocialAverageWage(
  params: ParameterService,
  recompute: YearRecompute,
  admin: Actor,
  year: number,
  amountText: string,
  source: string,
  lang: 'zh' | 'en' = 'zh',
): Promise<{ ok: true; run: RecomputeRun } | { ok: false; problems: string[] }> {
  // refusals in the reader's language only: one language per page
  // every field is checked, so the form shows all that is wrong at once
  const problems: string[] = [];
  if (!Number.isInteger(year) || year < 2016 || year > 2100) problems.push(PROCEDURE_ERROR_TEXT['bad-year'][lang]);
  // read as the workbook's amounts are: "96000", "96,000", "96000.50"
  const amount = parseMoneyFen(amountText.trim());
  if (!amount.ok) problems.push(PROCEDURE_ERROR_TEXT['bad-amount'][lang]);
  if (!source.trim()) problems.push(PROCEDURE_ERROR_TEXT['source-required'][lang]);
  if (problems.length || !amount.ok) return { ok: false, problems };
  const added = await params.add(admin, {
    paramId: 'social-average-wage',
    from: `${year}-01-01`,
    to: `${year}-12-31`,
    value: amount.value / 100,
    source,
  });
  if (!added.ok) return { ok: false, problems: added.problems.map((x) => x.message[lang]) };
  return { ok: true, run: await recompute.start(admin, year) };
}

// ── deadlines ───────────────────────────────────────────────────────────────────
export interface DeadlineForm {
  verificationFrom: string;
  verificationTo: string;
  collectionFrom: string;
  collectionTo: string;
}

export async function setDeadlines(db: Knex, admin: Actor, year: number, f: DeadlineForm): Promise<void> {
  const dates = [f.verificationFrom, f.verificationTo, f.collectionFrom, f.collectionTo];
  if (!dates.every((d) => typeof d === 'string' && isValidISODate(d))) throw new ProcedureError('bad-date');
  if (f.verificationTo < f.verificationFrom || f.collectionTo < f.collectionFrom)
    throw new ProcedureError('bad-window');
  await db.transaction(async (trx) => {
    await putDeadlines(trx, {
      year,
      verification_from: f.verificationFrom,
      verification_to: f.verificationTo,
      collection_from: f.collectionFrom,
      collection_to: f.collectionTo,
      updated_by: admin.id,
    });
    await appendAudit(trx, {
      actor: admin.username,
      action: 'deadlines.set',
      target: `year:${year}`,
      detail: { ...f },
    });
  });
}

/** A submission is late when the year's verification window has closed (Beijing date). */
export const isLate = (d: DeadlineRow | undefined, today: ISODate) => !!d && today > d.verification_to;

// ── arrears ─────────────────────────────────────────────────────────────────────
export interface ArrearsInputYear {
  year: number;
  due: string;
  paid?: string;
  avgStaff?: string;
  wageTotal?: string;
}

/**
 * Back-billing an employer: each year with an accepted submission is billed its levy; a year without one is
 * billed as if nobody was placed, from the staff and wage total the officer enters.
 */
export async function arrearsFor(
  db: Knex,
  paramService: ParameterService,
  employerId: number,
  years: ArrearsInputYear[],
  paymentDate: string,
) {
  if (!isValidISODate(paymentDate) || years.some((y) => !isValidISODate(y.due))) throw new ProcedureError('bad-date');
  const employer = await findEmployerById(db, employerId);
  if (!employer) throw new ProcedureError('not-found');
  const params = await paramService.current();
  const accepted = await listSubmissions(db, { employerId, status: 'accepted' });
  const lines: ArrearsYear[] = [];
  const missing: number[] = [];
  for (const y of years) {
    const paid = y.paid && /^\d+(\.\d{1,2})?$/.test(y.paid) ? Q.parse(y.paid) : Q.ZERO;
    const sub = accepted.filter((s) => s.year === y.year).sort((a, b) => b.version - a.version)[0];
    if (sub) {
      lines.push({ year: y.year, levy: Q.of(sub.levy_payable_fen, 100), paid, basis: 'verified', due: y.due });
      continue;
    }
    if (!y.avgStaff || !y.wageTotal || !/^\d+(\.\d+)?$/.test(y.avgStaff) || !/^\d+(\.\d{1,2})?$/.test(y.wageTotal)) {
      missing.push(y.year);
      continue;
    }
    const e = employerWith({
      name: employer.name,
      uscc: employer.uscc,
      county: employer.county as County,
      unitType: employer.unit_type as Employer['unitType'],
      founded: '1900-01-01',
      year: y.year,
    });
    const levy = levyAsIfNobodyPlaced(e, Array(12).fill(Q.parse(y.avgStaff)), Q.parse(y.wageTotal), params);
    lines.push({ year: y.year, levy: levy.levy, paid, basis: 'nobody-placed', due: y.due });
  }
  return { employer, missing, result: computeArrears(lines, paymentDate, params) };
}

// ── carry forward ───────────────────────────────────────────────────────────────
export async function carryForward(
  db: Knex,
  paramService: ParameterService,
  files: UploadFiles,
  checkId: string,
  employerId: number,
) {
  const c = await findCheck(db, checkId);
  if (!c || c.employer_id !== employerId) throw new ProcedureError('not-found');
  const up = await findUpload(db, c.upload_id);
  if (!up || up.purged_at) throw new ProcedureError('no-inputs');
  const stored = await files.open(up.stored_name);
  const ingested = await ingestFile(stored.path, {
    fileName: up.file_name,
    params: await paramService.current(),
  }).finally(() => stored.release());
  if (ingested.hasErrors || !ingested.employer) throw new ProcedureError('no-inputs');
  return buildCarryForward(ingested.employer, ingested.employees);
}

// ── what pages read ─────────────────────────────────────────────────────────────
/** The printed certificate: its stored figures, the 合计 of the monthly counts, and the weighting rule of its year. */
export interface CertificateSheet extends CertificateView {
  totalDisabled: number;
  /** The rule in force at the end of the data year (I6): which certificate grades count as `weight` persons. */
  weighting: { weight: number; grades: readonly number[] };
}

export function procedureQueries(db: Knex, paramService: ParameterService) {
  return {
    certificate: async (id: number): Promise<CertificateSheet | undefined> => {
      const r = await findCertificate(db, id);
      if (!r) return undefined;
      const view = viewOf(r);
      const rule = disabilityWeight(await paramService.current(), `${r.year}-12-31`).value;
      return {
        ...view,
        totalDisabled: view.body.months.reduce((a, m) => a + m.disabled, 0),
        weighting: { weight: rule.weight, grades: rule.certGrades },
      };
    },
    certificateOfSubmission: async (submissionId: number) => {
      const r = await findCertificateOfSubmission(db, submissionId);
      return r && viewOf(r);
    },
    certificatesOf: async (employerId: number) => (await listCertificatesOf(db, employerId)).map(viewOf),
    verify: (number: string, code: string) => verifyCertificate(db, number, code),
    claim: (id: number) => findRewardClaim(db, id),
    /** Why this application cannot be approved now (superseded, not applied, not accepted), or null. */
    approvalBlocker: async (claim: RewardClaimListRow) =>
      approvalBlocker(claim, await findSubmission(db, claim.submission_id)),
    claimOfSubmission: (submissionId: number) => findRewardClaimOfSubmission(db, submissionId),
    claims: (f: Parameters<typeof listRewardClaims>[1]) => listRewardClaims(db, f),
    /** The public reward list: approved (and paid) claims of current versions only. */
    rewardList: (county: string, year: number) =>
      listRewardClaims(db, { county, year, statuses: ['approved', 'paid'], currentOnly: true }),
    versionsOf: (checkId: string) => listResultVersions(db, checkId),
    recomputedFor: (employerId: number) => listResultVersionsOfEmployer(db, employerId),
    deadlines: (year: number) => findDeadlines(db, year),
    allDeadlines: () => listDeadlines(db),
    submission: (id: number) => findSubmission(db, id),
  };
}
