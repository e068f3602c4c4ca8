/**
 * A recompute page is written once, only by the instance that holds the run (docs/rules.md §6.1): an instance
 * that stalled, was taken over and wakes while the new owner is still working through the pages writes nothing.
 */
import { YearRecompute } from '../../server/services/recompute';
import { FileUploadFiles, type UploadFiles } from '../../server/services/upload-files';
import { testApp, type TestApp } from '../helpers/app';
import { enterWage, shortRosterChecked } from '../helpers/recompute';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

async function until(what: () => Promise<boolean>, ms = 300_000) {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a stalled instance that wakes while the new owner is still mid-run writes nothing: each page is written once, by the owner', async () => {
  const ids: string[] = [];
  for (const n of [1, 2, 3]) ids.push((await shortRosterChecked(t, 2025, `mid${n}.xlsx`)).id);
  const admin = (await t.services.accounts.byUsername('admin'))!;
  expect(await enterWage(t, admin, 2025)).toEqual({ ok: true });
  const files = new FileUploadFiles(t.dataDir);
  /** Opens workbooks as `files` does, holding the `n`th open until let through. */
  const holding = (n: number) => {
    let opened = 0;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const waiting = new Promise<void>((r) => (reached = r));
    const uf: UploadFiles = {
      kind: 'files',
      put: (name, p) => files.put(name, p),
      remove: (name) => files.remove(name),
      open: async (name) => {
        if (++opened === n) {
          reached();
          await held;
        }
        return files.open(name);
      },
    };
    return { uf, release, waiting };
  };
  const log = () => undefined;

  // A writes its first page, then stalls opening the second workbook
  const stalledA = holding(2);
  const a = new YearRecompute(t.db, t.services.params, stalledA.uf, 0, undefined, log, { pageSize: 1, staleMs: 1000 });
  const run = await a.start(admin, 2025);
  expect(run.total).toBe(3);
  await stalledA.waiting;
  await until(async () => (await a.find(run.id))!.done === 1);

  // B takes the run over, writes the second page, and is computing the third when A wakes
  const midB = holding(2);
  const b = new YearRecompute(t.db, t.services.params, midB.uf, 0, undefined, log, { pageSize: 1, staleMs: 1000 });
  expect(await b.resumeStalled(Date.now() + 5000)).toBe(1);
  await midB.waiting;
  await until(async () => (await b.find(run.id))!.done === 2);
  expect((await b.find(run.id))!.status).toBe('running');

  // A wakes and computes the page B already wrote: the run is B's, so A's write is refused and A stops
  stalledA.release();
  await a.settle(run.id, 30_000);
  expect((await a.find(run.id))!).toMatchObject({ status: 'running', done: 2 });
  expect((await t.db('recompute_runs').where({ id: run.id }).first('claimed_by')).claimed_by).toBe(b.owner);

  // B finishes; every result has one recomputed version and one audit entry
  midB.release();
  const done = (await b.settle(run.id, 30_000))!;
  expect(done).toMatchObject({ status: 'done', total: 3, done: 3 });
  expect(done.summary.recomputed).toBe(3);
  for (const id of ids) {
    const versions = await t.db('result_versions').where({ check_id: id }).orderBy('version');
    expect(versions.map((v) => [v.version, v.reason])).toEqual([
      [1, 'original'],
      [2, 'social-average-wage'],
    ]);
    expect(await t.db('audit_log').where({ action: 'result.recomputed', target: `check:${id}` })).toHaveLength(1);
  }
  expect(await t.db('audit_log').where({ action: 'recompute.finished', target: 'year:2025' })).toHaveLength(1);
  await Promise.all([a.close(), b.close()]);
});
