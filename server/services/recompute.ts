/**
 * A year's recompute (docs/rules.md §6.1), started when the social average wage is entered: every provisional
 * result of the year read again from its stored workbook — in worker threads of the run's own (one per core,
 * RECOMPUTE_WORKERS) from 100 results on, in the upload workers for fewer — in parallel, and written a page at a time — each page's new versions,
 * results, submission figures, audit entries and the run's progress in one transaction. The run is long work
 * for 10,000 results, so it runs in the background; the administrator's page shows its progress. A run
 * interrupted (a restart, a crash) is resumed after its last written page, by this or another instance, so no
 * result is recomputed twice. After its last page the run looks again for provisional results of the year stored
 * since it started that its pages passed by (result ids are random, so one stored during the run can fall
 * below its cursor) and works through them too, until none remain that it has not tried.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import { insertResultVersion, replaceCheckResult, updateSubmissionFigures } from '../../db/stores/procedure';
import {
  advanceRun,
  claimRun,
  countAffectedChecksOfYear,
  countProvisionalChecksOfYear,
  pageAffectedChecksOfYear,
  yearsWithResults,
  findActiveRun,
  findRun,
  finishRun,
  insertRun,
  latestVersionsOf,
  listRecentRuns,
  listStalledRuns,
  pageProvisionalChecksOfYear,
  provisionalChecksOfYearSince,
  renewRun,
  type ProvisionalCheck,
  type RecomputeRunRow,
  type RunReason,
} from '../../db/stores/recompute-runs';
import { updateCountedMonths, withheldMonthsOfYear } from '../../db/stores/cross-unit';
import { computedResult } from '../../reports/stored-result';
import { maskOf } from './employee-keys';
import { errorSummary } from '../log';
import { UploadPool } from '../workers/upload-pool';
import type { ParameterService, ParameterSnapshot } from './parameters';
import { recomputeOne, type RecomputeInput, type RecomputeOutput } from './recompute-one';
import type { UploadFiles } from './upload-files';
import type { RegisterInput } from './certificate-register';
import type { InsuranceInput } from './insurance-records';

type Actor = { id: number; username: string };

export interface CountyMove {
  county: string;
  results: number;
  levyBefore: number;
  levyAfter: number;
}
export interface RecomputeSummary {
  year: number;
  recomputed: number;
  unchanged: number;
  /** Provisional results whose raw workbook was already purged: they keep their provisional figures. */
  purged: number;
  byCounty: CountyMove[];
}
export interface RecomputeRun {
  id: number;
  year: number;
  reason: RunReason;
  status: RecomputeRunRow['status'];
  total: number;
  done: number;
  startedAt: string;
  finishedAt: string | null;
  summary: RecomputeSummary;
}

/** by_county_json keeps fen; the summary shows yuan */
type CountyFen = { county: string; results: number; levyBeforeFen: number; levyAfterFen: number };

const viewOf = (r: RecomputeRunRow): RecomputeRun => ({
  id: r.id,
  year: r.year,
  reason: r.reason ?? 'social-average-wage',
  status: r.status,
  total: r.total,
  done: r.done,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  summary: {
    year: r.year,
    recomputed: r.recomputed,
    unchanged: r.unchanged,
    purged: r.purged,
    byCounty: (JSON.parse(r.by_county_json) as CountyFen[])
      .map((c) => ({
        county: c.county,
        results: c.results,
        levyBefore: c.levyBeforeFen / 100,
        levyAfter: c.levyAfterFen / 100,
      }))
      .sort((a, b) => a.county.localeCompare(b.county)),
  },
});

export interface RecomputeOptions {
  /** From this many results on, the run starts worker threads of its own; a smaller one uses the upload pool (or this process). */
  ownPoolFrom?: number;
  /** Results read and written per transaction. */
  pageSize?: number;
  /** A run whose heartbeat is older than this is taken over by another instance, ms. */
  staleMs?: number;
  /** The key secret of the employee keys (./employee-keys.ts): the months a unit gives up are named by key. */
  secret?: string;
  /** The certificate register in force (docs/rules.md §4.3): a recomputed result is checked against it. */
  register?: () => Promise<RegisterInput | null>;
  /** The insurer's records of a unit (docs/rules.md §4.4). */
  insurance?: (uscc: string) => Promise<InsuranceInput | null>;
}

