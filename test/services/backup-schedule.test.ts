/**
 * The scheduled backup (BACKUP_EVERY_HOURS, BACKUP_KEEP): two instances on one database ticking at the same
 * moment write one archive between them, a turn not yet due writes none, a claim whose instance died expires,
 * and only the newest archives are kept. On SQLite and, with DATABASE_URL, on PostgreSQL.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimScheduledBackup } from '../../db/stores/backup';
import { checkpointKey } from '../../server/services/audit-checkpoint';
import { verifyBackup } from '../../server/services/backup';
import { BackupSchedule } from '../../server/services/backup-schedule';
import { testApp, type TestApp } from '../helpers/app';

jest.setTimeout(120_000);

let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'qd-backup-schedule-'));
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const archives = () =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.tar.gz'))
    .sort();
const instance = (keep = 2) =>
  new BackupSchedule(
    {
      db: t.db,
      dataDir: t.dataDir,
      databaseUrl: t.services.config.databaseUrl,
      checkpointKey: checkpointKey('test-secret'),
      checkpointSources: [t.dataDir],
    },
    { dir, everyHours: 6, keep },
  );

test('two instances ticking together take one turn; the next is due only after BACKUP_EVERY_HOURS; the newest BACKUP_KEEP are kept', async () => {
  const a = instance();
  const b = instance();
  expect(a.holder).not.toBe(b.holder);
  const t0 = new Date('2026-12-07T00:00:00Z');
  const [ra, rb] = await Promise.all([a.tick(t0), b.tick(t0)]);
  expect([ra.file, rb.file].filter(Boolean)).toHaveLength(1);
  expect(archives()).toHaveLength(1);
  expect((await verifyBackup(join(dir, archives()[0]))).ok).toBe(true);
  expect(await a.last()).not.toBeNull();
  // five hours on: not due on either instance
  const t5 = new Date(t0.getTime() + 5 * 3600_000);
  expect(await Promise.all([a.tick(t5), b.tick(t5)])).toEqual([{}, {}]);
  // seven and fourteen hours on: due again, each time once; two kept
  for (const h of [7, 14]) {
    const at = new Date(t0.getTime() + h * 3600_000);
    const r = await Promise.all([b.tick(at), a.tick(at)]);
    expect(r.filter((x) => x.file)).toHaveLength(1);
  }
  expect(archives()).toHaveLength(2);
  expect(archives()[0]).toContain('20261207T070000000Z');
  expect(archives()[1]).toContain('20261207T140000000Z');
});

test('a claim held by an instance that died blocks the turn until its lease ends', async () => {
  const later = Date.parse('2026-12-08T12:00:00Z');
  // an instance claims the turn and dies without releasing it
  expect(await claimScheduledBackup(t.db, 'dead-instance', 6 * 3600_000, 60_000, later)).toBe(true);
  const a = instance(5);
  expect(await a.tick(new Date(later + 30_000))).toEqual({});
  const r = await a.tick(new Date(later + 61_000));
  expect(r.file).toBeDefined();
});

test('switched off (BACKUP_EVERY_HOURS=0) nothing is written', async () => {
  const off = new BackupSchedule(
    { db: t.db, dataDir: t.dataDir, databaseUrl: null, checkpointKey: Buffer.from('k') },
    { dir: join(dir, 'off'), everyHours: 0, keep: 1 },
  );
  expect(off.enabled).toBe(false);
  expect(await off.tick()).toEqual({});
  expect(t.services.backups.enabled).toBe(false);
});
