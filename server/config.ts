/**
 * Configuration from the environment, in one place. `get(name, fallback, {requiredInProduction})`:
 * a setting that must be set in production fails start-up there instead of silently using a default.
 */
import type { CrossUnitKeeper } from './rules/cross-unit';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';

const production = process.env.NODE_ENV === 'production';

export function get(name: string, fallback: string, opts: { requiredInProduction?: boolean } = {}): string {
  const v = process.env[name];
  if (v !== undefined && v !== '') return v;
  if (production && opts.requiredInProduction) throw new Error(`missing required setting ${name}`);
  return fallback;
}

/** A setting that must be a whole number of seconds (or megabytes) above zero: anything else stops start-up. */
function positive(name: string, fallback: number): number {
  const raw = get(name, String(fallback));
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`invalid setting ${name}: ${raw}`);
  return n;
}

/** A number of hours (or the like) that may be zero (off) or a fraction: anything negative or not a number stops start-up. */
function nonNegative(name: string, fallback: number): number {
  const raw = get(name, String(fallback));
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`invalid setting ${name}: ${raw}`);
  return n;
}

/**
 * Settings read by modules that run without the whole configuration (the log, `quota` commands): each read
 * when asked, so a test or a command that sets the variable first sees it.
 */
export const settings = {
  /** LOG_LEVEL=silent keeps stdout quiet. */
  logSilent: (): boolean => process.env.LOG_LEVEL === 'silent',
  /** LOG_FILE, when set, receives every log line whatever the level. */
  logFile: (): string | undefined => get('LOG_FILE', '') || undefined,
  /** AUDIT_CHECKPOINTS: a comma-separated list of data directories or checkpoint files (one per instance). */
  auditCheckpoints: (): string => get('AUDIT_CHECKPOINTS', ''),
  /** AUDIT_KEY: the key that signs the audit checkpoints; empty: derived from SESSION_SECRET. */
  auditKey: (): string | undefined => get('AUDIT_KEY', '') || undefined,
  /** PG_BIN: the folder holding pg_dump and pg_restore; empty: the newest /usr/lib/postgresql/N/bin, else the PATH. */
  pgBin: (): string => get('PG_BIN', ''),
  /** The environment a child process (pg_dump, pg_restore) starts with: this one's, which it extends. */
  childEnv: (): Record<string, string | undefined> => ({ ...process.env }),
  /** QUOTA_CHECK_HEAP_MB: heap cap of the thread that reads a workbook for `quota check` (default 4096). */
  checkHeapMB: (): number => {
    const n = Number(process.env.QUOTA_CHECK_HEAP_MB);
    return Number.isInteger(n) && n > 0 ? n : 4096;
  },
};

export interface Config {
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  sessionSecret: string;
  production: boolean;
  /** Largest upload accepted, bytes (also the API's 413 limit). */
  maxUploadBytes: number;
  /** Absolute address of the site for links in the Atom feed; empty: taken from the request. */
  publicUrl: string;
  /** How long an anonymous reader's notice page is served from memory, seconds (0: never cached). */
  noticeCacheSeconds: number;
  /** Worker threads that read uploads (0: in the request thread). */
  uploadWorkers: number;
  /** Worker threads that read the stored workbooks while a year's results are recomputed, started for the run only (0: in the process). */
  recomputeWorkers: number;
  /** How long an instance's claim on an upload lasts unless renewed, seconds: after a crash, another instance takes it over then. */
  uploadLeaseSeconds: number;
  /** Where raw uploads are kept: 'files' (DATA_DIR/uploads) or 'database'; empty: the database on PostgreSQL, files on SQLite. */
  uploadStorage: '' | 'files' | 'database';
  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (rate limits, the log): Express's
   * "trust proxy" — 'loopback' (default: a proxy on the same host), or addresses / subnets, comma-separated.
   */
  trustProxy: string;
  /** Seed the demo data (published passwords) on an empty database: by default outside production; in production only with DEMO=1. */
  demo: boolean;
  /** The anonymous calculator (POST /api/check): workers, heap cap per worker, time per file, requests per client per 10 minutes. */
  apiCheck: { workers: number; heapMB: number; seconds: number; perWindow: number; windowMs: number };
  /** The annotated workbook: heap cap of its worker, time limit, and the most cells it loads. */
  annotate: { heapMB: number; seconds: number; maxCells: number };
  /**
   * A workbook whose county or unit type differ from the employer's registration: 'error'
   * refuses it naming the cell (default), 'registered' computes with the registered facts and notes it.
   */
  employerFacts: 'error' | 'registered';
  /**
   * REGISTER_RULE: 'county-year' (default) — once a county's register of units for a data year lists any
   * unit, a unit of that county not in it cannot submit for that year; 'off' — the register refuses no one.
   */
  registerRule: 'county-year' | 'off';
  /**
   * Which unit keeps, by default, a month in which two units count the same disabled person (docs/rules.md §4.2,
   * I12): 'insured-then-earlier-entry' (the unit that paid social insurance for the month, else the one the person
   * joined first, else the officer) or 'officer' (no suggestion). The officer decides either way.
   */
  crossUnitKeeper: CrossUnitKeeper;
  /**
   * The second factor (TOTP) for officers and administrators: 'required' (default in production: 等保 2.0
   * level 3, 8.1.4.1) or 'optional' (default elsewhere, so the demo logins work with a password alone).
   * Employers may always enrol.
   */
  secondFactor: 'required' | 'optional';
  /**
   * Single sign-on through the province's identity platform (OpenID Connect); off while OIDC_ISSUER is empty.
   * An employer is matched by the credit-code claim (OIDC_USCC_CLAIM, default `uscc`), an officer by the
   * administrator's mapping of the platform's subject to the account.
   */
  oidc: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    scope: string;
    usccClaim: string;
  };
  /** While the data directory cannot be written, how often it is tried again, seconds. */
  storageProbeSeconds: number;
  /** Temporary files idle this long are removed at start-up, seconds (another instance may be writing newer ones). */
  tempOrphanSeconds: number;
  /** An interrupted upload silent this long is processed again, seconds. */
  recoverAfterSeconds: number;
  /** How often the audit chain's head is signed into the checkpoint file, seconds. */
  auditCheckpointSeconds: number;
  /**
   * Backups (docs/operations.md "Backup and restore"): where `quota backup` writes by default and where the
   * scheduled backup goes (BACKUP_DIR; empty: DATA_DIR/backups); every how many hours the running app backs
   * itself up (BACKUP_EVERY_HOURS; 0, the default: never — one instance among several takes each turn); how
   * many scheduled archives are kept (BACKUP_KEEP, default 7).
   */
  backup: { dir: string; everyHours: number; keep: number };
  /**
   * Who may read /metrics: addresses and CIDR ranges, comma-separated (METRICS_ALLOW, default
   * 127.0.0.1,::1); empty list refuses everyone. The address is the client's as TRUST_PROXY makes it.
   */
  metricsAllow: string[];
}

