/**
 * Builds every service from the database, the configuration and the log. Routes and middleware see
 * these services, never the database: all SQL is in db/stores, called from here and the service files.
 */
import type { Knex } from 'knex';
import { appendAudit, listAudit, type AuditEntry } from '../../db/stores/audit';
import { findCheck, findCheckByUpload, findCheckIdOfUpload } from '../../db/stores/checks';
import {
  countEmployers,
  findEmployerById,
  listEmployersInCounty,
  upsertEmployer,
  type EmployerRow,
} from '../../db/stores/employers';
import { ping } from '../../db/stores/health';
import {
  countOpenObjections,
  findNotice,
  findReplacement,
  listNotices,
  listObjections,
  type Notice,
} from '../../db/stores/notices';
import { clearRateLimit, hitRateLimit } from '../../db/stores/rate-limits';
import { KnexSessionStore } from '../../db/stores/sessions';
import {
  pageSubmissions,
  findSubmission,
  findSubmissionOfCheck,
  listLatestForDashboard,
  listSubmissions,
  type SubmissionFilter,
} from '../../db/stores/submissions';
import { receiptCode, receiptNumber, verifyReceiptCode } from './receipts';
import { findUpload, listUploadsOf } from '../../db/stores/uploads';
import { countUsers, createUser, findUserById, findUserByUsername, type User } from '../../db/stores/users';
import type { Config } from '../config';
import type { Log } from '../middleware/log';
import { UploadPool } from '../workers/upload-pool';
import { AnnotationService } from './annotations';
import { ApiCheckService } from './api-check';
import { allCountySettings, countyIssuer, saveCountySettings } from './county-settings';
import {
  buildChecklist,
  buildDraft,
  discardDraft,
  handleObjection,
  lodgeObjection,
  noticeDocumentOf,
  publishBlockers,
  publishNotice,
  setDraftDetails,
  startCorrection,
  type DraftDetails,
  type ObjectionForm,
} from './notices';
import { ParameterService } from './parameters';
import { expiredUploads, purgeExpired, retentionPolicy, setRetentionPolicy } from './retention';
import type { RetentionPolicy } from './retention-rule';
import { diffWithPrevious, identicalLatest, reviewDecision, submitCheck } from './submissions';
import {
  arrearsFor,
  carryForward,
  decideRewardClaim,
  enterSocialAverageWage,
  procedureQueries,
  setDeadlines,
  type ArrearsInputYear,
  type DeadlineForm,
  type RewardChoice,
} from './procedure';
import { UploadService } from './uploads';
import { YearRecompute } from './recompute';
import { isPostgres } from '../../db/connection';
import { uploadFilesFor } from './upload-files';

export type { AuditRow } from '../../db/stores/audit';
export type { CheckRow } from '../../db/stores/checks';
import type { CheckRow } from '../../db/stores/checks';
export type { EmployerRow } from '../../db/stores/employers';
export type { Notice, NoticeSummary, ObjectionRow } from '../../db/stores/notices';
export type { SubmissionListRow, SubmissionStatus } from '../../db/stores/submissions';
export type { UploadRow } from '../../db/stores/uploads';
export type { Role, User } from '../../db/stores/users';

export interface Deps {
  db: Knex;
  config: Config;
  log: Log;
}

type Actor = { id: number; username: string };

