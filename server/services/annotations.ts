/**
 * The annotated workbook on the web: loaded as a whole (styles, comments, every sheet), so it runs in its
 * own worker pool under a heap cap and a time limit, after a cell count against a budget
 * (ANNOTATE_MAX_CELLS). A workbook over the budget, or one that runs out of memory or time, is refused
 * with a message saying what to use instead; the request thread never loads it.
 */
import { t } from '../i18n/t';
import type { Lang } from '../ingest/messages';
import type { AnnotateOutcome } from '../ingest/annotate';

/** Problems that point at a cell of a sheet: the annotated copy is offered only when there is one. */
export { markable } from '../ingest/annotate';
import type { Problem } from '../rules/result';
import { UploadPool, WorkerLimitError } from '../workers/upload-pool';

export interface AnnotateLimits {
  heapMB: number;
  seconds: number;
  maxCells: number;
}

export type AnnotateResult = AnnotateOutcome | { done: false; stopped: 'memory' | 'time' | 'crash' | 'busy' };

export class AnnotationService {
  private readonly pool: UploadPool;

  constructor(readonly limits: AnnotateLimits) {
    this.pool = new UploadPool(1, limits.heapMB, { timeoutMs: limits.seconds * 1000, maxQueue: 4 });
  }

  async run(source: string, out: string, problems: Problem[], lang: Lang): Promise<AnnotateResult> {
    try {
      return await this.pool.runJob<AnnotateOutcome>('annotate', {
        input: { source, out, problems, lang, maxCells: this.limits.maxCells },
      });
    } catch (e) {
      if (e instanceof WorkerLimitError) return { done: false, stopped: e.reason };
      throw e;
    }
  }

  close() {
    return this.pool.close();
  }
}

/** What the employer reads when the annotated copy is refused. */
export function annotateRefusal(r: Exclude<AnnotateResult, { done: true }>): { zh: string; en: string } {
  const key =
    'cells' in r
      ? 'annotate.refused.cells'
      : r.stopped === 'busy'
        ? 'annotate.refused.busy'
        : 'annotate.refused.complex';
  const max = 'cells' in r ? r.maxCells.toLocaleString('en-US') : '';
  return { zh: t(key, 'zh', { max }), en: t(key, 'en', { max }) };
}
