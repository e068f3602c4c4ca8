/**
 * A database error in the middle of a submission (or a notice publication) rolls the whole
 * change back: no submission row, no audit entry, the chain intact; the same action succeeds afterwards.
 * The failure is injected with a trigger on the audit table, the last write of each transaction.
 */
import { join } from 'node:path';
import { isPostgres } from '../../db/connection';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { verifyAudit } from '../../db/stores/audit';
import { findCheckByUpload } from '../../db/stores/checks';
import { findNotice } from '../../db/stores/notices';
import { buildDraft, setDraftDetails } from '../../server/services/notices';
import { setIssuer } from '../helpers/notices';
import { todayInChina } from '../../server/services/notices';
import { login, testApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

async function failAuditOn(action: string) {
  if (isPostgres(t.db)) {
    await t.db.raw(
      `CREATE OR REPLACE FUNCTION qd_fail_audit() RETURNS trigger AS $$ BEGIN IF NEW.action = '${action}' THEN RAISE EXCEPTION 'simulated database failure'; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql`,
    );
    await t.db.raw(
      'CREATE TRIGGER qd_fail_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION qd_fail_audit()',
    );
  } else {
    await t.db.raw(
      `CREATE TRIGGER qd_fail_audit BEFORE INSERT ON audit_log WHEN NEW.action = '${action}' BEGIN SELECT RAISE(ABORT, 'simulated database failure'); END`,
    );
  }
}
const healAudit = () =>
  t.db.raw(isPostgres(t.db) ? 'DROP TRIGGER qd_fail_audit ON audit_log' : 'DROP TRIGGER qd_fail_audit');

test('a failure during submission leaves no submission and no audit entry; submitting again works', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const file = join(t.dataDir, 'a.xlsx');
  await writeRosterWorkbook(
    file,
    { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市', unit_type: '企业' },
    'short',
  );
  const up = await agent.post('/employer/uploads').set('x-csrf-token', csrf).attach('file', file, 'a.xlsx');
  const check = (await findCheckByUpload(t.db, /uploads\/([\w-]+)$/.exec(up.headers.location)![1]))!;
  const before = {
    subs: await t.db('submissions').count('* as n').first(),
    audit: await t.db('audit_log').count('* as n').first(),
  };

  await failAuditOn('submission.submitted');
  const res = await agent.post(`/employer/checks/${check.id}/submit`).type('form').send({ _csrf: csrf });
  expect(res.status).toBe(500);
  expect(res.text).toContain('系统'); // the error page, not a stack trace
  expect(res.text).not.toContain('simulated database failure');
  expect(Number((await t.db('submissions').count('* as n').first())!.n)).toBe(Number(before.subs!.n));
  expect(Number((await t.db('audit_log').count('* as n').first())!.n)).toBe(Number(before.audit!.n));
  expect((await verifyAudit(t.db)).ok).toBe(true);

  await healAudit();
  const ok = await agent.post(`/employer/checks/${check.id}/submit`).type('form').send({ _csrf: csrf });
  expect(ok.status).toBe(303);
  const sub = await t.db('submissions').where({ check_id: check.id }).first();
  expect(sub.version).toBe(1); // the failed attempt used no version number
  expect((await verifyAudit(t.db)).ok).toBe(true);
});

test('a failure while publishing a notice leaves it a draft', async () => {
  const officer = await login(t.app, 'officer.haining');
  await setIssuer(t, '海宁市');
  const id = await buildDraft(t.db, { id: 2, username: 'officer.haining' }, '海宁市', 2025);
  await setDraftDetails(t.db, { id: 2, username: 'officer.haining' }, id, {
    docNo: '海残联〔2026〕2号',
    periodStart: todayInChina(),
    days: 7,
    note: '',
  });
  await failAuditOn('notice.published');
  const form = { _csrf: officer.csrf, confirm: '1' };
  expect((await officer.agent.post(`/bureau/notices/${id}/publish`).type('form').send(form)).status).toBe(500);
  expect(await findNotice(t.db, id)).toMatchObject({ status: 'draft', version: null, published_at: null });
  await healAudit();
  expect((await officer.agent.post(`/bureau/notices/${id}/publish`).type('form').send(form)).status).toBe(303);
  expect(await findNotice(t.db, id)).toMatchObject({ status: 'published', version: 1 });
  expect((await verifyAudit(t.db)).ok).toBe(true);
});
