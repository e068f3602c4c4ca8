/**
 * The worker thread of every pool (server/workers/upload-pool.ts): reads workbooks off the request thread,
 * so pages stay responsive while large or hostile files are read. Messages in: { id, kind, … }; out:
 * { id, progress } … then { id, output } or { id, error }. Kinds: 'evaluate' a stored upload, 'check' a
 * file for the anonymous API, 'annotate' a workbook, 'quota-check' a file for the command line, 'recompute' a stored result with the year's social average wage. The parameter table is rebuilt only when the
 * database's values change.
 */
import { parentPort } from 'node:worker_threads';
import { annotateWithinBudget, type AnnotateJob } from '../ingest/annotate';
import { buildParameters, loadParameterDefs } from '../params/load-parameters';
import type { Parameters, ParamValue } from '../rules/parameters/table';
import { apiCheck, type ApiCheckInput } from '../services/api-check';
import { evaluateUpload, type EvaluateInput } from '../services/evaluate-upload';
import { runCheck, type RunOptions } from '../cli/run-check';
import { recomputeOne, type RecomputeInput } from '../services/recompute-one';

type Extra = { id: string; value: ParamValue }[];
export type WorkerJob =
  | { id: number; kind: 'evaluate'; input: EvaluateInput; extra: Extra; stamp: string }
  | { id: number; kind: 'check'; input: ApiCheckInput; extra: Extra; stamp: string }
  | { id: number; kind: 'annotate'; input: AnnotateJob }
  | { id: number; kind: 'quota-check'; input: { file: string; opts: Omit<RunOptions, 'onProgress'> } }
  | { id: number; kind: 'recompute'; input: RecomputeInput; extra: Extra; stamp: string };

const defs = loadParameterDefs();
let cached: { stamp: string; params: Parameters } | null = null;
const paramsFor = (stamp: string, extra: Extra) => {
  if (cached?.stamp !== stamp) cached = { stamp, params: buildParameters(defs, extra) };
  return cached.params;
};

parentPort!.on('message', (job: WorkerJob) => {
  void (async () => {
    try {
      const progress = (rows: number) => parentPort!.postMessage({ id: job.id, progress: rows });
      const output =
        job.kind === 'annotate'
          ? await annotateWithinBudget(job.input)
          : job.kind === 'check'
            ? await apiCheck(job.input, paramsFor(job.stamp, job.extra))
            : job.kind === 'quota-check'
              ? await runCheck(job.input.file, { ...job.input.opts, onProgress: progress })
              : job.kind === 'recompute'
                ? await recomputeOne(job.input, paramsFor(job.stamp, job.extra))
                : await evaluateUpload(job.input, paramsFor(job.stamp, job.extra), progress);
      parentPort!.postMessage({ id: job.id, output });
    } catch (e) {
      parentPort!.postMessage({ id: job.id, error: (e as Error).message ?? String(e) });
    }
  })();
});
