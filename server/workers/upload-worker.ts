/**
 * The upload worker thread: evaluates uploads off the request thread, so pages stay responsive while
 * large workbooks are read. Messages in: { id, input, extra, stamp }; out: { id, progress } … then
 * { id, output } or { id, error }. The parameter table is rebuilt only when the database's values change.
 */
import { parentPort } from 'node:worker_threads';
import { buildParameters, loadParameterDefs } from '../params/load-parameters';
import type { Parameters, ParamValue } from '../rules/parameters/table';
import { evaluateUpload, type EvaluateInput } from '../services/evaluate-upload';

export interface WorkerJob { id: number; input: EvaluateInput; extra: { id: string; value: ParamValue }[]; stamp: string }

const defs = loadParameterDefs();
let cached: { stamp: string; params: Parameters } | null = null;

parentPort!.on('message', (job: WorkerJob) => {
  void (async () => {
    try {
      if (cached?.stamp !== job.stamp) cached = { stamp: job.stamp, params: buildParameters(defs, job.extra) };
      const output = await evaluateUpload(job.input, cached.params, (rows) => parentPort!.postMessage({ id: job.id, progress: rows }));
      parentPort!.postMessage({ id: job.id, output });
    } catch (e) {
      parentPort!.postMessage({ id: job.id, error: (e as Error).message ?? String(e) });
    }
  })();
});
