/**
 * Appending to the audit chain: several entries of one change are chained in order in one write; an append
 * after a rolled-back one, or after another connection appended, still continues the chain from the head
 * the database holds (on SQLite an append first tries the head it last wrote, and the database refuses a
 * wrong guess). Runs on SQLite, and on PostgreSQL when DATABASE_URL names it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Db } from '../../db/connection';
import { migrateLatest, rollbackAll } from '../../db/migrate';
import { appendAudit, verifyAudit } from '../../db/stores/audit';

const databaseUrl = process.env.DATABASE_URL || null;
const dir = mkdtempSync(join(tmpdir(), 'qd-audit-'));
let db: Db;
let other: Db;

beforeAll(async () => {
  db = connect({ databaseUrl, dataDir: dir });
  if (databaseUrl) await rollbackAll(db);
  await migrateLatest(db);
  other = connect({ databaseUrl, dataDir: dir });
});
afterAll(async () => {
  await other.destroy();
  await db.destroy();
});

const entry = (n: number) => ({ actor: 'test', action: 'test.step', target: `step:${n}`, detail: { n } });
const rows = () => db('audit_log').orderBy('id').select('id', 'target', 'prev_hash', 'hash');

test('the chain continues from the head in the database, whoever appended last', async () => {
  // how often this connection read the head before appending
  let headReads = 0;
  db.on('query', (q: { sql: string }) => {
    if (/^select .hash. from .audit_log. order by .id. desc limit/i.test(q.sql)) headReads++;
  });
  await appendAudit(db, entry(1));
  await appendAudit(db, [entry(2), entry(3)]);
  // rolled back: its entry is gone, and the next append does not chain onto it
  await expect(
    db.transaction(async (trx) => {
      await appendAudit(trx, entry(99));
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  await appendAudit(db, entry(4));
  // another connection appends: this one's idea of the head is now stale
  await appendAudit(other, entry(5));
  await appendAudit(db, [entry(6), entry(7)]);
  await appendAudit(db, entry(8));

  const all = await rows();
  expect(all.map((r) => r.target)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `step:${n}`));
  for (let i = 1; i < all.length; i++) {
    expect(all[i].prev_hash).toBe(all[i - 1].hash);
    expect(Number(all[i].id)).toBeGreaterThan(Number(all[i - 1].id));
  }
  expect(await verifyAudit(db)).toEqual({ ok: true, checked: 8 });
  // PostgreSQL reads it every time (under its lock); SQLite only when its guess was wrong: the first append,
  // after the rolled-back one, and after the other connection's
  expect(headReads).toBe(databaseUrl ? 6 : 3);
});
