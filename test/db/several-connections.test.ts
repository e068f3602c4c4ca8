/**
 * Two app instances are two connection pools on one database. What they count and chain together must come
 * out as if one process had done it: a rate limit allows its stated number across both, and the audit
 * chain appended from both at the same moment does not fork. Each instance's signed checkpoints, kept in
 * its own data directory, are verified together. Runs on PostgreSQL (DATABASE_URL; .ci/run) with two pools,
 * as two instances are; on SQLite, which serves one instance, the audit appends go through that instance's
 * one writer (a second process writing the same SQLite file is not a supported set-up).
 */
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Db } from '../../db/connection';
import { migrateLatest, rollbackAll } from '../../db/migrate';
import { appendAudit, verifyAudit } from '../../db/stores/audit';
import { hitRateLimit } from '../../db/stores/rate-limits';
import { checkpointKey, verifyCheckpoints, writeCheckpoint } from '../../server/services/audit-checkpoint';

const dir = mkdtempSync(join(tmpdir(), 'qd-conns-'));
const databaseUrl = process.env.DATABASE_URL || null;
let a: Db;
let b: Db;

beforeAll(async () => {
  a = connect({ databaseUrl, dataDir: dir });
  if (databaseUrl) await rollbackAll(a);
  await migrateLatest(a);
  b = connect({ databaseUrl, dataDir: dir });
});
/** The second instance's pool on PostgreSQL; on SQLite the same instance's writer. */
const writerB = () => (databaseUrl ? b : a);
afterAll(async () => {
  await a.destroy();
  await b.destroy();
});

test('a rate limit hit from two instances at once allows exactly its limit, and a new window starts afresh', async () => {
  const now = Date.now();
  const hits = Array.from({ length: 40 }, (_, i) => hitRateLimit(i % 2 ? a : b, 'login:test', 60_000, 10, now));
  const results = await Promise.all(hits);
  expect(results.filter((r) => r.allowed)).toHaveLength(10);
  const refused = results.filter((r) => !r.allowed);
  expect(refused).toHaveLength(30);
  for (const r of refused) {
    expect(r.retryAfterSeconds).toBeGreaterThan(0);
    expect(r.retryAfterSeconds).toBeLessThanOrEqual(60);
  }
  const row = await a('rate_limits').where({ key: 'login:test' }).first();
  expect(Number(row.count)).toBe(40);
  // the window is over a minute later: counted from one again
  const later = await hitRateLimit(b, 'login:test', 60_000, 10, now + 61_000);
  expect(later).toEqual({ allowed: true, retryAfterSeconds: 0 });
  expect(Number((await a('rate_limits').where({ key: 'login:test' }).first()).count)).toBe(1);
});

test('audit entries appended by two instances at the same moment form one unbroken chain', async () => {
  const before = Number((await a('audit_log').count('* as n').first())!.n);
  await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      appendAudit(i % 2 ? a : writerB(), {
        actor: `instance-${i % 2 ? 'a' : 'b'}`,
        action: 'test.append',
        target: `n:${i}`,
      }),
    ),
  );
  const rows = await a('audit_log').orderBy('id').select('prev_hash', 'hash');
  expect(rows).toHaveLength(before + 60);
  // a fork shows as two entries naming the same predecessor
  expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length);
  expect(await verifyAudit(a)).toEqual({ ok: true, checked: before + 60 });
});

test("every instance's checkpoints are verified: a truncation is caught by whichever instance saw the longer chain", async () => {
  const key = checkpointKey('test-secret');
  const dirA = join(dir, 'instance-a');
  const dirB = join(dir, 'instance-b');
  mkdirSync(dirA);
  mkdirSync(dirB);
  expect(await writeCheckpoint(a, dirA, key)).not.toBeNull();
  await appendAudit(writerB(), { actor: 'instance-b', action: 'test.append', target: 'later' });
  await appendAudit(writerB(), { actor: 'instance-b', action: 'test.append', target: 'last' });
  const atB = await writeCheckpoint(writerB(), dirB, key);
  expect(atB).not.toBeNull();
  const both = await verifyCheckpoints(a, [dirA, dirB], key);
  expect(both).toMatchObject({ ok: true, sources: 2, latest: { count: atB!.count } });

  // the last two entries deleted: A's checkpoint alone still holds, B's does not
  const last = await a('audit_log').orderBy('id', 'desc').limit(2).pluck('id');
  await a('audit_log').whereIn('id', last).delete();
  expect((await verifyAudit(a)).ok).toBe(true);
  expect((await verifyCheckpoints(a, [dirA], key)).ok).toBe(true);
  const caught = await verifyCheckpoints(a, [dirA, dirB], key);
  expect(caught.ok).toBe(false);
  expect(!caught.ok && caught.reason).toContain('the last entries were deleted');
  expect(!caught.ok && caught.reason).toContain(dirB);

  // a source the operator named that holds no checkpoints (a mistyped path) fails instead of checking less
  const typo = await verifyCheckpoints(a, [dirA, join(dir, 'instance-c')], key, { named: true });
  expect(typo.ok).toBe(false);
  expect(!typo.ok && typo.reason).toContain('no checkpoint file');
  expect((await verifyCheckpoints(a, [dirA, join(dir, 'instance-c')], key)).ok).toBe(true);
});
