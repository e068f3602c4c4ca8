/**
 * Recovery once re-processed an upload that was still being processed — the second run hit
 * the unique constraint on the check, the processed upload then showed "failed" with the raw SQL, and a
 * retry could never succeed. An upload is now claimed with a lease (renewed while it is processed) by one
 * processor at a time; a finished upload is never run again.
 */
import { join } from 'node:path';
import { writeSynthetic } from '../bench/synthetic';
import { testApp, type TestApp } from '../helpers/app';
import { claimUpload } from '../../db/stores/uploads';

jest.setTimeout(120_000);

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const A = { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市' };

async function received(rows: number): Promise<string> {
  const file = join(t.dataDir, `roster-${rows}-${Date.now()}.xlsx`);
  await writeSynthetic(file, rows, A);
  const user = (await t.services.accounts.byUsername('employer.a'))!;
  const employer = (await t.services.employers.byId(user.employer_id!))!;
  return t.services.uploads.receive(user, employer, file, '名册.xlsx', 1);
}

const employerA = async () => {
  const user = (await t.services.accounts.byUsername('employer.a'))!;
  return (await t.services.employers.byId(user.employer_id!))!;
};

test('recovery while the upload is still being processed does not run it a second time', async () => {
  // large enough that reading it outlasts the poll below on a fast machine
  const id = await received(40_000);
  const employer = await employerA();
  const first = t.services.uploads.process(id, employer);
  // wait until the first run has started, then let recovery treat every unfinished upload as stale
  while ((await t.db('uploads').where({ id }).first()).status === 'received')
    await new Promise((r) => setTimeout(r, 10));
  expect((await t.db('uploads').where({ id }).first()).status).toBe('processing');
  const recovered = t.services.uploads.recover((eid) => t.services.employers.byId(eid), 0);
  await Promise.all([first, recovered]);

  const up = await t.db('uploads').where({ id }).first();
  expect(up.status).toBe('processed');
  expect(up.error).toBeNull();
  expect(up.attempts).toBe(1);
  expect(Number((await t.db('checks').where({ upload_id: id }).count('* as n').first())!.n)).toBe(1);
  const failed = await t.db('audit_log').where({ action: 'upload.failed', target: `upload:${id}` });
  expect(failed).toHaveLength(0);
});

test('a processed upload is never run again: process, recovery and retry leave its one result alone', async () => {
  const id = await received(50);
  const employer = await employerA();
  await t.services.uploads.process(id, employer);
  const before = await t.db('uploads').where({ id }).first();
  expect(before.status).toBe('processed');
  const check = await t.db('checks').where({ upload_id: id }).first();

  await t.services.uploads.process(id, employer);
  await t.services.uploads.recover((eid) => t.services.employers.byId(eid), 0);
  const after = await t.db('uploads').where({ id }).first();
  expect(after.status).toBe('processed');
  expect(after.attempts).toBe(before.attempts);
  expect(after.error).toBeNull();
  const checks = await t.db('checks').where({ upload_id: id });
  expect(checks).toHaveLength(1);
  expect(checks[0].id).toBe(check.id);
});

test('a lease is held by one processor at a time and can be taken over only once it has expired', async () => {
  const id = await received(20);
  const now = Date.now();
  expect(await claimUpload(t.db, id, 'instance-1', now, 60_000)).toBe(true);
  expect(await claimUpload(t.db, id, 'instance-2', now + 1000, 60_000)).toBe(false); // still leased
  expect(await claimUpload(t.db, id, 'instance-2', now + 61_000, 60_000)).toBe(true); // lease expired: taken over
  const up = await t.db('uploads').where({ id }).first();
  expect(up.claimed_by).toBe('instance-2');
  expect(up.attempts).toBe(2);
});
