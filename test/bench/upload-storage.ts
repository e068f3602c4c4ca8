/**
 * Raw-upload storage back ends, measured in one run: store + read back (to the path the reader opens) a
 * 1,000- and a 100,000-employee workbook with the files back end and the database back end (SQLite, and
 * PostgreSQL when DATABASE_URL names it). Medians of 3 after one warm-up; ratios to the files back end.
 * `node --import tsx test/bench/upload-storage.ts`
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import { DatabaseUploadFiles, FileUploadFiles, type UploadFiles } from '../../server/services/upload-files';
import { writeSynthetic } from './synthetic';

async function time(files: UploadFiles, src: string): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 4; i++) {
    const name = `bench-${Date.now()}-${i}.xlsx`;
    const t0 = performance.now();
    await files.put(name, src);
    const o = await files.open(name);
    await o.release();
    runs.push(performance.now() - t0);
    await files.remove(name);
  }
  return runs.slice(1).sort((a, b) => a - b)[1];
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'qd-storage-'));
  const sqlite = connect({ databaseUrl: null, dataDir: join(dir, 'sqlite') });
  await migrateLatest(sqlite);
  const pg = process.env.DATABASE_URL
    ? connect({ databaseUrl: process.env.DATABASE_URL, dataDir: join(dir, 'pg') })
    : null;
  if (pg) await migrateLatest(pg);
  for (const rows of [1000, 100_000]) {
    const src = join(dir, `roster-${rows}.xlsx`);
    await writeSynthetic(src, rows);
    const files = await time(new FileUploadFiles(join(dir, 'files')), src);
    const inSqlite = await time(new DatabaseUploadFiles(sqlite, join(dir, 'sqlite')), src);
    const inPg = pg ? await time(new DatabaseUploadFiles(pg, join(dir, 'pg')), src) : NaN;
    console.log(
      `${rows} employees (${(statSync(src).size / 1e6).toFixed(1)} MB): files ${files.toFixed(0)} ms; database on SQLite ${inSqlite.toFixed(0)} ms (${(inSqlite / files).toFixed(1)} ×)${pg ? `; database on PostgreSQL ${inPg.toFixed(0)} ms (${(inPg / files).toFixed(1)} ×)` : ''}`,
    );
  }
  await sqlite.destroy();
  await pg?.destroy();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
