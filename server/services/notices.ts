/**
 * The notice lifecycle (docs/rules.md §7, J3.2): an officer builds a draft for their county and year from the
 * accepted submissions, previews it, and publishes it with a 公示期, an objection contact and a document
 * number. A published notice is immutable; building again after publication makes a correction draft that
 * replaces the latest published version and records what changed. Objections are accepted during the
 * 公示期 only. Every step is audited in the transaction that makes it.
 */
import { beijingToday } from '../i18n/format';
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import {
  advanceObjection,
  findDraft as findStoredDraft,
  findNotice as findStoredNotice,
  findReplacement,
  insertDraft,
  insertObjection,
  listNotices,
  publishDraft,
  updateDraft,
  deleteDraft,
  type Notice,
} from '../../db/stores/notices';
import { listEmployersInCounty } from '../../db/stores/employers';
import { listRegister } from '../../db/stores/register';
import { listAcceptedLatest, listSubmissions } from '../../db/stores/submissions';
import { listRewardClaims } from '../../db/stores/procedure';
import {
  buildNotice,
  normaliseBody,
  noticeEntries,
  noticeTitle,
  type NoticeBody,
  type NoticeSource,
} from '../../reports/disclosure/build-notice';
import { diffNotices, isEmptyChange } from '../../reports/disclosure/notice-diff';
import {
  dayCount,
  ISSUER_FIELDS,
  noticeDocument,
  type Issuer,
  type NoticeDocument,
} from '../../reports/disclosure/notice-document';
import { isContact } from './contact';
import { countyIssuer } from './county-settings';
import { addDays, isValidISODate } from '../rules/calendar';
import type { UnitType } from '../rules/types';

/** A stored notice with its body in the current layout (a body stored in the older one is converted). */
const current = (n: Notice | undefined): Notice | undefined => n && { ...n, body: normaliseBody(n.body) };
export const findNotice = async (db: Knex, id: number) => current(await findStoredNotice(db, id));
const findDraft = async (db: Knex, county: string, year: number) => current(await findStoredDraft(db, county, year));
import { DomainError } from './errors';
import { said } from '../i18n/t';

/** docs/rules.md §7: the 公示期 is 7 days unless the officer sets another length (1–60 days, our bound). */
export const NOTICE_DAYS = { default: 7, min: 1, max: 60 } as const;

export type NoticeErrorCode =
  | 'not-draft'
  | 'bad-period'
  | 'period-past'
  | 'issuer-missing'
  | 'doc-no-required'
  | 'doc-no-same'
  | 'note-required'
  | 'empty-correction'
  | 'not-latest'
  | 'objection-closed'
  | 'objection-incomplete'
  | 'bad-contact'
  | 'not-an-entry'
  | 'answer-required'
  | 'findings-required'
  | 'outcome-required'
  | 'wrong-step';

export const NOTICE_ERROR_TEXT: Record<NoticeErrorCode, { zh: string; en: string }> = {
  'not-draft': said('error.notice.not-draft'),
  'bad-period': said('error.notice.bad-period', NOTICE_DAYS),
  'period-past': said('error.notice.period-past'),
  'issuer-missing': said('error.notice.issuer-missing'),
  'doc-no-required': said('error.notice.doc-no-required'),
  'doc-no-same': said('error.notice.doc-no-same'),
  'note-required': said('error.notice.note-required'),
  'empty-correction': said('error.notice.empty-correction'),
  'not-latest': said('error.notice.not-latest'),
  'objection-closed': said('error.notice.objection-closed'),
  'objection-incomplete': said('error.notice.objection-incomplete'),
  'bad-contact': said('error.notice.bad-contact'),
  'not-an-entry': said('error.notice.not-an-entry'),
  'answer-required': said('error.notice.answer-required'),
  'findings-required': said('error.notice.findings-required'),
  'outcome-required': said('error.notice.outcome-required'),
  'wrong-step': said('error.notice.wrong-step'),
};

const CONFLICTS: NoticeErrorCode[] = ['not-draft', 'objection-closed'];

export class NoticeError extends DomainError {
  constructor(readonly code: NoticeErrorCode) {
    super(CONFLICTS.includes(code) ? 'conflict' : 'invalid', code, NOTICE_ERROR_TEXT[code], code);
  }
}

type Actor = { id: number; username: string };

/** Today's date in 嘉兴 (UTC+8, no daylight saving): the notice period is counted in local days. */
export function todayInChina(now = new Date()): string {
  return beijingToday(now);
}

/** Objections are open from the first to the last day of the 公示期, inclusive, and only on a notice not yet replaced. */
export function objectionsOpen(
  n: Pick<Notice, 'status' | 'period_start' | 'period_end'>,
  today: string,
  replaced: boolean,
): boolean {
  return (
    n.status === 'published' &&
    !replaced &&
    !!n.period_start &&
    !!n.period_end &&
    n.period_start <= today &&
    today <= n.period_end
  );
}

