/**
 * A small pool of worker threads. Jobs queue; each worker takes one at a time. Every worker runs under a
 * heap cap and every job under a time limit: a worker that runs out of memory, overruns its time or
 * crashes fails only its own job (a `WorkerLimitError` saying which) and is replaced — the web process keeps
 * serving. Three pools use it: uploads (UPLOAD_WORKERS), the anonymous `/api/check` calculator and the
 * annotated workbook (server/app.ts); `quota check` reads its file in a pool of one (server/cli.ts).
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { ParamValue } from '../rules/parameters/table';
import type { EvaluateInput, EvaluateOutput } from '../services/evaluate-upload';
import type { RecomputeInput, RecomputeOutput } from '../services/recompute-one';

export type JobKind = 'evaluate' | 'check' | 'annotate' | 'quota-check' | 'recompute';
export type LimitReason = 'memory' | 'time' | 'crash' | 'busy';

/** A job stopped by the pool rather than finished by the worker. */
export class WorkerLimitError extends Error {
  constructor(
    readonly reason: LimitReason,
    detail: string,
  ) {
    super(`处理进程异常退出 / the processing worker stopped (${reason}): ${detail}`);
  }
}

export interface PoolOptions {
  /** Heap cap of each worker, MB. */
  maxHeapMB?: number;
  /** Time limit of one job once a worker has taken it, ms (0: none). */
  timeoutMs?: number;
  /** Jobs allowed to wait for a worker; beyond that a job fails at once with reason 'busy'. */
  maxQueue?: number;
}

interface Pending {
  id: number;
  message: Record<string, unknown>;
  onProgress: (rows: number) => void;
  resolve: (o: unknown) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
  stopped?: LimitReason;
}

export class UploadPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private seq = 0;
  private closed = false;
  private readonly opts: Required<PoolOptions>;

  constructor(
    private readonly size: number,
    maxHeapMB = 1024,
    opts: Omit<PoolOptions, 'maxHeapMB'> = {},
  ) {
    this.opts = { maxHeapMB, timeoutMs: opts.timeoutMs ?? 0, maxQueue: opts.maxQueue ?? Infinity };
  }

  /** Evaluates a stored upload (the upload service's job). */
  run(
    input: EvaluateInput,
    extra: { id: string; value: ParamValue }[],
    stamp: string,
    onProgress: (rows: number) => void,
  ): Promise<EvaluateOutput> {
    return this.runJob<EvaluateOutput>('evaluate', { input, extra, stamp }, onProgress);
  }

  /** Recomputes a stored result with the year's social average wage (the year's recompute run). */
  recompute(
    input: RecomputeInput,
    extra: { id: string; value: ParamValue }[],
    stamp: string,
  ): Promise<RecomputeOutput> {
    return this.runJob<RecomputeOutput>('recompute', { input, extra, stamp });
  }

  /** How many jobs run at once. */
  get workers(): number {
    return this.size;
  }

  /** Workers running a job now, and jobs waiting for one (the metrics). */
  get load(): { busy: number; waiting: number } {
    return { busy: this.busy.size, waiting: this.queue.length };
  }

  runJob<T>(
    kind: JobKind,
    payload: Record<string, unknown>,
    onProgress: (rows: number) => void = () => undefined,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new WorkerLimitError('busy', 'the pool is closed'));
      if (this.queue.length >= this.opts.maxQueue)
        return reject(new WorkerLimitError('busy', `${this.queue.length} jobs waiting`));
      this.queue.push({
        id: ++this.seq,
        message: { kind, ...payload },
        onProgress,
        resolve: resolve as (o: unknown) => void,
        reject,
      });
      this.pump();
    });
  }

  /** Starts the workers now, so the first job does not wait for (or compete with) a worker's start-up. */
  warm(): void {
    while (!this.closed && this.busy.size + this.idle.length < this.size) this.idle.push(this.spawn());
  }

  private spawn(): Worker {
    const w = new Worker(join(__dirname, 'upload-worker.js'), {
      resourceLimits: {
        maxOldGenerationSizeMb: this.opts.maxHeapMB,
        maxYoungGenerationSizeMb: Math.min(32, Math.max(4, this.opts.maxHeapMB / 8)),
      },
    });
    w.unref();
    w.on('message', (m: { id: number; progress?: number; output?: unknown; error?: string }) => {
      const p = this.busy.get(w);
      if (!p || p.id !== m.id) return;
      if (m.progress !== undefined) return p.onProgress(m.progress);
      clearTimeout(p.timer);
      this.busy.delete(w);
      this.idle.push(w);
      if (m.output !== undefined) p.resolve(m.output);
      else p.reject(new Error(m.error ?? 'worker failed'));
      this.pump();
    });
    let lostOnce = false;
    const lost = (reason: LimitReason, why: string) => {
      if (lostOnce) return;
      lostOnce = true;
      const p = this.busy.get(w);
      this.busy.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      if (p) {
        clearTimeout(p.timer);
        p.reject(new WorkerLimitError(p.stopped ?? reason, why));
      }
      this.pump();
    };
    w.on('error', (e: Error & { code?: string }) =>
      lost(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash', e.message),
    );
    w.on('exit', (code) => {
      if (code !== 0 || this.busy.has(w)) lost(this.busy.get(w)?.stopped ?? 'crash', `exit ${code}`);
    });
    return w;
  }

  private pump() {
    if (this.closed) return;
    while (this.queue.length) {
      let w = this.idle.pop();
      if (!w && this.busy.size + this.idle.length < this.size) w = this.spawn();
      if (!w) return;
      const p = this.queue.shift()!;
      this.busy.set(w, p);
      if (this.opts.timeoutMs > 0) {
        const worker = w;
        p.timer = setTimeout(() => {
          p.stopped = 'time';
          void worker.terminate();
        }, this.opts.timeoutMs);
        p.timer.unref();
      }
      w.postMessage({ id: p.id, ...this.withoutKnownRegister(w, p.message) });
    }
  }

  /** The certificate register each worker was last sent in full (its import), by worker. */
  private readonly registerSent = new WeakMap<Worker, number>();

  /**
   * A job carrying the certificate register (docs/rules.md §4.3) sends its entries to a worker only once per
   * register: a worker that has them already keeps them by the register's import (server/services/check-file.ts),
   * so the job goes with the import's id alone. 60,000 entries are cloned once, not on every upload.
   */
  private withoutKnownRegister(w: Worker, message: Record<string, unknown>): Record<string, unknown> {
    const input = message.input as { register?: { importId?: number; entries: unknown[] } | null } | undefined;
    const reg = input?.register;
    if (!reg || reg.importId === undefined) return message;
    if (this.registerSent.get(w) !== reg.importId) {
      this.registerSent.set(w, reg.importId);
      return message;
    }
    return { ...message, input: { ...input, register: { ...reg, entries: [] } } };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new WorkerLimitError('busy', 'the pool is closed'));
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}
