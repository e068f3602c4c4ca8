/**
 * A small pool of upload worker threads (UPLOAD_WORKERS, default: CPUs − 1, at least 1). Jobs queue; each
 * worker takes one at a time. A worker that dies (out of memory on a hostile file, a crash) fails only its
 * own job and is replaced — the web process keeps serving.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { ParamValue } from '../rules/parameters/table';
import type { EvaluateInput, EvaluateOutput } from '../services/evaluate-upload';

interface Pending { id: number; job: { input: EvaluateInput; extra: { id: string; value: ParamValue }[]; stamp: string }; onProgress: (rows: number) => void; resolve: (o: EvaluateOutput) => void; reject: (e: Error) => void }

export class UploadPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private seq = 0;
  private closed = false;

  constructor(private readonly size: number, private readonly maxHeapMB = 1024) {}

  run(input: EvaluateInput, extra: { id: string; value: ParamValue }[], stamp: string, onProgress: (rows: number) => void): Promise<EvaluateOutput> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: ++this.seq, job: { input, extra, stamp }, onProgress, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Worker {
    const w = new Worker(join(__dirname, 'upload-worker.js'), { resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMB } });
    w.unref();
    w.on('message', (m: { id: number; progress?: number; output?: EvaluateOutput; error?: string }) => {
      const p = this.busy.get(w);
      if (!p || p.id !== m.id) return;
      if (m.progress !== undefined) return p.onProgress(m.progress);
      this.busy.delete(w);
      this.idle.push(w);
      if (m.output) p.resolve(m.output);
      else p.reject(new Error(m.error ?? 'worker failed'));
      this.pump();
    });
    const lost = (why: string) => {
      const p = this.busy.get(w);
      this.busy.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      if (p) p.reject(new Error(`处理进程异常退出 / the processing worker stopped: ${why}`));
      this.pump();
    };
    w.on('error', (e) => lost(e.message));
    w.on('exit', (code) => { if (code !== 0 || this.busy.has(w)) lost(`exit ${code}`); });
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
      w.postMessage({ id: p.id, ...p.job });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}
