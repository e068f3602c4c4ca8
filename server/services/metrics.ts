/**
 * What an operator watches (docs/operations.md "Monitoring"): `/metrics` in Prometheus's text format and
 * `/readyz`. Each app has a registry of its own (never prom-client's global one), so several apps in one
 * process — the tests — count apart.
 *
 * Labels carry route patterns (`/employer/checks/:id`), methods and statuses only: never an id, a name, a
 * credit code or anything else a user sent.
 */
import { open, stat } from 'node:fs/promises';
import type { Knex } from 'knex';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { migrationNames } from '../../db/migrate';
import { auditHead } from '../../db/stores/audit';
import { latestMigration } from '../../db/stores/backup';
import { countUnfinishedUploads, runningRecomputes } from '../../db/stores/metrics';
import { ping } from '../../db/stores/health';
import { probeStorage } from '../storage';
import { checkpointFile, type Checkpoint } from './audit-checkpoint';
import { newestBackup } from './backup';

export interface MetricSources {
  db: Knex;
  dataDir: string;
  backupDir: string;
  /** the upload worker pool, when uploads are read off the request thread */
  pool?: { workers: number; load: { busy: number; waiting: number } };
  /** when the last scheduled backup finished, by any instance */
  lastScheduledBackup: () => Promise<string | null>;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** tarn's pool, as knex keeps it */
type Pool = { numUsed(): number; numFree(): number; numPendingAcquires(): number };
const poolOf = (db: Knex): Pool | undefined => (db.client as { pool?: Pool }).pool;

/** The last line of the checkpoint file, read from its end (the file grows by a line a minute). */
async function latestCheckpoint(dataDir: string): Promise<Checkpoint | null> {
  const file = checkpointFile(dataDir);
  const st = await stat(file).catch(() => null);
  if (!st?.size) return null;
  const h = await open(file, 'r');
  try {
    const len = Math.min(st.size, 8192);
    const buf = Buffer.alloc(len);
    await h.read(buf, 0, len, st.size - len);
    const lines = buf.toString('utf8').split('\n').filter(Boolean);
    try {
      return JSON.parse(lines[lines.length - 1]) as Checkpoint;
    } catch {
      return null;
    }
  } finally {
    await h.close();
  }
}

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(private readonly src: MetricSources) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'quotadesk_http_requests_total',
      help: 'Requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'quotadesk_http_request_duration_seconds',
      help: 'Time to answer a request, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    new Gauge({
      name: 'quotadesk_upload_queue_length',
      help: 'Uploads received and not yet processed, by status (received: waiting; processing: being read).',
      labelNames: ['status'],
      registers,
      async collect() {
        const n = await countUnfinishedUploads(src.db);
        this.set({ status: 'received' }, n.received);
        this.set({ status: 'processing' }, n.processing);
      },
    });
    new Gauge({
      name: 'quotadesk_upload_workers',
      help: 'Upload worker threads of this instance (0: uploads are read in the request thread).',
      registers,
      collect() {
        this.set(src.pool?.workers ?? 0);
      },
    });
    new Gauge({
      name: 'quotadesk_upload_workers_busy',
      help: 'Upload worker threads of this instance running a job now.',
      registers,
      collect() {
        this.set(src.pool?.load.busy ?? 0);
      },
    });
    new Gauge({
      name: 'quotadesk_upload_jobs_waiting',
      help: 'Jobs of this instance waiting for an upload worker.',
      registers,
      collect() {
        this.set(src.pool?.load.waiting ?? 0);
      },
    });
    // the registry collects every metric at once: each gauge reads what it shows itself
    const recompute = async () => {
      const runs = await runningRecomputes(src.db);
      return {
        runs: runs.length,
        total: runs.reduce((s, r) => s + r.total, 0),
        done: runs.reduce((s, r) => s + r.done, 0),
      };
    };
    const audit = async () => {
      const c = await latestCheckpoint(src.dataDir);
      const head = await auditHead(src.db);
      return {
        age: c ? Math.max(0, Date.now() / 1000 - Date.parse(c.at) / 1000) : -1,
        since: Math.max(0, head.count - (c?.count ?? 0)),
      };
    };
    new Gauge({
      name: 'quotadesk_recompute_runs_running',
      help: "Years' recompute runs under way (any instance).",
      registers,
      async collect() {
        this.set((await recompute()).runs);
      },
    });
    new Gauge({
      name: 'quotadesk_recompute_results_total',
      help: 'Provisional results the running recomputes have to go through.',
      registers,
      async collect() {
        this.set((await recompute()).total);
      },
    });
    new Gauge({
      name: 'quotadesk_recompute_results_done',
      help: 'Provisional results the running recomputes have gone through.',
      registers,
      async collect() {
        this.set((await recompute()).done);
      },
    });
    new Gauge({
      name: 'quotadesk_db_pool_connections',
      help: "Database connections of this instance's pool, by state (used, free, pending: requests waiting for one).",
      labelNames: ['state'],
      registers,
      collect() {
        const p = poolOf(src.db);
        this.set({ state: 'used' }, p?.numUsed() ?? 0);
        this.set({ state: 'free' }, p?.numFree() ?? 0);
        this.set({ state: 'pending' }, p?.numPendingAcquires() ?? 0);
      },
    });
    new Gauge({
      name: 'quotadesk_audit_checkpoint_age_seconds',
      help: "Seconds since this instance's last signed audit checkpoint (-1: none yet).",
      registers,
      async collect() {
        this.set((await audit()).age);
      },
    });
    new Gauge({
      name: 'quotadesk_audit_entries_since_checkpoint',
      help: "Audit entries written since this instance's last checkpoint (not yet anchored outside the database).",
      registers,
      async collect() {
        this.set((await audit()).since);
      },
    });
    new Gauge({
      name: 'quotadesk_backup_last_timestamp_seconds',
      help: 'When the newest backup finished, seconds since the epoch (the schedule, or an archive in BACKUP_DIR); 0: none.',
      registers,
      async collect() {
        const scheduled = await src.lastScheduledBackup();
        const file = await newestBackup(src.backupDir);
        this.set(Math.max(scheduled ? Date.parse(scheduled) / 1000 : 0, file ? file.at.getTime() / 1000 : 0));
      },
    });
  }

  /** Process metrics (CPU, memory, event loop): for the one app a server runs, not for every test app. */
  withProcessMetrics(): this {
    collectDefaultMetrics({ register: this.registry, prefix: 'quotadesk_' });
    return this;
  }

  /** One answered request: `route` is the route's pattern. */
  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = { method: METHODS.has(method) ? method : 'OTHER', route, status: String(status) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

export interface Readiness {
  ok: boolean;
  checks: { database: 'ok' | 'down'; migrations: 'ok' | 'behind' | 'unknown'; storage: 'ok' | 'full' | 'readonly' };
}

/** Ready to serve: the database answers, every migration has run, the data directory takes a write. */
export async function readiness(db: Knex, dataDir: string): Promise<Readiness> {
  const checks: Readiness['checks'] = { database: 'ok', migrations: 'ok', storage: 'ok' };
  try {
    await ping(db);
    const names = migrationNames();
    checks.migrations = (await latestMigration(db)) === names[names.length - 1] ? 'ok' : 'behind';
  } catch {
    checks.database = 'down';
    checks.migrations = 'unknown';
  }
  const fault = await probeStorage(dataDir);
  if (fault) checks.storage = fault.fault;
  return {
    ok: checks.database === 'ok' && checks.migrations === 'ok' && checks.storage === 'ok',
    checks,
  };
}
