/**
 * The anonymous calculator behind POST /api/check: read the file, check it, answer — nothing stored. The
 * reading runs in its own worker pool (never in the request thread) under a heap cap and a time limit,
 * and each client address is rate limited, so one hostile file cannot take the server down and one
 * client cannot queue the calculator up for everyone else.
 */
import type { Knex } from 'knex';
import { hitRateLimit } from '../../db/stores/rate-limits';
import { kindTotals } from '../i18n/problems';
import type { Lang } from '../ingest/messages';
import { ProblemList } from '../ingest/problem';
import type { Parameters } from '../rules/parameters/table';
import type { ProblemTotals } from '../rules/result';
import { UploadPool, WorkerLimitError } from '../workers/upload-pool';
import { checkFile, type CheckFileOptions } from './check-file';
import type { ParameterService } from './parameters';

/** The pipeline's options as they travel to the worker (text only), with the file's path. */
export type ApiCheckInput = Pick<
  CheckFileOptions,
  'fileName' | 'lang' | 'employerFields' | 'maxFileBytes' | 'socialAverageWage' | 'alreadyPaid'
> & { path: string; lang: Lang };

/** An HTTP status and the JSON body, as text (built in the worker, passed through as is). */
export interface ApiCheckOutput {
  status: number;
  json: string;
}

/** The totals as the API gives them: counts by code, and by kind with the kind in the caller's language. */
function totalsWithKinds(totals: ProblemTotals, lang: Lang) {
  return { ...totals, byKind: kindTotals(totals, lang) };
}

/** Runs in the worker: the same pipeline as everywhere else. */
export async function apiCheck(input: ApiCheckInput, params: Parameters): Promise<ApiCheckOutput> {
  const checked = await checkFile(input.path, params, {
    fileName: input.fileName,
    lang: input.lang,
    origin: 'api',
    employerFields: input.employerFields,
    maxFileBytes: input.maxFileBytes,
    socialAverageWage: input.socialAverageWage,
    alreadyPaid: input.alreadyPaid,
  });
  if (!checked.result) {
    return {
      status: checked.problemTotals.byCode['file/too-large'] ? 413 : 422,
      json: JSON.stringify({
        problems: checked.problems,
        problemTotals: totalsWithKinds(checked.problemTotals, input.lang),
      }),
    };
  }
  // the result exactly as `quota check --json` gives it (docs/rules.md §10): the contract is one
  return { status: 200, json: JSON.stringify(checked.result) };
}

export interface ApiCheckLimits {
  workers: number;
  heapMB: number;
  seconds: number;
  /** Requests per client address per window. */
  perWindow: number;
  windowMs: number;
}

export class ApiCheckService {
  private readonly pool: UploadPool;

  constructor(
    private readonly db: Knex,
    private readonly params: ParameterService,
    private readonly limits: ApiCheckLimits,
  ) {
    this.pool = new UploadPool(Math.max(1, limits.workers), limits.heapMB, {
      timeoutMs: limits.seconds * 1000,
      maxQueue: 8 * Math.max(1, limits.workers),
    });
  }

  /** Counts one request from `client`; false (with the wait) once the window's allowance is spent. */
  allow(client: string) {
    return hitRateLimit(this.db, `api-check:${client}`, this.limits.windowMs, this.limits.perWindow);
  }

  async run(input: ApiCheckInput): Promise<ApiCheckOutput> {
    const snap = await this.params.snapshot();
    try {
      return await this.pool.runJob<ApiCheckOutput>('check', { input, extra: snap.extra, stamp: snap.stamp });
    } catch (e) {
      if (!(e instanceof WorkerLimitError)) throw e;
      if (e.reason === 'busy') return { status: 503, json: JSON.stringify({ error: 'busy, try again later' }) };
      // the file needed more memory or time than a workbook within the limits ever does
      const list = new ProblemList(input.lang);
      list.error('file/too-complex', '', '', { seconds: this.limits.seconds, memory: `${this.limits.heapMB} MB` });
      return {
        status: 422,
        json: JSON.stringify({ problems: list.items, problemTotals: totalsWithKinds(list.totals, input.lang) }),
      };
    }
  }

  /** Starts the calculator's workers ahead of the first request (the web server does; tests need not). */
  warm() {
    this.pool.warm();
  }

  close() {
    return this.pool.close();
  }
}