export async function noticeSources(db: Knex, county: string, year: number): Promise<NoticeSource[]> {
  // rewards are claimed: a unit is on the reward list only when its application was approved (or paid), and
  // only the current version's: a superseded version's amount is never published
  const approved = new Set(
    (await listRewardClaims(db, { county, year, statuses: ['approved', 'paid'], currentOnly: true })).map(
      (c) => c.submission_id,
    ),
  );
  return (await listAcceptedLatest(db, county, year)).map((s) => ({
    rewardApproved: approved.has(s.id),
    name: s.employer_name,
    uscc: s.uscc,
    unitType: s.unit_type as UnitType,
    avgStaff: s.avg_staff,
    required: s.required,
    avgWeighted: s.avg_weighted,
    quotaStatus: s.quota_status as NoticeSource['quotaStatus'],
    concentratedMonths: s.concentrated_months,
    levyPayableFen: s.levy_payable_fen,
    rewardTotalFen: s.reward_total_fen,
  }));
}

async function latestPublished(db: Knex, county: string, year: number) {
  return (await listNotices(db, { county, year, status: 'published' }))[0];
}

/**
 * Builds (or rebuilds) the county's draft for the year from the accepted submissions. After a publication
 * the draft is a correction of the latest edition, prefilled with its period length; its document number is
 * left for the officer, since a correction is a new document with its own number (the page shows the
 * corrected notice's number beside the field).
 * A new draft's 公示期 starts today for the default length; the officer sets both before publishing.
 */
export async function buildDraft(
  db: Knex,
  user: Actor,
  county: string,
  year: number,
  opts: { today?: string } = {},
): Promise<number> {
  const today = opts.today ?? todayInChina();
  const body = buildNotice(await noticeSources(db, county, year));
  const prev = await latestPublished(db, county, year);
  const previous = prev ? (await findNotice(db, prev.id))! : undefined;
  const change_json = previous ? JSON.stringify(diffNotices(previous.body, body)) : null;
  const days =
    previous?.period_start && previous.period_end
      ? dayCount(previous.period_start, previous.period_end)
      : NOTICE_DAYS.default;
  return db.transaction(async (trx) => {
    const existing = await findDraft(trx, county, year);
    let id: number;
    if (existing) {
      id = existing.id;
      await updateDraft(trx, id, { amount_column: 'both', body_json: JSON.stringify(body), change_json });
    } else {
      id = await insertDraft(trx, {
        county,
        year,
        title: noticeTitle(county, year),
        amount_column: 'both',
        body_json: JSON.stringify(body),
        replaces_id: previous?.id ?? null,
        change_json,
        created_by: user.id,
        doc_no: null,
        period_start: today,
        period_end: addDays(today, days - 1),
      });
    }
    await appendAudit(trx, {
      actor: user.username,
      action: existing ? 'notice.draft-rebuilt' : 'notice.draft-built',
      target: `notice:${id}`,
      detail: { county, year, entries: countRows(body), replaces: previous?.id ?? null },
    });
    return id;
  });
}

/** "发布更正" on a published notice: a correction draft of it (only the latest edition can be corrected). */
export async function startCorrection(db: Knex, user: Actor, publishedId: number): Promise<number> {
  const n = await findNotice(db, publishedId);
  if (!n || n.status !== 'published') throw new NoticeError('not-latest');
  if (await findReplacement(db, n.id)) throw new NoticeError('not-latest');
  return buildDraft(db, user, n.county, n.year);
}

export const countRows = (b: NoticeBody) => noticeEntries(b).length;

export interface DraftDetails {
  docNo: string;
  periodStart: string;
  days: number;
  note: string;
}

/** The document number, the 公示期 and, on a correction, its note: saved on the draft, so the preview shows them. */
export async function setDraftDetails(db: Knex, user: Actor, id: number, f: DraftDetails): Promise<void> {
  const n = await findNotice(db, id);
  if (!n || n.status !== 'draft') throw new NoticeError('not-draft');
  if (
    !isValidISODate(f.periodStart) ||
    !Number.isInteger(f.days) ||
    f.days < NOTICE_DAYS.min ||
    f.days > NOTICE_DAYS.max
  )
    throw new NoticeError('bad-period');
  await db.transaction(async (trx) => {
    const ok = await updateDraft(trx, id, {
      doc_no: f.docNo.trim().slice(0, 100) || null,
      period_start: f.periodStart,
      period_end: addDays(f.periodStart, f.days - 1),
      change_note: n.replaces_id ? f.note.trim().slice(0, 2000) || null : null,
    });
    if (!ok) throw new NoticeError('not-draft');
    await appendAudit(trx, {
      actor: user.username,
      action: 'notice.draft-details',
      target: `notice:${id}`,
      detail: { docNo: f.docNo.trim().slice(0, 100), periodStart: f.periodStart, days: f.days },
    });
  });
}

