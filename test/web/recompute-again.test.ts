/**
 * A failed recompute run again from its page (docs/rules.md §6.1): the administrator's "Run again" starts a new
 * run over the year's results still provisional — the ones the failed run finished are not recomputed twice.
 */
import { isPostgres } from '../../db/connection';
import { YearRecompute } from '../../server/services/recompute';
import { FileUploadFiles } from '../../server/services/upload-files';
import { csrfFrom, decoded, login, testApp, type TestApp } from '../helpers/app';
import { enterWage, shortRosterChecked } from '../helpers/recompute';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const provisionalIds = async (year: number): Promise<string[]> =>
  (
    await t
      .db('checks')
      .where({ year, has_problems: false })
      .andWhere('result_json', 'like', '%"wage-cap-not-checked"%')
      .orderBy('id')
      .select('id')
  ).map((r: { id: string }) => r.id);

test('a failed run: the page offers "Run again" (administrator, CSRF, audited); the new run recomputes only the results still provisional', async () => {
  for (const n of [1, 2, 3]) expect(await shortRosterChecked(t, 2025, `again${n}.xlsx`)).toBeDefined();
  const ids = await provisionalIds(2025);
  expect(ids.length).toBeGreaterThanOrEqual(3);
  const admin = (await t.services.accounts.byUsername('admin'))!;
  expect(await enterWage(t, admin, 2025)).toEqual({ ok: true });

  // the database refuses the last result's new version: the run fails on its last page, the others written
  const last = ids.at(-1)!;
  if (isPostgres(t.db)) {
    await t.db.raw(
      `create function refuse_last() returns trigger as $$ begin if new.check_id = '${last}' then raise exception 'versions refused'; end if; return new; end $$ language plpgsql`,
    );
    await t.db.raw(
      'create trigger refuse_last before insert on result_versions for each row execute function refuse_last()',
    );
  } else
    await t.db.raw(
      `create trigger refuse_last before insert on result_versions when new.check_id = '${last}' begin select raise(abort, 'versions refused'); end`,
    );
  const r = new YearRecompute(t.db, t.services.params, new FileUploadFiles(t.dataDir), 0, undefined, () => undefined, {
    pageSize: 1,
  });
  const failed = (await r.settle((await r.start(admin, 2025)).id, 30_000))!;
  await r.close();
  expect(failed).toMatchObject({ status: 'failed', total: ids.length, done: ids.length - 1 });
  expect(await provisionalIds(2025)).toEqual([last]);
  // the cause removed
  if (isPostgres(t.db)) {
    await t.db.raw('drop trigger refuse_last on result_versions');
    await t.db.raw('drop function refuse_last()');
  } else await t.db.raw('drop trigger refuse_last');

  // the failed run's page says what to do and offers the button, in either language
  const s = await login(t.app, 'admin');
  const zh = decoded((await s.agent.get(`/bureau/social-average-wage?run=${failed.id}`)).text);
  expect(zh).toContain('点击“重新计算”');
  expect(zh).toContain(`action="/bureau/social-average-wage/runs/${failed.id}/again"`);
  expect(zh).toMatch(/<button type="submit">重新计算<\/button>/);
  const en = decoded((await s.agent.get(`/bureau/social-average-wage?run=${failed.id}&lang=en`)).text);
  expect(en).toContain('press “Run again”');
  expect(en).toMatch(/<button type="submit">Run again<\/button>/);
  expect(en).not.toContain('重新计算');

  // without the form's token, or for an officer, nothing starts
  const again = `/bureau/social-average-wage/runs/${failed.id}/again`;
  expect((await s.agent.post(again).type('form').send({})).status).toBe(403);
  const officer = await login(t.app, 'officer.haining');
  expect([403, 404]).toContain((await officer.agent.post(again).type('form').send({ _csrf: officer.csrf })).status);
  expect(await t.db('recompute_runs').where({ year: 2025 })).toHaveLength(1);

  const res = await s.agent
    .post(again)
    .type('form')
    .send({ _csrf: csrfFrom(zh) });
  expect(res.status).toBe(303);
  const next = Number(/\?run=(\d+)$/.exec(res.headers.location)![1]);
  expect(next).not.toBe(failed.id);
  const done = (await t.services.procedure.settleRecompute(next, 30_000))!;
  expect(done).toMatchObject({ status: 'done', year: 2025, total: 1, done: 1 });
  expect(done.summary.recomputed).toBe(1);
  expect(await provisionalIds(2025)).toEqual([]);
  for (const id of ids) {
    const versions = await t.db('result_versions').where({ check_id: id }).orderBy('version');
    expect(versions.map((v) => [v.version, v.reason])).toEqual([
      [1, 'original'],
      [2, 'social-average-wage'],
    ]);
    expect(await t.db('audit_log').where({ action: 'result.recomputed', target: `check:${id}` })).toHaveLength(1);
  }
  const started = await t.db('audit_log').where({ action: 'recompute.started', actor: 'admin' });
  expect(started.map((e) => JSON.parse(e.detail_json ?? e.detail))).toContainEqual({
    run: next,
    results: 1,
    after: failed.id,
  });
  // the finished run's page shows what it changed; a run that did not fail cannot be run again
  expect(decoded((await s.agent.get(`${res.headers.location}&lang=zh`)).text)).toContain('已重新计算 1 个结果');
  expect(
    (
      await s.agent
        .post(`/bureau/social-average-wage/runs/${next}/again`)
        .type('form')
        .send({ _csrf: csrfFrom(zh) })
    ).status,
  ).toBe(404);
});
