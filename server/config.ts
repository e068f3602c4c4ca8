/**
 * Configuration from the environment, in one place. `get(name, fallback, {requiredInProduction})`:
 * a setting that must be set in production fails start-up there instead of silently using a default.
 */
import { join } from 'node:path';
import { availableParallelism } from 'node:os';

const production = process.env.NODE_ENV === 'production';

export function get(name: string, fallback: string, opts: { requiredInProduction?: boolean } = {}): string {
  const v = process.env[name];
  if (v !== undefined && v !== '') return v;
  if (production && opts.requiredInProduction) throw new Error(`missing required setting ${name}`);
  return fallback;
}

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
   * A workbook whose county or unit type differ from the employer's registration (issue #11.10): 'error'
   * refuses it naming the cell (default), 'registered' computes with the registered facts and notes it.
   */
  employerFacts: 'error' | 'registered';
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
    ...overrides,
  };
}