/** Two document numbers are the same when they differ only in spaces (a correction needs its own). */
function sameDocNo(a: string | null | undefined, b: string | null | undefined): boolean {
  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, '');
  return !!norm(a) && norm(a) === norm(b);
}

/** Why a draft cannot be published yet (empty when it can): the checks publishing makes, for the page to show first. */
export async function publishBlockers(db: Knex, n: Notice, today = todayInChina()): Promise<NoticeErrorCode[]> {
  const out: NoticeErrorCode[] = [];
  if (n.status !== 'draft') return ['not-draft'];
  const issuer = await countyIssuer(db, n.county);
  if (ISSUER_FIELDS.some((f) => !issuer[f]?.trim())) out.push('issuer-missing');
  if (!n.doc_no?.trim()) out.push('doc-no-required');
  else if (n.replaces_id && sameDocNo(n.doc_no, (await findNotice(db, n.replaces_id))?.doc_no)) out.push('doc-no-same');
  if (!n.period_start || !n.period_end || !isValidISODate(n.period_start)) out.push('bad-period');
  else if (n.period_start < today) out.push('period-past'); // a period already running or over hides part of it from the public
  if (n.replaces_id && isEmptyChange(n.change)) out.push('empty-correction');
  if (n.replaces_id && !n.change_note?.trim()) out.push('note-required');
  return out;
}

/**
 * Publishes a draft exactly as previewed, with the county's issuing body and objection contact as they are
 * now (kept on the notice). Refused while anything is missing, and for a correction that changes nothing.
 */
export async function publishNotice(
  db: Knex,
  user: Actor,
  id: number,
  details?: DraftDetails,
  today = todayInChina(),
): Promise<number> {
  if (details) await setDraftDetails(db, user, id, details);
  const n = await findNotice(db, id);
  if (!n || n.status !== 'draft') throw new NoticeError('not-draft');
  const blockers = await publishBlockers(db, n, today);
  if (blockers.length) throw new NoticeError(blockers[0]);
  const issuer = (await countyIssuer(db, n.county)) as Issuer;
  return db.transaction(async (trx) => {
    const version = await publishDraft(trx, id, {
      publisher: issuer.issuingBody,
      objection_contact: `${issuer.contactPerson} ${issuer.telephone}`.slice(0, 200),
      contact_person: issuer.contactPerson,
      telephone: issuer.telephone,
      address: issuer.address,
      office_hours: issuer.officeHours,
      published_by: user.id,
    });
    if (version === null) throw new NoticeError('not-draft');
    await appendAudit(trx, {
      actor: user.username,
      action: 'notice.published',
      target: `notice:${id}`,
      detail: { county: n.county, year: n.year, version, replaces: n.replaces_id, entries: countRows(n.body) },
    });
    return version;
  });
}

/** Beijing date of an ISO timestamp. */
export const chinaDateOf = (iso: string) => todayInChina(new Date(iso));

/**
 * The notice as the official document: a published one with the issuer it was published with, a draft
 * with its county's current settings — the same document the public will read.
 */
export async function noticeDocumentOf(
  db: Knex,
  n: Notice,
  lang: 'zh' | 'en',
  today = todayInChina(),
): Promise<NoticeDocument> {
  const replaces = n.replaces_id ? await findNotice(db, n.replaces_id) : undefined;
  const issuer: Partial<Issuer> =
    n.status === 'published'
      ? {
          issuingBody: n.publisher ?? '',
          contactPerson: n.contact_person ?? n.objection_contact ?? '',
          telephone: n.telephone ?? '',
          address: n.address ?? '',
          officeHours: n.office_hours ?? '',
        }
      : await countyIssuer(db, n.county);
  return noticeDocument(
    {
      county: n.county,
      year: n.year,
      docNo: n.doc_no,
      edition: n.version ?? (replaces ? (replaces.version ?? 0) + 1 : null),
      replaces: replaces
        ? {
            version: replaces.version ?? 1,
            docNo: replaces.doc_no,
            publishedOn: replaces.published_at ? chinaDateOf(replaces.published_at) : null,
          }
        : null,
      change: n.change,
      changeNote: n.change_note,
      periodStart: n.period_start,
      periodEnd: n.period_end,
      issuedOn: n.published_at ? chinaDateOf(n.published_at) : today,
      issuer,
      body: n.body,
    },
    lang,
  );
}