export function createServices(d: Deps) {
  const { db } = d;
  const params = new ParameterService(db);
  const pool = d.config.uploadWorkers > 0 ? new UploadPool(d.config.uploadWorkers) : undefined;
  const uploadService = new UploadService({
    db,
    params,
    dataDir: d.config.dataDir,
    secret: d.config.sessionSecret,
    log: d.log,
    pool,
    employerFacts: d.config.employerFacts,
    leaseMs: d.config.uploadLeaseSeconds * 1000,
    files: uploadFilesFor(db, d.config.dataDir, d.config.uploadStorage, isPostgres(db)),
  });
  const uploads = Object.assign(uploadService, {
    find: (id: string) => findUpload(db, id),
    listOf: (employerId: number) => listUploadsOf(db, employerId),
  });
  // the anonymous calculator and the annotated workbook have pools of their own: never the request thread
  const apiChecks = new ApiCheckService(db, params, d.config.apiCheck);
  const annotations = new AnnotationService(d.config.annotate);
  const recompute = new YearRecompute(db, params, uploadService.files, d.config.recomputeWorkers, pool, d.log);
  return {
    config: d.config,
    log: d.log,
    params,
    uploads,
    /** Is the database answering (readiness)? */
    ping: () => ping(db),
    /** The session store in the database: sessions survive restarts and are shared by every instance. */
    sessionStore: () => new KnexSessionStore(db),
    accounts: {
      byId: (id: number) => findUserById(db, id),
      byUsername: (username: string) => findUserByUsername(db, username),
      create: (u: Omit<User, 'id'>) => createUser(db, u),
      count: () => countUsers(db),
    },
    rateLimits: {
      hit: (key: string, windowMs: number, max: number) => hitRateLimit(db, key, windowMs, max),
      clear: (key: string) => clearRateLimit(db, key),
    },
    audit: {
      append: (e: AuditEntry) => appendAudit(db, e),
      list: (limit?: number) => listAudit(db, limit),
    },
    employers: {
      byId: (id: number) => findEmployerById(db, id),
      inCounty: (county: string) => listEmployersInCounty(db, county),
      count: (county?: string) => countEmployers(db, county),
      upsert: (e: Omit<EmployerRow, 'id'>) => upsertEmployer(db, e),
    },
    checks: {
      byId: (id: string) => findCheck(db, id),
      byUpload: (uploadId: string) => findCheckByUpload(db, uploadId),
      /** The id of an upload's result, without the result. */
      idOfUpload: (uploadId: string) => findCheckIdOfUpload(db, uploadId),
    },
    submissions: {
      list: (f: SubmissionFilter) => listSubmissions(db, f),
      /** one page, sorted on the server, with the total */
      page: (f: SubmissionFilter, o: Parameters<typeof pageSubmissions>[2]) => pageSubmissions(db, f, o),
      byId: (id: number) => findSubmission(db, id),
      latestForDashboard: (county?: string) => listLatestForDashboard(db, county),
      submit: (user: Actor, employerId: number, check: string | CheckRow, opts: { rewardChoice?: RewardChoice } = {}) =>
        submitCheck(db, user, employerId, check, opts),
      review: (officer: Actor, id: number, decision: 'accepted' | 'returned', reason: string | null) =>
        reviewDecision(db, officer, id, decision, reason),
      diffWithPrevious: (id: number) => diffWithPrevious(db, id),
      /** The submission of a checked result, if it was submitted. */
      ofCheck: (checkId: string) => findSubmissionOfCheck(db, checkId),
      /** The latest version of the year when this result is identical to it (nothing new to submit). */
      identicalTo: (c: CheckRow) => identicalLatest(db, c),
      /** The receipt's number and verification code. */
      receipt: (sub: { id: number; year: number; version: number }) => ({
        number: receiptNumber(sub),
        code: receiptCode(d.config.sessionSecret, sub.id),
      }),
      /** The submission a receipt's verification code names, or undefined for a code that was not issued. */
      byReceiptCode: async (code: string) => {
        const id = verifyReceiptCode(d.config.sessionSecret, code);
        return id === null ? undefined : findSubmission(db, id);
      },
    },
    notices: {
      byId: (id: number) => findNotice(db, id),
      list: (f: Parameters<typeof listNotices>[1]) => listNotices(db, f),
      replacementOf: (id: number) => findReplacement(db, id),
      objections: (noticeId: number) => listObjections(db, noticeId),
      countOpenObjections: (noticeIds: number[]) => countOpenObjections(db, noticeIds),
      /** 已通过 · 待审核 · 已退回 · 未报送 for a county and year, before building */
      checklist: (county: string, year: number) => buildChecklist(db, county, year),
      buildDraft: (user: Actor, county: string, year: number) => buildDraft(db, user, county, year),
      setDetails: (user: Actor, id: number, f: DraftDetails) => setDraftDetails(db, user, id, f),
      blockers: (n: Notice) => publishBlockers(db, n),
      /** the official document (what the public reads; the preview of a draft) */
      document: (n: Notice, lang: 'zh' | 'en') => noticeDocumentOf(db, n, lang),
      discardDraft: (user: Actor, id: number) => discardDraft(db, user, id),
      publish: (user: Actor, id: number, f?: DraftDetails) => publishNotice(db, user, id, f),
      startCorrection: (user: Actor, publishedId: number) => startCorrection(db, user, publishedId),
      lodgeObjection: (noticeId: number, f: ObjectionForm) => lodgeObjection(db, noticeId, f),
      handleObjection: (
        user: Actor,
        objectionId: number,
        step: 'accept' | 'verify' | 'answer',
        f: { findings?: string; answer?: string; outcome?: string },
      ) => handleObjection(db, user, objectionId, step, f),
    },
    /** each county's issuing body and objection contact for its notices (administrator settings) */
    countySettings: {
      all: () => allCountySettings(db),
      issuer: (county: string) => countyIssuer(db, county),
      save: (user: Actor, county: string, form: Record<string, unknown>) => saveCountySettings(db, user, county, form),
    },
    procedure: {
      ...procedureQueries(db),
      decideClaim: (
        officer: Actor,
        id: number,
        decision: 'approve' | 'refuse' | 'paid',
        input: { reason?: string; paidOn?: string },
      ) => decideRewardClaim(db, officer, id, decision, input),
      enterSocialAverageWage: (admin: Actor, year: number, amount: string, source: string, lang: 'zh' | 'en' = 'zh') =>
        enterSocialAverageWage(params, recompute, admin, year, amount, source, lang),
      /** a year's recompute run: as it stands, or once finished within `ms` */
      recomputeRun: (id: number) => recompute.find(id),
      recomputeAgain: (admin: Actor, failedId: number) => recompute.again(admin, failedId),
      settleRecompute: (id: number, ms: number) => recompute.settle(id, ms),
      recentRecomputes: (limit?: number) => recompute.recent(limit),
      /** takes over runs whose instance stopped (start-up, then now and then) */
      resumeRecomputes: () => recompute.resumeStalled(),
      setDeadlines: (admin: Actor, year: number, f: DeadlineForm) => setDeadlines(db, admin, year, f),
      arrears: (employerId: number, years: ArrearsInputYear[], paymentDate: string) =>
        arrearsFor(db, params, employerId, years, paymentDate),
      carryForward: (checkId: string, employerId: number) =>
        carryForward(db, params, uploadService.files, checkId, employerId),
    },
    retention: {
      policy: () => retentionPolicy(db),
      setPolicy: (user: Actor, v: unknown) => setRetentionPolicy(db, user, v),
      expired: (p: RetentionPolicy, today: string) => expiredUploads(db, p, today),
      purge: (actor: string, today: string, dryRun = false) =>
        purgeExpired(db, uploadService.files, actor, today, dryRun),
    },
    apiChecks,
    annotations,
    close: async () => {
      await recompute.close();
      await Promise.all([pool?.close(), apiChecks.close(), annotations.close()]);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
