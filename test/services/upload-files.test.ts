/**
 * Raw uploads through one storage interface. The database back end (what several instances on
 * one PostgreSQL use) keeps a file in chunks and gives it back byte for byte; an upload stored there is
 * processed, and removed by the retention purge, with nothing under DATA_DIR/uploads. Runs on SQLite and,
 * with DATABASE_URL, on PostgreSQL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSynthetic } from '../bench/synthetic';
import { testApp, type TestApp } from '../helpers/app';
import {
  CHUNK_BYTES,
  DatabaseUploadFiles,
  FileUploadFiles,
  type UploadFiles,
} from '../../server/services/upload-files';
import { UploadService } from '../../server/services/uploads';
import { purgeExpired } from '../../server/services/retention';
import { markUploadPurged } from '../../db/stores/uploads';

jest.setTimeout(120_000);

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test.each(['files', 'database'])(
  'the %s back end gives back what was stored, byte for byte, across chunks',
  async (kind) => {
    const files: UploadFiles =
      kind === 'database' ? new DatabaseUploadFiles(t.db, t.dataDir) : new FileUploadFiles(t.dataDir);
    const src = join(t.dataDir, `blob-${kind}.bin`);
    const bytes = randomBytes(2 * CHUNK_BYTES + 12345);
    writeFileSync(src, bytes);
    await files.put(`x-${kind}.xlsx`, src);
    const got = await files.open(`x-${kind}.xlsx`);
    expect(sha(readFileSync(got.path))).toBe(sha(bytes));
    await got.release();
    if (kind === 'database') expect(existsSync(got.path)).toBe(false);
    await files.remove(`x-${kind}.xlsx`);
    await expect(files.open(`x-${kind}.xlsx`).then((o) => readFileSync(o.path))).rejects.toThrow();
  },
);

test('an upload kept in the database is processed, and purged by the retention rule, with no file under DATA_DIR/uploads', async () => {
  const files = new DatabaseUploadFiles(t.db, t.dataDir);
  const svc = new UploadService({
    db: t.db,
    params: t.services.params,
    dataDir: t.dataDir,
    secret: 'test-secret',
    log: () => undefined,
    files,
  });
  const user = (await t.services.accounts.byUsername('employer.a'))!;
  const employer = (await t.services.employers.byId(user.employer_id!))!;
  const src = join(t.dataDir, 'db-roster.xlsx');
  await writeSynthetic(src, 300, { name: employer.name, uscc: employer.uscc, county: employer.county });
  const before = existsSync(join(t.dataDir, 'uploads')) ? readdirSync(join(t.dataDir, 'uploads')).length : 0;
  const id = await svc.receive(user, employer, src, '名册.xlsx', 1);
  const up = await t.db('uploads').where({ id }).first();
  expect(
    Number((await t.db('upload_blobs').where({ stored_name: up.stored_name }).count('* as n').first())!.n),
  ).toBeGreaterThan(0);
  await svc.process(id, employer);
  expect((await t.db('uploads').where({ id }).first()).status).toBe('processed');
  expect(existsSync(join(t.dataDir, 'uploads')) ? readdirSync(join(t.dataDir, 'uploads')).length : 0).toBe(before);
  // an upload the retention rule has purged (its row marked, as a crash between row and file leaves it):
  // every purge run removes the stored file, here its chunks
  await markUploadPurged(t.db, id, '（已删除）.xlsx');
  await purgeExpired(t.db, files, 'test', '2000-01-01');
  expect(Number((await t.db('upload_blobs').where({ stored_name: up.stored_name }).count('* as n').first())!.n)).toBe(
    0,
  );
});