export class YearRecompute {
  /** This instance, as named in the runs it works on. */
  readonly owner = `recompute-${randomUUID()}`;
  private readonly running = new Map<number, Promise<void>>();
  private readonly pageSize: number;
  private readonly staleMs: number;
  private readonly ownPoolFrom: number;
  private stopping = false;
  private readonly secret: string;
  private readonly register: () => Promise<RegisterInput | null>;
  private readonly insurance: (uscc: string) => Promise<InsuranceInput | null>;
  /** The months each unit gives up to another (docs/rules.md §4.2), by year, read once per run: kept in every recompute. */
  private withheld = new Map<number, Promise<Map<number, Record<string, number[]>>>>();

  constructor(
    private readonly db: Knex,
    private readonly params: ParameterService,
    private readonly files: UploadFiles,
    /** Worker threads of the run's own pool, started for the run and stopped after it (0: in this process). */
    private readonly workers: number,
    /** The upload workers, already running: enough for a run of a few results. */
    private readonly uploadPool: UploadPool | undefined,
    private readonly log: (msg: string, fields?: Record<string, unknown>) => void,
    opts: RecomputeOptions = {},
  ) {
    this.pageSize = opts.pageSize ?? 250;
    this.secret = opts.secret ?? '';
    this.register = opts.register ?? (async () => null);
    this.insurance = opts.insurance ?? (async () => null);
    this.ownPoolFrom = opts.ownPoolFrom ?? 100;
    this.staleMs = opts.staleMs ?? 60_000;
  }

  /** Starts the year's run in the background, or returns the unfinished one already under way. */
  async start(admin: Actor, year: number): Promise<RecomputeRun> {
    const total = await countProvisionalChecksOfYear(this.db, year);
    const id = await insertRun(this.db, {
      year,
      total,
      started_by: admin.id,
      claimed_by: this.owner,
      heartbeat: Date.now(),
    });
    if (id === undefined) return viewOf((await findActiveRun(this.db, year))!);
    await appendAudit(this.db, {
      actor: admin.username,
      action: 'recompute.started',
      target: `year:${year}`,
      detail: { run: id, results: total },
    });
    this.launch(id, admin.username);
    return viewOf((await findRun(this.db, id))!);
  }

  /**
   * Starts the runs an import's confirmation calls for (docs/rules.md §4.3, §4.4), in the background: for a
   * certificate register, one per data year with a stored result (a register has no
   * data year: any of them may count a person it names); for insurance records, one per year the records cover,
   * over the units they cover. Each covers the current results of its year (db/stores/recompute-runs.ts); called
   * once, when the import is confirmed.
   */
  async startForImport(
    admin: Actor,
    reason: Exclude<RunReason, 'social-average-wage'>,
    importId: number,
    cover?: { year: number; usccs: string[] | null }[],
  ): Promise<RecomputeRun[]> {
    const scopes = cover ?? (await yearsWithResults(this.db)).map((year) => ({ year, usccs: null }));
    return this.importRuns(admin, reason, scopes, { import: importId });
  }

  private async importRuns(
    admin: Actor,
    reason: Exclude<RunReason, 'social-average-wage'>,
    scopes: { year: number; usccs: string[] | null }[],
    why: Record<string, number>,
  ): Promise<RecomputeRun[]> {
    const out: RecomputeRun[] = [];
    for (const { year, usccs } of scopes) {
      const total = await countAffectedChecksOfYear(this.db, year, usccs);
      const id = (await insertRun(this.db, {
        year,
        total,
        started_by: admin.id,
        claimed_by: this.owner,
        heartbeat: Date.now(),
        reason,
        scope_json: usccs ? JSON.stringify(usccs) : null,
      }))!;
      await appendAudit(this.db, {
        actor: admin.username,
        action: 'recompute.started',
        target: `year:${year}`,
        detail: { run: id, results: total, reason, ...why },
      });
      this.launch(id, admin.username);
      out.push(viewOf((await findRun(this.db, id))!));
    }
    return out;
  }