export function loadConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = get('DATA_DIR', join(process.cwd(), 'data'));
  return {
    port: Number(get('PORT', '3000')),
    dataDir,
    databaseUrl: get('DATABASE_URL', '') || null,
    sessionSecret: get('SESSION_SECRET', 'quotadesk-development-secret', { requiredInProduction: true }),
    production,
    maxUploadBytes: Number(get('MAX_UPLOAD_BYTES', String(30 * 1024 * 1024))),
    employerFacts: get('EMPLOYER_FACTS', 'error') === 'registered' ? 'registered' : 'error',
    registerRule: get('REGISTER_RULE', 'county-year') === 'off' ? 'off' : 'county-year',
    crossUnitKeeper:
      get('CROSS_UNIT_KEEPER', 'insured-then-earlier-entry') === 'officer' ? 'officer' : 'insured-then-earlier-entry',
    oidc: {
      issuer: get('OIDC_ISSUER', ''),
      clientId: get('OIDC_CLIENT_ID', ''),
      clientSecret: get('OIDC_CLIENT_SECRET', ''),
      redirectUri: get('OIDC_REDIRECT_URI', ''),
      scope: get('OIDC_SCOPE', 'openid uscc'),
      usccClaim: get('OIDC_USCC_CLAIM', 'uscc'),
    },
    secondFactor: get('SECOND_FACTOR', production ? 'required' : 'optional') === 'optional' ? 'optional' : 'required',
    publicUrl: get('PUBLIC_URL', '', { requiredInProduction: true }).replace(/\/$/, ''),
    noticeCacheSeconds: Number(get('NOTICE_CACHE_SECONDS', '30')),
    uploadWorkers: Number(get('UPLOAD_WORKERS', String(Math.max(1, availableParallelism() - 1)))),
    recomputeWorkers: Number(get('RECOMPUTE_WORKERS', String(availableParallelism()))),
    uploadStorage: ((v) => (v === 'files' || v === 'database' ? v : ''))(get('UPLOAD_STORAGE', '')),
    uploadLeaseSeconds: Number(get('UPLOAD_LEASE_SECONDS', get('RECOVER_AFTER_SECONDS', '60'))),
    trustProxy: get('TRUST_PROXY', 'loopback'),
    demo: process.env.DEMO === '1' || (!production && process.env.DEMO !== '0'),
    apiCheck: {
      workers: Number(get('API_CHECK_WORKERS', '1')),
      heapMB: Number(get('API_CHECK_HEAP_MB', '384')),
      seconds: Number(get('API_CHECK_SECONDS', '30')),
      perWindow: Number(get('API_CHECK_LIMIT', '30')),
      windowMs: 10 * 60_000,
    },
    annotate: {
      heapMB: Number(get('ANNOTATE_HEAP_MB', '768')),
      seconds: Number(get('ANNOTATE_SECONDS', '60')),
      maxCells: Number(get('ANNOTATE_MAX_CELLS', '500000')),
    },
    storageProbeSeconds: positive('STORAGE_PROBE_SECONDS', 15),
    tempOrphanSeconds: positive('TEMP_ORPHAN_SECONDS', 3600),
    recoverAfterSeconds: positive('RECOVER_AFTER_SECONDS', 60),
    auditCheckpointSeconds: positive('AUDIT_CHECKPOINT_SECONDS', 60),
    backup: {
      dir: get('BACKUP_DIR', '') || join(dataDir, 'backups'),
      everyHours: nonNegative('BACKUP_EVERY_HOURS', 0),
      keep: positive('BACKUP_KEEP', 7),
    },
    metricsAllow: get('METRICS_ALLOW', '127.0.0.1,::1')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x && x !== 'none'),
    ...overrides,
  };
}
