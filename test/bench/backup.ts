/**
 * BENCH_PARTS=backup: how long a backup, its verification and a restore take for an installation of
 * BENCH_BACKUP_EMPLOYERS (10,000) units — the installation the recompute benchmark builds (./recompute.ts:
 * each unit with its stored workbook, its checked result and, for 60 %, a submission; the size mix of
 * ./synthetic.ts rosters, 1,040,000 employees in all), plus audit entries and a checkpoint. Measured: `quota
 * backup` (server/services/backup.ts) while nothing else runs, `quota backup verify`, and `quota restore` into
 * an empty data directory and database; then it CHECKS the restore (rows per table, every raw upload's
 * SHA-256 against its row, the audit chain and checkpoints) and fails if anything differs.
 * On SQLite (raw uploads as files), then on PostgreSQL when DATABASE_URL is set (raw uploads in the database,
 * the default there).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Db } from '../../db/connection';
import { migrateLatest, rollbackAll } from '../../db/migrate';
import { appendAudit, verifyAudit } from '../../db/stores/audit';
import { rowCounts } from '../../db/stores/backup';
import { checkpointKey, verifyCheckpoints, writeCheckpoint } from '../../server/services/audit-checkpoint';
import { createBackup, restoreBackup, verifyBackup } from '../../server/services/backup';
import { DatabaseUploadFiles, uploadFilesFor } from '../../server/services/upload-files';
import { seed, templates, type Template } from './recompute';

const KEY = checkpointKey('bench-secret');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = Date.now();
  return [await f(), Date.now() - t0];
}

/** Moves the seeded upload files into the database, as PostgreSQL installations keep them. */
async function filesIntoDatabase(db: Db, dataDir: string): Promise<void> {
  const into = new DatabaseUploadFiles(db, dataDir);
  const names = (await db('uploads').select('stored_name')) as { stored_name: string }[];
  for (const { stored_name } of names) {
    const p = join(dataDir, 'uploads', stored_name);
    await into.put(stored_name, p);
    rmSync(p);
  }
}

async function runOn(label: string, databaseUrl: string | null, n: number, tpl: Map<string, Template>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'qd-bench-backup-'));
  const backups = mkdtempSync(join(tmpdir(), 'qd-bench-backups-'));
  const restored = mkdtempSync(join(tmpdir(), 'qd-bench-restored-'));
  const db = connect({ databaseUrl, dataDir });
  const wrong: string[] = [];
  try {
    if (databaseUrl) await rollbackAll(db);
    await migrateLatest(db);
    const [seeded, seedMs] = await timed(() => seed(db, dataDir, n, tpl));
    if (databaseUrl) await filesIntoDatabase(db, dataDir);
    for (let i = 0; i < 1000; i++)
      await appendAudit(db, { actor: 'bench', action: 'bench.entry', target: `unit:${i}`, detail: { i } });
    await writeCheckpoint(db, dataDir, KEY);
    const before = await rowCounts(db);
    console.log(
      `\n== ${label}: ${n.toLocaleString('en-US')} units, ${seeded.employees.toLocaleString('en-US')} employees, ` +
        `${before.uploads} raw uploads (${databaseUrl ? 'in the database' : 'files'}); seeded in ${s(seedMs)}`,
    );
    const [made, backupMs] = await timed(() =>
      createBackup({ db, dataDir, databaseUrl, checkpointKey: KEY, checkpointSources: [dataDir] }, backups),
    );
    const [verdict, verifyMs] = await timed(() => verifyBackup(made.file, KEY));
    if (!verdict.ok) wrong.push(`verify: ${verdict.reason}`);
    await db.destroy();
    if (databaseUrl) {
      const wipe = connect({ databaseUrl, dataDir });
      await rollbackAll(wipe);
      await wipe.destroy();
    }
    const [, restoreMs] = await timed(() => restoreBackup(made.file, { dataDir: restored, databaseUrl }, { key: KEY }));
    console.log(
      `backup: ${s(backupMs)} (database ${s(made.phases.database)}, uploads ${s(made.phases.uploads)}, ` +
        `checksums ${s(made.phases.checksums)}, archive ${s(made.phases.archive)}), ` +
        `archive ${mb(made.bytes)} (${made.manifest.members.length} members); ` +
        `verify: ${s(verifyMs)}; restore: ${s(restoreMs)}`,
    );
    // what the restore brought back
    const back = connect({ databaseUrl, dataDir: restored });
    try {
      const after = await rowCounts(back);
      for (const [table, count] of Object.entries(before))
        if (after[table] !== count) wrong.push(`${table}: ${after[table]} rows restored, ${count} backed up`);
      const files = uploadFilesFor(back, restored, databaseUrl ? 'database' : 'files', !!databaseUrl);
      const rows = (await back('uploads').select('stored_name', 'sha256')) as { stored_name: string; sha256: string }[];
      let bad = 0;
      for (const r of rows) {
        const f = await files.open(r.stored_name);
        if (createHash('sha256').update(readFileSync(f.path)).digest('hex') !== r.sha256) bad++;
        await f.release();
      }
      if (bad) wrong.push(`${bad} raw uploads differ from their checksum`);
      if (!(await verifyAudit(back)).ok) wrong.push('the audit chain does not verify');
      if (!(await verifyCheckpoints(back, [restored], KEY)).ok) wrong.push('the audit checkpoints do not verify');
      if (databaseUrl) await rollbackAll(back);
    } finally {
      await back.destroy();
    }
    console.log(
      wrong.length
        ? `CHECKS OUTPUT: WRONG — ${wrong.join('; ')}`
        : `CHECKS OUTPUT: OK — every table's rows, ${before.uploads} raw uploads byte for byte, audit chain and checkpoints`,
    );
    return wrong.length;
  } finally {
    await db.destroy().catch(() => undefined);
    for (const d of [dataDir, backups, restored]) rmSync(d, { recursive: true, force: true });
  }
}

export async function benchBackup(n: number): Promise<void> {
  const tpl = await templates();
  let failures = await runOn('SQLite', null, n, tpl);
  if (process.env.DATABASE_URL) failures += await runOn('PostgreSQL', process.env.DATABASE_URL, n, tpl);
  else console.log('\n== PostgreSQL: not run (set DATABASE_URL)');
  if (failures) throw new Error(`backup: ${failures} checks failed`);
}
