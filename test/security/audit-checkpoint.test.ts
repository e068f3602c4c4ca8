/**
 * Deleting the last audit entries leaves a shorter chain that still verifies. A signed
 * checkpoint of the head, kept outside the database, makes `quota audit verify` fail on that truncation,
 * and a forged checkpoint is refused too.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { main } from '../../server/cli';
import { verifyAudit } from '../../db/stores/audit';
import {
  checkpointFile,
  checkpointKey,
  verifyCheckpoints,
  writeCheckpoint,
} from '../../server/services/audit-checkpoint';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

async function cli(args: string[]) {
  const saved = {
    DATA_DIR: process.env.DATA_DIR,
    SESSION_SECRET: process.env.SESSION_SECRET,
    DATABASE_URL: process.env.DATABASE_URL,
  };
  Object.assign(process.env, { DATA_DIR: t.dataDir, SESSION_SECRET: 'test-secret', DATABASE_URL: '' });
  let out = '';
  try {
    const code = await main(args, {
      out: (s) => {
        out += s + '\n';
      },
      err: (s) => {
        out += s;
      },
      isTTY: false,
    });
    return { code, out };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test('deleting the last audit entries: the chain alone still verifies, the checkpoint does not', async () => {
  if (process.env.DATABASE_URL) return; // the CLI reads DATA_DIR's SQLite database; this runs on the SQLite pass
  const key = checkpointKey('test-secret');
  expect(await writeCheckpoint(t.db, t.dataDir, key)).not.toBeNull();
  expect(await writeCheckpoint(t.db, t.dataDir, key)).toBeNull(); // nothing new: no new line
  expect((await cli(['audit', 'verify'])).code).toBe(0);

  const last = await t.db('audit_log').orderBy('id', 'desc').limit(3).pluck('id');
  await t.db('audit_log').whereIn('id', last).delete();
  expect((await verifyAudit(t.db)).ok).toBe(true); // the attack: a truncated chain is still a valid chain
  const v = await verifyCheckpoints(t.db, t.dataDir, key);
  expect(v.ok).toBe(false);
  const r = await cli(['audit', 'verify', '--lang', 'en']);
  expect(r.code).toBe(2);
  expect(r.out).toContain('TRUNCATED');
  expect(r.out).toContain('the last entries were deleted');
});

test('a checkpoint written by someone without the key is refused', async () => {
  if (process.env.DATABASE_URL) return;
  const lines = readFileSync(checkpointFile(t.dataDir), 'utf8').trim().split('\n');
  const forged = { ...JSON.parse(lines[lines.length - 1]), count: 1, sig: 'ab'.repeat(32) };
  appendFileSync(checkpointFile(t.dataDir), JSON.stringify(forged) + '\n');
  const v = await verifyCheckpoints(t.db, t.dataDir, checkpointKey('test-secret'));
  expect(v).toMatchObject({ ok: false, reason: expect.stringContaining('wrong signature') });
  // and one signed with another secret is refused the same way
  const other = await verifyCheckpoints(t.db, t.dataDir, checkpointKey('another-secret'));
  expect(other.ok).toBe(false);
});