  /**
   * Runs a failed run's year again: a new run over the results of the year still provisional — those the failed
   * run recomputed are final and not touched again; workbooks it could not read are tried again. Undefined when
   * the run is unknown or did not fail; the year's run already under way when there is one.
   */
  async again(admin: Actor, failedId: number): Promise<RecomputeRun | undefined> {
    const failed = await findRun(this.db, failedId);
    if (failed?.status !== 'failed') return undefined;
    // an import's run again over the same results: those it recomputed no longer move, so they keep their version
    if (failed.reason && failed.reason !== 'social-average-wage') {
      const usccs = failed.scope_json ? (JSON.parse(failed.scope_json) as string[]) : null;
      return (await this.importRuns(admin, failed.reason, [{ year: failed.year, usccs }], { after: failedId }))[0];
    }
    const total = await countProvisionalChecksOfYear(this.db, failed.year);
    const id = await insertRun(this.db, {
      year: failed.year,
      total,
      started_by: admin.id,
      claimed_by: this.owner,
      heartbeat: Date.now(),
    });
    if (id === undefined) return viewOf((await findActiveRun(this.db, failed.year))!);
    await appendAudit(this.db, {
      actor: admin.username,
      action: 'recompute.started',
      target: `year:${failed.year}`,
      detail: { run: id, results: total, after: failedId },
    });
    this.launch(id, admin.username);
    return viewOf((await findRun(this.db, id))!);
  }

  async find(id: number): Promise<RecomputeRun | undefined> {
    const r = await findRun(this.db, id);
    return r && viewOf(r);
  }

  async recent(limit = 5): Promise<RecomputeRun[]> {
    return (await listRecentRuns(this.db, limit)).map(viewOf);
  }

