/**
 * `quota check DIR|FILE… --json`: many workbooks at once. Each is read and checked by the one pipeline
 * (server/services/check-file.ts, through run-check.ts) in worker threads, one per core
 * (os.availableParallelism()), and answered with one JSON line on stdout as soon as it is done:
 *   {"file": …, "result": {…}}                         — the same result `quota check FILE --json` prints;
 *   {"file": …, "problems": […], "problemTotals": {…}} — the same problems (nothing computed);
 *   {"file": …, "error": "…"}                          — a file that could not be read at all.
 * A folder is read with its subfolders (hidden entries left out), every file in it is checked whatever its
 * name; one bad file — corrupt, not a workbook, unreadable, too large for the thread's memory — is its own
 * line and never stops the batch. On a terminal a progress line is kept on stderr; a summary ends stderr.
 * Exit 0 when every file has a result, 2 when one has problems or could not be read.
 */
import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { settings } from '../config';
import { bilingual } from '../i18n/t';
import { ProblemList } from '../ingest/problem';
import { UploadPool, WorkerLimitError } from '../workers/upload-pool';
import type { Outcome, RunOptions } from './run-check';

type Io = { out: (s: string) => void; err: (s: string) => void; isTTY: boolean };

/** The files named: each file as given, each folder's files (with its subfolders), sorted by path. */
export async function listFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else files.push(p); // a file, or an entry that may not be readable: its own line says so
    }
  };
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (st?.isDirectory()) await walk(p);
    else files.push(p);
  }
  return files;
}

export interface BatchSummary {
  files: number;
  results: number;
  problems: number;
  errors: number;
  ms: number;
}

/** Checks every file named, one JSON line each; returns the exit code. */
export async function batchCheck(
  paths: string[],
  opts: Omit<RunOptions, 'onProgress' | 'annotate'>,
  io: Io,
  workers = availableParallelism(),
): Promise<number> {
  const started = Date.now();
  const files = await listFiles(paths);
  const heapMB = settings.checkHeapMB();
  const pool = new UploadPool(Math.max(1, Math.min(workers, files.length)), heapMB);
  // the pool's threads do not keep a process alive (they serve a web app); the command waits for its own
  const alive = setInterval(() => undefined, 60_000);
  const summary: BatchSummary = { files: files.length, results: 0, problems: 0, errors: 0, ms: 0 };
  let done = 0;
  let shown = 0;
  const progress = () => {
    if (!io.isTTY || Date.now() - shown < 200) return;
    shown = Date.now();
    io.err(`\r已检查 ${done} / ${files.length} 个文件… / ${done} of ${files.length} files checked`);
  };
  const one = async (file: string) => {
    const line = await checkOne(pool, file, opts, heapMB);
    if ('result' in line) summary.results++;
    else if ('problems' in line) summary.problems++;
    else summary.errors++;
    io.out(JSON.stringify(line));
    done++;
    progress();
  };
  try {
    await Promise.all(files.map(one));
  } finally {
    clearInterval(alive);
    await pool.close();
  }
  summary.ms = Date.now() - started;
  if (io.isTTY && shown) io.err(`\r${' '.repeat(60)}\r`);
  const seconds = (summary.ms / 1000).toFixed(1);
  io.err(
    `共 ${summary.files} 个文件：${summary.results} 个有结果，${summary.problems} 个有问题，${summary.errors} 个无法读取（${seconds} 秒）/ ` +
      `${summary.files} files: ${summary.results} with a result, ${summary.problems} with problems, ${summary.errors} unreadable (${seconds} s)\n`,
  );
  return summary.problems || summary.errors ? 2 : 0;
}

type Line =
  | { file: string; result: unknown }
  | { file: string; problems: unknown; problemTotals: unknown }
  | { file: string; error: string };

async function checkOne(
  pool: UploadPool,
  file: string,
  opts: Omit<RunOptions, 'onProgress' | 'annotate'>,
  heapMB: number,
): Promise<Line> {
  try {
    const outcome = await pool.runJob<Outcome>('quota-check', { input: { file, opts } });
    return outcome.kind === 'result'
      ? { file, result: outcome.result }
      : { file, problems: outcome.problems, problemTotals: outcome.problemTotals };
  } catch (e) {
    if (e instanceof WorkerLimitError && e.reason !== 'busy') {
      // as `quota check FILE` says it: the file needed more memory than the thread may use, or broke the reader
      const list = new ProblemList(opts.lang);
      list.error(
        e.reason === 'memory' ? 'file/out-of-memory' : 'file/corrupt',
        '',
        '',
        e.reason === 'memory' ? { memory: `${heapMB} MB` } : { detail: e.message },
      );
      return { file, problems: list.items, problemTotals: list.totals };
    }
    // not found, not readable, a folder that vanished: the reason as the system gives it
    return { file, error: `${bilingual('cli.message.cannotRead')}: ${(e as Error).message}` };
  }
}
