/** `quota register import`: the same checks and the same service as the web import, on the app's database. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import { main } from '../../server/cli';
import { createAdministrator } from '../../server/services/admin-accounts';
import { makeUscc } from '../helpers/people';

const dir = mkdtempSync(join(tmpdir(), 'cli-register-'));
const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
beforeAll(() => {
  process.env.DATA_DIR = dir;
  process.env.DATABASE_URL = '';
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

async function run(args: string[]) {
  let out = '',
    err = '';
  const code = await main(args, { out: (s) => void (out += s + '\n'), err: (s) => void (err += s), isTTY: false });
  return { code, out, err };
}

const HEADER = '统一社会信用代码,单位名称,所在县（市、区）,单位类型,联系人,联系电话';

test('refused without an administrator, then rows checked, imported once, and the same file again changes nothing', async () => {
  const file = join(dir, 'register.csv');
  writeFileSync(
    file,
    `${HEADER}\n${makeUscc('CLQ000001')},命令行甲公司,海宁市,企业,,\n${makeUscc('CLQ000002')},命令行乙公司,桐乡市,企业,,\n`,
  );
  expect((await run(['register', 'import', file, '--year', '2025'])).code).toBe(2);
  const db = connect({ databaseUrl: null, dataDir: dir });
  await migrateLatest(db);
  expect((await createAdministrator(db, 'ops.admin', 'correct horse battery staple', '管理员')).ok).toBe(true);

  expect((await run(['register', 'import', file])).code).toBe(2); // --year is required
  const onlyHaining = await run(['register', 'import', file, '--year', '2025', '--county', '海宁市']);
  expect(onlyHaining.code).toBe(2);
  expect(onlyHaining.out).toContain('行 3 列 C: 该单位属于桐乡市，您只能导入海宁市的单位');
  expect(await db('register_units').count('id as n').first()).toMatchObject({ n: 0 });

  const dry = await run(['register', 'import', file, '--year', '2025', '--dry-run']);
  expect(dry.out).toContain('确认后：新增 2 家');
  expect(await db('register_units').count('id as n').first()).toMatchObject({ n: 0 });
  const ok = await run(['register', 'import', file, '--year', '2025', '--lang', 'en']);
  expect(ok.code).toBe(0);
  expect(ok.out).toContain('Register imported: 2 added, 0 changed, 0 unchanged');
  const again = await run(['register', 'import', file, '--year', '2025']);
  expect(again.out).toContain('新增 0 家，变更 0 家，2 家不变');
  expect(await db('register_units').count('id as n').first()).toMatchObject({ n: 2 });
  expect((await db('audit_log').where({ action: 'register.imported' }).first()).actor).toBe('quota register import');
  await db.destroy();
});
