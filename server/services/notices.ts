/**
 * The notice lifecycle (SPEC §7, J3.2): an officer builds a draft for their county and year from the
 * accepted submissions, previews it, and publishes it with a 公示期, an objection contact and a document
 * number. A published notice is immutable; building again after publication makes a correction draft that
 * replaces the latest published version and records what changed. Objections are accepted during the
 * 公示期 only. Every step is audited in the transaction that makes it.
 */
import { beijingToday } from '../i18n/format';
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import { answerObjection, findDraft, findNotice, findReplacement, insertDraft, insertObjection, listNotices, publishDraft, updateDraft, deleteDraft, type Notice } from '../../db/stores/notices';
import { listAcceptedLatest } from '../../db/stores/submissions';
import { buildNotice, noticeTitle, type AmountColumn, type NoticeBody, type NoticeSource } from '../../reports/disclosure/build-notice';
import { diffNotices } from '../../reports/disclosure/notice-diff';
import { addDays, isValidISODate } from '../rules/calendar';
import type { UnitType } from '../rules/types';
import { DomainError } from './errors';

/** SPEC §7: the 公示期 is 7 days unless the officer sets another length (1–60 days, our bound). */
export const NOTICE_DAYS = { default: 7, min: 1, max: 60 } as const;

export type NoticeErrorCode = 'not-draft' | 'bad-period' | 'contact-required' | 'doc-no-required' | 'note-required' | 'objection-closed' | 'objection-incomplete' | 'not-an-entry' | 'answer-required' | 'already-answered';

