/** Administrators add dated parameter values (validated, audited); the audit chain detects tampering. */
import { verifyAudit } from '../../db/stores/audit';
import { decoded, login, testApp, type TestApp } from '../helpers/app';
import { main } from '../../server/cli';
import { shippedParameters } from '../../server/params/load-parameters';
import { supportedYears } from '../../server/rules/parameters/lookup';

let t: TestApp;
beforeAll(async () => { t = await testApp(); });
afterAll(async () => { await t.close(); });

test('a new minimum wage is added without a code change, used at once, and audited', async () => {
  const { agent, csrf } = await login(t.app, 'admin');
  // the year after the latest minimum wage shipped, whatever that is
  const next = supportedYears(shippedParameters()).last + 1;
  const form = { _csrf: csrf, paramId: 'min-wage', key: '2', from: `${next}-01-01`, value: '2600', source: '浙政发〔2026〕99号（测试）' };
  const ok = await agent.post('/bureau/parameters').type('form').send(form);
  expect(ok.status).toBe(303);
  const page = await agent.get(ok.headers.location);
  expect(page.text).toContain('浙政发〔2026〕99号（测试）');
  expect((await t.services.params.current()).at('min-wage', `${next}-06-30`, '2').value).toBe(2600);
  const dup = await agent.post('/bureau/parameters').type('form').send(form);
  expect(dup.status).toBe(422);
  expect(decoded(dup.text)).toContain(`two values from ${next}-01-01`);
  const shape = await agent.post('/bureau/parameters').type('form').send({ ...form, from: `${next + 1}-01-01`, value: '"abc"' });
  expect(shape.status).toBe(422);
  const noSource = await agent.post('/bureau/parameters').type('form').send({ ...form, from: `${next + 1}-01-01`, source: ' ' });
  expect(noSource.status).toBe(422);
  const entry = await t.db('audit_log').where({ action: 'parameter.add' }).first();
  expect(JSON.parse(entry.detail_json)).toMatchObject({ from: `${next}-01-01`, value: 2600, key: '2' });
});

test('the audit chain verifies, and an altered or removed row is detected', async () => {
  expect((await verifyAudit(t.db)).ok).toBe(true);
  const rows = await t.db('audit_log').orderBy('id');
  expect(rows.length).toBeGreaterThan(3);
  const victim = rows[2];
  await t.db('audit_log').where({ id: victim.id }).update({ actor: 'someone-else' });
  expect(await verifyAudit(t.db)).toMatchObject({ ok: false, brokenAt: victim.id, reason: expect.stringContaining('altered') });
  await t.db('audit_log').where({ id: victim.id }).update({ actor: victim.actor });
  expect((await verifyAudit(t.db)).ok).toBe(true);
  await t.db('audit_log').where({ id: rows[1].id }).delete();
  expect(await verifyAudit(t.db)).toMatchObject({ ok: false, brokenAt: rows[2].id, reason: expect.stringContaining('removed') });
});

test('quota audit verify exits 2 and names the entry where the chain breaks', async () => {
  if (process.env.DATABASE_URL) return; // the CLI reads DATA_DIR; this check runs on the SQLite pass
  const prev = process.env.DATA_DIR;
  process.env.DATA_DIR = t.dataDir;
  let out = '';
  const io = { out: (s: string) => { out += s; }, err: () => undefined, isTTY: false };
  try {
    await t.db.destroy();
    const code = await main(['audit', 'verify'], io);
    expect(out).toMatch(/BROKEN at entry \d+/);
    expect(code).toBe(2);
  } finally {
    process.env.DATA_DIR = prev;
  }
});
