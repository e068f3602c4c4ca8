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
import { countUsers, createUser, type User } from '../../db/stores/users';
import type { Config } from '../config';
import type { Log } from '../log';
import { UploadPool } from '../workers/upload-pool';
import { AccountService } from './accounts';
import { SingleSignOn } from './single-sign-on';
import { AnnotationService } from './annotations';
import { ApiCheckService } from './api-check';
import { allCountySettings, countyIssuer, saveCountySettings } from './county-settings';
import {
  buildChecklist,
  buildDraft,
  discardDraft,
  findNotice,
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
import { RegisterService } from './register';
import { YearRecompute } from './recompute';
import { CrossUnitService } from './cross-unit';
import { CertificateRegisterService } from './certificate-register';
import { InsuranceRecordsService } from './insurance-records';
import { isPostgres } from '../../db/connection';
import { uploadFilesFor } from './upload-files';
import { BackupSchedule } from './backup-schedule';
import { Metrics, readiness } from './metrics';
import { checkpointKey, checkpointSources } from './audit-checkpoint';

export type { CheckRow } from '../../db/stores/checks';
import type { CheckRow } from '../../db/stores/checks';
export type { EmployerRow } from '../../db/stores/employers';
export type { Notice } from '../../db/stores/notices';
export type { SubmissionListRow, SubmissionStatus } from '../../db/stores/submissions';
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
  const certRegister = new CertificateRegisterService(db, d.config.sessionSecret);
  const insuranceRecords = new InsuranceRecordsService(db, d.config.sessionSecret);
  const uploadService = new UploadService({
    db,
    params,
    dataDir: d.config.dataDir,
    secret: d.config.sessionSecret,
    log: d.log,
    pool,
    employerFacts: d.config.employerFacts,
    register: () => certRegister.entries(),
    insurance: (uscc: string) => insuranceRecords.forUnit(uscc),
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
  const register = new RegisterService(db, { dataDir: d.config.dataDir, rule: d.config.registerRule });
  const recompute = new YearRecompute(db, params, uploadService.files, d.config.recomputeWorkers, pool, d.log, {
    secret: d.config.sessionSecret,
    register: () => certRegister.entries(),
    insurance: (uscc: string) => insuranceRecords.forUnit(uscc),
  });
  const backups = new BackupSchedule(
    {
      db,
      dataDir: d.config.dataDir,
      databaseUrl: d.config.databaseUrl,
      checkpointKey: checkpointKey(d.config.sessionSecret),
      checkpointSources: checkpointSources(d.config.dataDir),
    },
    d.config.backup,
  );
  const metrics = new Metrics({
    db,
    dataDir: d.config.dataDir,
    backupDir: d.config.backup.dir,
    pool,
    lastScheduledBackup: () => backups.last(),
  });
  const crossUnit = new CrossUnitService(
    db,
    params,
    uploadService.files,
    d.config.sessionSecret,
    d.config.crossUnitKeeper,
    d.log,
    () => certRegister.entries(),
    (uscc: string) => insuranceRecords.forUnit(uscc),
  );
  return {
    config: d.config,
    log: d.log,
    /** one person, one unit, one month (docs/rules.md §4.2): clashes between units and the officer's decisions */
    crossUnit,
    /** the 残联's certificate register (docs/rules.md §4.3): imports, preview, the register in force */
    certRegister,
    /** the insurer's social-insurance payment records (docs/rules.md §4.4) */
    insuranceRecords,
    params,
    uploads,
    /** Is the database answering (liveness)? */
    ping: () => ping(db),
    /** Ready to serve: database, migrations, storage (/readyz). */
    ready: () => readiness(db, d.config.dataDir),
    /** this app's Prometheus registry (/metrics) */
    metrics,
    /** The session store in the database: sessions survive restarts and are shared by every instance. */
    sessionStore: () => new KnexSessionStore(db),
    accounts: Object.assign(
      new AccountService(db, { secondFactorRequired: d.config.secondFactor === 'required', issuer: 'QuotaDesk' }),
      {
        create: (u: Omit<User, 'id'>) => createUser(db, u),
        count: () => countUsers(db),
      },
    ),
    /** single sign-on through the province's identity platform (OIDC_ISSUER), when configured */
    sso: new SingleSignOn(db, d.config.oidc),
    rateLimits: {
      hit: (key: string, windowMs: number, max: number) => hitRateLimit(db, key, windowMs, max),
      clear: (key: string) => clearRateLimit(db, key),
    },
    audit: {
      append: (e: AuditEntry) => appendAudit(db, e),
      list: (limit?: number) => listAudit(db, limit),
    },
    /** the register of units per data year, its imports, activation codes and a unit's users */
    register,
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
      /** REGISTER_RULE first: a unit missing from its county's register for the year is told to ask the bureau. */
      submit: async (
        user: Actor,
        employerId: number,
        check: string | CheckRow,
        opts: { rewardChoice?: RewardChoice } = {},
      ) => {
        const c = typeof check === 'string' ? await findCheck(db, check) : check;
        if (c && c.employer_id === employerId && c.year) await register.assertMayFile(employerId, Number(c.year));
        return submitCheck(db, user, employerId, c ?? check, opts);
      },
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
      ...procedureQueries(db, params),
      decideClaim: (
        officer: Actor,
        id: number,
        decision: 'approve' | 'refuse' | 'paid',
        input: { reason?: string; paidOn?: string; confirmedFen?: number },
      ) => decideRewardClaim(db, officer, id, decision, input),
      enterSocialAverageWage: (admin: Actor, year: number, amount: string, source: string, lang: 'zh' | 'en' = 'zh') =>
        enterSocialAverageWage(params, recompute, admin, year, amount, source, lang),
      /** a year's recompute run: as it stands, or once finished within `ms` */
      recomputeRun: (id: number) => recompute.find(id),
      recomputeAgain: (admin: Actor, failedId: number) => recompute.again(admin, failedId),
      /**
       * Confirms a certificate register or insurance-records import and starts the recompute of the stored results
       * it changes (docs/rules.md §4.3, §4.4, §6.1); the runs started, or null when it was not a preview.
       */
      confirmImport: async (admin: Actor, kind: 'certificate-register' | 'insurance-records', id: number) => {
        if (kind === 'certificate-register')
          return (await certRegister.confirm(admin, id)) ? recompute.startForImport(admin, kind, id) : null;
        const cover = await insuranceRecords.confirm(admin, id);
        return cover ? recompute.startForImport(admin, kind, id, cover) : null;
      },
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
    /** the scheduled backup (BACKUP_EVERY_HOURS): one instance takes each turn */
    backups,
    apiChecks,
    annotations,
    close: async () => {
      await recompute.close();
      await Promise.all([pool?.close(), apiChecks.close(), annotations.close()]);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
