/**
 * Uploads are read in worker threads (UPLOAD_WORKERS), so the web thread keeps serving while workbooks are
 * evaluated. The worker's result is the same as the in-thread one, progress reaches the database, and a
 * worker that dies (here: out of memory under a tiny heap limit) fails only its upload, which can be retried.
 */
import { join } from 'node:path';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { findCheckByUpload } from '../../db/stores/checks';
import { findEmployerByUscc } from '../../db/stores/employers';
import { findUpload } from '../../db/stores/uploads';
import { UploadService } from '../../server/services/uploads';
import { UploadPool } from '../../server/workers/upload-pool';
import { writeSynthetic } from '../bench/synthetic';
import { testApp, type TestApp } from '../helpers/app';

jest.setTimeout(120_000);
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ uploadWorkers: 1 });
});
afterAll(async () => {
  await t.close();
});

const A = { name: '嘉兴示例精密机械有限公司', uscc: '91330481MA2B3C4D01', county: '海宁市', unit_type: '企业' };
const user = { id: 1, username: 'employer.a' };

test('a worker thread gives the same result as the request thread, and reports progress', async () => {
  const emp = (await findEmployerByUscc(t.db, A.uscc))!;
  const file = join(t.dataDir, 'w.xlsx');
  await writeRosterWorkbook(file, A, 'short');
  const inWorker = await t.services.uploads.receive(user, emp, file, 'w.xlsx', 1);
  await t.services.uploads.process(inWorker, emp);
  const inThread = new UploadService({
    db: t.db,
    params: t.services.params,
    dataDir: t.dataDir,
    secret: 'test-secret',
    log: () => undefined,
  });
  const here = await inThread.receive(user, emp, file, 'w.xlsx', 1);
  await inThread.process(here, emp);
  const a = (await findCheckByUpload(t.db, inWorker))!;
  const b = (await findCheckByUpload(t.db, here))!;
  expect(a.has_problems).toBeFalsy();
  expect(a.result_json).toBe(b.result_json);
  expect(a.employee_keys_json).toBe(b.employee_keys_json);

  const big = join(t.dataDir, 'big.xlsx');
  await writeSynthetic(big, 20_000, A);
  const id = await t.services.uploads.receive(user, emp, big, 'big.xlsx', 1);
  await t.services.uploads.process(id, emp);
  expect((await findUpload(t.db, id))!).toMatchObject({ status: 'processed', rows_read: 20_000 });
});

test('a worker that dies fails only its own upload, with a message; a retry on a healthy worker succeeds', async () => {
  const emp = (await findEmployerByUscc(t.db, A.uscc))!;
  const big = join(t.dataDir, 'oom.xlsx');
  await writeSynthetic(big, 60_000, A);
  const starved = new UploadPool(1, 8); // an 8 MB heap cannot hold a 60,000-row roster
  const fragile = new UploadService({
    db: t.db,
    params: t.services.params,
    dataDir: t.dataDir,
    secret: 'test-secret',
    log: () => undefined,
    pool: starved,
  });
  const id = await fragile.receive(user, emp, big, 'oom.xlsx', 1);
  await fragile.process(id, emp);
  const failed = (await findUpload(t.db, id))!;
  expect(failed.status).toBe('failed');
  expect(failed.error).toContain('worker');
  expect(await findCheckByUpload(t.db, id)).toBeUndefined();
  await starved.close();
  await t.services.uploads.process(id, emp); // the retry, on the app's own pool
  expect((await findUpload(t.db, id))!.status).toBe('processed');
});