export const NOTICE_ERROR_TEXT: Record<NoticeErrorCode, { zh: string; en: string }> = {
  'not-draft': { zh: '已发布的公示不能修改；如需更正，请在公示列表中“生成更正稿”并发布新版本', en: 'A published notice cannot be changed; build a correction draft and publish a new version instead' },
  'bad-period': { zh: `公示期有误：“公示开始日期”应为有效日期（YYYY-MM-DD），“公示天数”为 ${NOTICE_DAYS.min}–${NOTICE_DAYS.max} 天`, en: `Check the notice period: "Period starts" must be a real date (YYYY-MM-DD) and "Days" ${NOTICE_DAYS.min}–${NOTICE_DAYS.max}` },
  'contact-required': { zh: '请填写异议受理联系方式（电话或地址）', en: 'Enter the contact for objections (telephone or address)' },
  'doc-no-required': { zh: '请填写文号', en: 'Enter the document number' },
  'note-required': { zh: '更正版本请说明更正内容和原因', en: 'A correction needs a note saying what was corrected and why' },
  'objection-closed': { zh: '该公示不在公示期内，异议受理已结束', en: 'This notice is outside its notice period; objections are closed' },
  'objection-incomplete': { zh: '请填写姓名、联系方式、所涉单位和异议理由', en: 'Enter your name, a contact, the employer concerned and the reason' },
  'not-an-entry': { zh: '所选单位不在本公示中，请从列表中选择', en: 'The employer chosen is not listed in this notice; pick one from the list' },
  'answer-required': { zh: '请填写答复内容', en: 'Enter an answer' },
  'already-answered': { zh: '该异议已答复', en: 'This objection has already been answered' },
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
export function objectionsOpen(n: Pick<Notice, 'status' | 'period_start' | 'period_end'>, today: string, replaced: boolean): boolean {
  return n.status === 'published' && !replaced && !!n.period_start && !!n.period_end && n.period_start <= today && today <= n.period_end;
}

export async function noticeSources(db: Knex, county: string, year: number): Promise<NoticeSource[]> {
  return (await listAcceptedLatest(db, county, year)).map((s) => ({
    name: s.employer_name, uscc: s.uscc, unitType: s.unit_type as UnitType, avgStaff: s.avg_staff, required: s.required, avgWeighted: s.avg_weighted,
    quotaStatus: s.quota_status as NoticeSource['quotaStatus'], concentratedMonths: s.concentrated_months, levyPayableFen: s.levy_payable_fen, rewardTotalFen: s.reward_total_fen,
  }));
}

async function latestPublished(db: Knex, county: string, year: number) {
  return (await listNotices(db, { county, year, status: 'published' }))[0];
}

/** Builds (or rebuilds) the county's draft for the year. After a publication the draft is a correction. */
export async function buildDraft(db: Knex, user: Actor, county: string, year: number, amountColumn: AmountColumn): Promise<number> {
  const body = buildNotice(await noticeSources(db, county, year), amountColumn);
  const prev = await latestPublished(db, county, year);
  const previous = prev ? (await findNotice(db, prev.id))! : undefined;
  const change_json = previous ? JSON.stringify(diffNotices(previous.body, body)) : null;
  return db.transaction(async (trx) => {
    const existing = await findDraft(trx, county, year);
    let id: number;
    if (existing) {
      id = existing.id;
      await updateDraft(trx, id, { amount_column: amountColumn, body_json: JSON.stringify(body), change_json });
    } else {
      id = await insertDraft(trx, { county, year, title: noticeTitle(county, year), amount_column: amountColumn, body_json: JSON.stringify(body), replaces_id: previous?.id ?? null, change_json, created_by: user.id });
    }
    await appendAudit(trx, { actor: user.username, action: existing ? 'notice.draft-rebuilt' : 'notice.draft-built', target: `notice:${id}`, detail: { county, year, entries: countRows(body), replaces: previous?.id ?? null } });
    return id;
  });
}

export const countRows = (b: NoticeBody) => b.sections.reduce((a, s) => a + s.rows.length, 0);

export interface PublishForm {
  docNo: string;
  publisher: string;
  contact: string;
  periodStart: string;
  days: number;
  note: string;
}

export async function publishNotice(db: Knex, user: Actor, id: number, f: PublishForm): Promise<number> {
  const n = await findNotice(db, id);
  if (!n || n.status !== 'draft') throw new NoticeError('not-draft');
  if (!isValidISODate(f.periodStart) || !Number.isInteger(f.days) || f.days < NOTICE_DAYS.min || f.days > NOTICE_DAYS.max) throw new NoticeError('bad-period');
  if (!f.contact.trim()) throw new NoticeError('contact-required');
  if (!f.docNo.trim()) throw new NoticeError('doc-no-required');
  if (n.replaces_id && !f.note.trim()) throw new NoticeError('note-required');
  return db.transaction(async (trx) => {
    const version = await publishDraft(trx, id, {
      doc_no: f.docNo.trim().slice(0, 100), publisher: (f.publisher.trim() || `${n.county}残疾人就业服务机构`).slice(0, 200), objection_contact: f.contact.trim().slice(0, 200),
      period_start: f.periodStart, period_end: addDays(f.periodStart, f.days - 1), change_note: n.replaces_id ? f.note.trim().slice(0, 2000) : null, published_by: user.id,
    });
    if (version === null) throw new NoticeError('not-draft');
    await appendAudit(trx, { actor: user.username, action: 'notice.published', target: `notice:${id}`, detail: { county: n.county, year: n.year, version, replaces: n.replaces_id, entries: countRows(n.body) } });
    return version;
  });
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

export async function lodgeObjection(db: Knex, noticeId: number, f: ObjectionForm, today = todayInChina()): Promise<number> {
  const n = await findNotice(db, noticeId);
  if (!n || n.status !== 'published') throw new NoticeError('objection-closed');
  if (!objectionsOpen(n, today, !!(await findReplacement(db, n.id)))) throw new NoticeError('objection-closed');
  const [name, contact, reason] = [f.name.trim(), f.contact.trim(), f.reason.trim()];
  if (!name || !contact || !reason || !f.uscc) throw new NoticeError('objection-incomplete');
  const entry = n.body.sections.flatMap((s) => s.rows).find((r) => r.uscc === f.uscc);
  if (!entry) throw new NoticeError('not-an-entry');
  return db.transaction(async (trx) => {
    const id = await insertObjection(trx, { notice_id: n.id, entry_uscc: entry.uscc, entry_name: entry.name, name: name.slice(0, 100), contact: contact.slice(0, 100), reason: reason.slice(0, 4000) });
    // the objector's name and contact stay out of the audit detail: only which entry is disputed
    await appendAudit(trx, { actor: 'public', action: 'objection.lodged', target: `objection:${id}`, detail: { notice: n.id, entry: entry.uscc } });
    return id;
  });
}

export async function answer(db: Knex, user: Actor, objectionId: number, text: string): Promise<void> {
  if (!text.trim()) throw new NoticeError('answer-required');
  await db.transaction(async (trx) => {
    if (!(await answerObjection(trx, objectionId, text.trim().slice(0, 4000), user.id))) throw new NoticeError('already-answered');
    await appendAudit(trx, { actor: user.username, action: 'objection.answered', target: `objection:${objectionId}` });
  });
}