  /** The run once it has finished, or as it stands after `ms` (a page waits a moment, never a minute). */
  async settle(id: number, ms: number): Promise<RecomputeRun | undefined> {
    const p = this.running.get(id);
    if (p) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([p, new Promise((r) => (timer = setTimeout(r, ms)))]);
      clearTimeout(timer);
    }
    return this.find(id);
  }

  /** Takes over the runs whose instance stopped working on them (called at start-up and now and then). */
  async resumeStalled(now = Date.now()): Promise<number> {
    let n = 0;
    for (const r of await listStalledRuns(this.db, now - this.staleMs)) {
      if (this.running.has(r.id) || !(await claimRun(this.db, r.id, this.owner, now - this.staleMs, now))) continue;
      this.log('recompute resumed', { run: r.id, year: r.year, done: r.done, total: r.total });
      this.launch(r.id, 'system');
      n++;
    }
    return n;
  }

  /** Stops taking new pages (the page being written still lands); the run is resumed later. */
  async close(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private launch(id: number, actor: string) {
    const p = this.execute(id, actor)
      .catch(async (e) => {
        // a failed write's message holds the statement with its values (names, results): only its summary
        const error = errorSummary(e);
        this.log('recompute failed', { run: id, error });
        await finishRun(this.db, id, this.owner, 'failed', error).catch(() => undefined);
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, p);
  }

  /** Works through the run's pages from its cursor; each page computed in the workers, then written at once. */
  private async execute(id: number, actor: string): Promise<void> {
    // starting worker threads takes a moment: worth it for a long run, not for a few results
    const r = await findRun(this.db, id);
    if (r) this.withheld.delete(r.year);
    const own =
      r && r.total - r.done >= this.ownPoolFrom && this.workers > 0 ? new UploadPool(this.workers) : undefined;
    own?.warm();
    try {
      await this.work(id, actor, own ?? this.uploadPool);
    } finally {
      await own?.close();
    }
  }

  private async work(id: number, actor: string, pool: UploadPool | undefined): Promise<void> {
    let run = (await findRun(this.db, id))!;
    const snap = await this.params.snapshot();
    const counties = new Map<string, CountyFen>(
      (JSON.parse(run.by_county_json) as CountyFen[]).map((c) => [c.county, c]),
    );
    const progress = {
      total: run.total,
      done: run.done,
      recomputed: run.recomputed,
      unchanged: run.unchanged,
      purged: run.purged,
      cursor: run.cursor,
    };
    // each result computed renews the heartbeat (at most every third of staleMs): a page that takes longer than
    // staleMs is not taken over halfway while it makes progress, but a run that makes none still is
    let lastBeat = Date.now();
    const alive = () => {
      const now = Date.now();
      if (now - lastBeat < this.staleMs / 3) return;
      lastBeat = now;
      renewRun(this.db, id, this.owner, now).catch(() => undefined);
    };
    // the results this instance has tried in the run (the sweep at the end takes the others)
    const tried = new Set<string>();
    // results stored from shortly before the start on (instances' clocks differ a little) may lie below the cursor
    const since = new Date(Date.parse(run.started_at) - SWEEP_CLOCK_MARGIN_MS).toISOString();
    let sweeping = false;
    const reason = run.reason ?? 'social-average-wage';
    const usccs = run.scope_json ? (JSON.parse(run.scope_json) as string[]) : null;
    const nextPage = async (): Promise<ProvisionalCheck[]> => {
      // results stored after an import was confirmed were checked against it: no sweep
      if (reason !== 'social-average-wage')
        return pageAffectedChecksOfYear(this.db, run.year, usccs, progress.cursor, this.pageSize);
      if (!sweeping) {
        const page = await pageProvisionalChecksOfYear(this.db, run.year, progress.cursor, this.pageSize);
        if (page.length) return page;
        sweeping = true;
      }
      // the sweep: those not tried yet, a page at a time, until none remain
      return (await provisionalChecksOfYearSince(this.db, run.year, since))
        .filter((c) => !tried.has(c.id))
        .slice(0, this.pageSize);
    };
    // the next page is read while this one is computed; a page is written while the next is computed
    let writing: Promise<boolean> = Promise.resolve(true);
    for (;;) {
      if (this.stopping) return;
      const page = await nextPage();
      if (!page.length) break;
      for (const c of page) tried.add(c.id);
      const outputs = await this.computePage(page, snap, pool, alive, reason !== 'social-average-wage');
      if (!(await writing)) return; // another instance holds the run now
      // the sweep's results lie below the cursor: it stays where the pages ended
      if (!sweeping) progress.cursor = page.at(-1)!.id;
      writing = this.writePage(id, run, actor, page, outputs, counties, progress);
      // awaited before the next page is written (and its failure then ends the run); until then it must not
      // count as an unhandled rejection, which would stop the process
      writing.catch(() => undefined);
    }
    if (!(await writing)) return;
    run = (await findRun(this.db, id))!;
    if (await finishRun(this.db, id, this.owner, 'done'))
      await appendAudit(this.db, {
        actor,
        action: 'recompute.finished',
        target: `year:${run.year}`,
        detail: { run: id, reason, recomputed: run.recomputed, unchanged: run.unchanged, purged: run.purged },
      });
  }

  /** Every result of the page, two per worker at a time (one read while the other's file is opened). */
  private async computePage(
    page: ProvisionalCheck[],
    snap: ParameterSnapshot,
    pool: UploadPool | undefined,
    /** called as each result is computed */
    alive: () => void,
    imported: boolean,
  ): Promise<(RecomputeOutput | 'purged')[]> {
    const out: (RecomputeOutput | 'purged')[] = new Array(page.length);
    const width = 2 * Math.max(1, pool?.workers ?? 1);
    // the largest workbooks first, so the page ends on small ones and no worker waits long for the last
    const order = page.map((_, i) => i).sort((x, y) => Number(page[y].size) - Number(page[x].size));
    let next = 0;
    const lane = async () => {
      while (next < order.length) {
        const i = order[next++];
        out[i] = await this.computeOne(page[i], snap, pool, imported);
        alive();
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, page.length) }, lane));
    return out;
  }

  private async computeOne(
    c: ProvisionalCheck,
    snap: ParameterSnapshot,
    pool: UploadPool | undefined,
    imported: boolean,
  ): Promise<RecomputeOutput | 'purged'> {
    if (c.purged_at) return 'purged';
    try {
      return await this.readOne(c, snap, pool, imported);
    } catch (e) {
      // one workbook that cannot be read (gone from the disk, or stopped by a worker's limits) keeps its
      // provisional figures, as an unreadable one does; the rest of the year goes on. It stays provisional;
      // a later run of the year (run again after a failure) tries it once more.
      this.log('recompute could not read a stored workbook', {
        check: c.id,
        error: errorSummary(e),
      });
      return { status: 'unchanged' };
    }
  }

  private async readOne(
    c: ProvisionalCheck,
    snap: ParameterSnapshot,
    pool: UploadPool | undefined,
    imported: boolean,
  ): Promise<RecomputeOutput> {
    // a CSV is the roster alone: read it again with the unit's details from its account and the upload form,
    // as it was read when uploaded
    const form = c.employer_form_json ? (JSON.parse(c.employer_form_json) as Record<string, string>) : {};
    const year = Number(c.year);
    if (!this.withheld.has(year)) this.withheld.set(year, withheldMonthsOfYear(this.db, year));
    const months = (await this.withheld.get(year)!).get(Number(c.employer_id));
    const stored = await this.files.open(c.stored_name);
    try {
      const input: RecomputeInput = {
        path: stored.path,
        fileName: c.file_name,
        beforeJson: c.result_json,
        employerFields: { name: c.name, uscc: c.uscc, county: c.county, unitType: c.unit_type, ...form },
        uscc: c.uscc,
        ...(months ? { withheld: { secret: this.secret, months } } : {}),
        register: await this.register(),
        insurance: await this.insurance(c.uscc),
        ...(imported ? { imported: true } : {}),
      };
      return pool ? await pool.recompute(input, snap.extra, snap.stamp) : await recomputeOne(input, snap.params);
    } finally {
      await stored.release();
    }
  }

  private async writePage(
    id: number,
    run: RecomputeRunRow,
    actor: string,
    page: ProvisionalCheck[],
    outputs: (RecomputeOutput | 'purged')[],
    counties: Map<string, CountyFen>,
    progress: {
      total: number;
      done: number;
      recomputed: number;
      unchanged: number;
      purged: number;
      cursor: string | null;
    },
  ): Promise<boolean> {
    const next = { ...progress };
    const reason = run.reason ?? 'social-average-wage';
    const moved = new Map([...counties].map(([k, v]) => [k, { ...v }]));
    const held = await this.db
      .transaction(async (trx) => {
        const latest = await latestVersionsOf(
          trx,
          page
            .filter((_, i) => typeof outputs[i] === 'object' && (outputs[i] as RecomputeOutput).status === 'recomputed')
            .map((c) => c.id),
        );
        for (let i = 0; i < page.length; i++) {
          const c = page[i];
          const o = outputs[i];
          next.done++;
          if (o === 'purged') {
            next.purged++;
            continue;
          }
          if (o.status === 'skip') continue;
          if (o.status === 'unchanged') {
            next.unchanged++;
            continue;
          }
          const last = latest.get(c.id);
          if (last === undefined)
            await insertResultVersion(trx, {
              check_id: c.id,
              version: 1,
              reason: 'original',
              result_json: c.result_json,
              diff_json: '[]',
              created_by: run.started_by,
            });
          const version = (last ?? 1) + 1;
          await insertResultVersion(trx, {
            check_id: c.id,
            version,
            reason,
            result_json: o.resultJson,
            diff_json: JSON.stringify(o.diff),
            created_by: run.started_by,
          });
          await replaceCheckResult(trx, c.id, o.resultJson);
          await updateSubmissionFigures(trx, c.id, {
            levy_payable_fen: o.levyAfterFen,
            reward_total_fen: o.rewardTotalFen,
            quota_status: o.quotaStatus,
          });
          // months the register or records no longer count are no longer counted across units (§4.2)
          if (reason !== 'social-average-wage') {
            const after = computedResult(o.resultJson)!;
            await updateCountedMonths(trx, c.id, new Map(after.counted.map((p) => [p.row, maskOf(p.months)])));
          }
          await appendAudit(trx, {
            actor,
            action: 'result.recomputed',
            target: `check:${c.id}`,
            detail: { year: run.year, version, reason, diff: o.diff },
          });
          const agg = moved.get(o.county) ?? { county: o.county, results: 0, levyBeforeFen: 0, levyAfterFen: 0 };
          agg.results++;
          agg.levyBeforeFen += o.levyBeforeFen;
          agg.levyAfterFen += o.levyAfterFen;
          moved.set(o.county, agg);
          next.recomputed++;
        }
        // results found beyond the count made at the start (stored during the run) count in the total
        next.total = Math.max(next.total, next.done);
        const ok = await advanceRun(trx, id, this.owner, {
          ...next,
          by_county_json: JSON.stringify([...moved.values()]),
          heartbeat: Date.now(),
        });
        if (!ok) throw new LostRun();
        return true;
      })
      .catch((e) => {
        if (e instanceof LostRun) return false;
        throw e;
      });
    if (held) {
      Object.assign(progress, next);
      counties.clear();
      for (const [k, v] of moved) counties.set(k, v);
    }
    return held;
  }
}

class LostRun extends Error {}

/** How far before a run's start the sweep looks for results stored meanwhile: instances' clocks differ a little. */
const SWEEP_CLOCK_MARGIN_MS = 60_000;