export async function discardDraft(db: Knex, user: Actor, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    if (!(await deleteDraft(trx, id))) throw new NoticeError('not-draft');
    await appendAudit(trx, { actor: user.username, action: 'notice.draft-discarded', target: `notice:${id}` });
  });
}

export interface ObjectionForm {
  name: string;
  contact: string;
  uscc: string;
  reason: string;
}

/** The reference an objector keeps: the year it was lodged and its number, e.g. YY2026-000042. */
export const objectionReference = (id: number, createdAt: string) =>
  `YY${chinaDateOf(createdAt).slice(0, 4)}-${String(id).padStart(6, '0')}`;

export async function lodgeObjection(
  db: Knex,
  noticeId: number,
  f: ObjectionForm,
  today = todayInChina(),
): Promise<{ id: number; reference: string }> {
  const n = await findNotice(db, noticeId);
  if (!n || n.status !== 'published') throw new NoticeError('objection-closed');
  if (!objectionsOpen(n, today, !!(await findReplacement(db, n.id)))) throw new NoticeError('objection-closed');
  const [name, contact, reason] = [f.name.trim(), f.contact.trim(), f.reason.trim()];
  if (!name || !contact || !reason || !f.uscc) throw new NoticeError('objection-incomplete');
  if (!isContact(contact)) throw new NoticeError('bad-contact');
  const entry = noticeEntries(n.body).find((r) => r.uscc === f.uscc);
  if (!entry) throw new NoticeError('not-an-entry');
  return db.transaction(async (trx) => {
    const id = await insertObjection(trx, {
      notice_id: n.id,
      entry_uscc: entry.uscc,
      entry_name: entry.name,
      name: name.slice(0, 100),
      contact: contact.slice(0, 100),
      reason: reason.slice(0, 4000),
    });
    const reference = objectionReference(id, new Date().toISOString());
    // the objector's name and contact stay out of the audit detail: only which entry is disputed
    await appendAudit(trx, {
      actor: 'public',
      action: 'objection.lodged',
      target: `objection:${id}`,
      detail: { notice: n.id, entry: entry.uscc, reference },
    });
    return { id, reference };
  });
}

export const OUTCOMES = ['upheld', 'partly', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One step of handling an objection — 受理, 核实 (with findings), 答复 (with the answer and the outcome) — audited. */
export async function handleObjection(
  db: Knex,
  user: Actor,
  objectionId: number,
  step: 'accept' | 'verify' | 'answer',
  form: { findings?: string; answer?: string; outcome?: string },
): Promise<void> {
  const findings = (form.findings ?? '').trim().slice(0, 4000);
  const text = (form.answer ?? '').trim().slice(0, 4000);
  const outcome = OUTCOMES.find((o) => o === form.outcome);
  if (step === 'verify' && !findings) throw new NoticeError('findings-required');
  if (step === 'answer' && !text) throw new NoticeError('answer-required');
  if (step === 'answer' && !outcome) throw new NoticeError('outcome-required');
  await db.transaction(async (trx) => {
    const ok =
      step === 'accept'
        ? await advanceObjection(trx, objectionId, user.id, { to: 'accepted' })
        : step === 'verify'
          ? await advanceObjection(trx, objectionId, user.id, { to: 'verified', findings })
          : await advanceObjection(trx, objectionId, user.id, { to: 'answered', answer: text, outcome: outcome! });
    if (!ok) throw new NoticeError('wrong-step');
    await appendAudit(trx, {
      actor: user.username,
      action: `objection.${step === 'accept' ? 'accepted' : step === 'verify' ? 'verified' : 'answered'}`,
      target: `objection:${objectionId}`,
      detail: step === 'answer' ? { outcome } : {},
    });
  });
}

/**
 * Before building: how many of the county's employers have an accepted result for the year, how many wait
 * for review (or were returned) and how many have not submitted — a notice built now lists only the first.
 */
export async function buildChecklist(
  db: Knex,
  county: string,
  year: number,
): Promise<{ accepted: number; pending: number; returned: number; missing: number; employers: number }> {
  // the county's register of units for the year where it has one, else the employers with accounts
  const units = await listRegister(db, year, county);
  const employers = units.length ? units : await listEmployersInCounty(db, county);
  const latest = await listSubmissions(db, { county, year, latestOnly: true });
  const accepted = new Set((await listAcceptedLatest(db, county, year)).map((s) => s.employer_id));
  const pending = latest.filter((s) => s.status === 'submitted' && !accepted.has(s.employer_id)).length;
  const returned = latest.filter((s) => s.status === 'returned' && !accepted.has(s.employer_id)).length;
  const submitted = new Set(latest.map((s) => s.uscc));
  return {
    accepted: accepted.size,
    pending,
    returned,
    missing: employers.filter((e) => !submitted.has(e.uscc)).length,
    employers: employers.length,
  };
}
