/**
 * BENCH_PARTS=recompute: entering a year's social average wage recomputes every provisional
 * result of the year. Seeds BENCH_RECOMPUTE_EMPLOYERS (10,000) employers of 2025 on the embedded default
 * (SQLite, raw uploads as files), each with its stored workbook, its provisional checked result and, for 60 %
 * of them, a submission — written straight to the database and the upload folder, not through 10,000 HTTP
 * uploads: a few template workbooks per size (written and checked once, cached under data/bench/recompute),
 * copied per employer with its own name and credit code. Size mix per 1,000 units: 600 of 25 employees,
 * 250 of 80, 120 of 250, 27 of 1,000 and 3 of 4,000 (1,040,000 employees for 10,000 units); 30 % of the
 * units of 250 or more employ a few disabled people (1 %), the rest none — every unit falls short of
 * the quota, so every result's levy waits for the wage (provisional); the counties in turn.
 * Then, in a fresh process (./recompute-run.ts), the wage is entered through the service the
 * administrator's form calls and the recompute is followed to its end: total time, per result, results/s,
 * peak RSS. Afterwards it CHECKS the output, and fails if it is wrong: every provisional result recomputed
 * exactly once (one new version each, the original kept), one audit entry each, submissions carry the new
 * levy, and a sample's figures equal a fresh check of the same workbook with the wage.
 * Run on SQLite, then on PostgreSQL when DATABASE_URL is set or a throwaway cluster can be started.
 */
import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Db } from '../../db/connection';
import { migrateLatest, rollbackAll } from '../../db/migrate';
import { shippedParameters } from '../../server/params/load-parameters';
import { COUNTIES } from '../../server/rules/types';
import { checkFile } from '../../server/services/check-file';
import { evaluateUpload } from '../../server/services/evaluate-upload';
import type { CheckResult } from '../../server/rules/result';
import { makeUscc } from '../helpers/people';
import { writeSynthetic } from './synthetic';
import { patchZip, readZipEntries } from './zip-patch';

const YEAR = 2025;
/** A test value, not an official figure: low enough that the 2 × cap binds for the synthetic wages. */
const WAGE = '36000';
const SIZES = [
  { employees: 25, per1000: 600 },
  { employees: 80, per1000: 250 },
  { employees: 250, per1000: 120 },
  { employees: 1000, per1000: 27 },
  { employees: 4000, per1000: 3 },
];
const TEMPLATE_NAME = '嘉兴重算基准模板单位有限公司';
const TEMPLATE_USCC = makeUscc('MA0000000');
const SECRET = 'bench-secret';
const dir = join(__dirname, '..', '..', 'data', 'bench', 'recompute');

const sizeOf = (i: number) => {
  let k = i % 1000;
  for (const s of SIZES) {
    if (k < s.per1000) return s.employees;
    k -= s.per1000;
  }
  throw new Error('size mix does not add up to 1,000');
};
/** Some disabled employees (1 %, short of the 1.5 % quota) in 30 % of the units of 250 or more, none elsewhere. */
const someDisabled = (i: number) => i % 10 < 3 && sizeOf(i) >= 250;
const countyOf = (i: number) => COUNTIES[i % COUNTIES.length];
const unitName = (i: number) => `嘉兴重算基准第${String(i + 1).padStart(5, '0')}号有限公司`;
const unitUscc = (i: number) => makeUscc(`MA${String(i + 1).padStart(7, '0')}`);

export interface Template {
  file: string;
  zip: ReturnType<typeof readZipEntries>;
  rowsRead: number;
  resultJson: string;
  keysJson: string;
}

export async function templates(): Promise<Map<string, Template>> {
  mkdirSync(dir, { recursive: true });
  const params = shippedParameters();
  const out = new Map<string, Template>();
  for (const s of SIZES)
    for (const some of s.employees >= 250 ? [false, true] : [false])
      for (const county of COUNTIES) {
        const key = `${s.employees}-${some ? 'some' : 'none'}-${county}`;
        const file = join(dir, `${key}.xlsx`);
        if (!existsSync(file))
          await writeSynthetic(file, s.employees, { name: TEMPLATE_NAME, uscc: TEMPLATE_USCC, county }, (e, k) =>
            some && k % 100 === 7 ? e : { ...e, cert: null },
          );
        // checked once as an upload is, before the year's wage exists: the provisional result every copy stores
        const ev = await evaluateUpload(
          {
            path: file,
            fileName: 'template.xlsx',
            lang: 'zh',
            employerUscc: TEMPLATE_USCC,
            secret: SECRET,
            registered: { county, unitType: '企业' },
          },
          params,
          () => undefined,
        );
        if (ev.hasErrors) throw new Error(`template ${key} has problems: ${ev.resultJson.slice(0, 300)}`);
        if (!ev.resultJson.includes('"wage-cap-not-checked"')) throw new Error(`template ${key} is not provisional`);
        out.set(key, {
          file,
          zip: readZipEntries(readFileSync(file)),
          rowsRead: ev.rowsRead,
          resultJson: ev.resultJson,
          keysJson: ev.keysJson,
        });
      }
  return out;
}

const swap = (text: string, i: number) =>
  text.split(TEMPLATE_NAME).join(unitName(i)).split(TEMPLATE_USCC).join(unitUscc(i));
const fen = (yuan: number) => Math.round(yuan * 100);

async function insertAll(db: Db, table: string, rows: Record<string, unknown>[], returning = false) {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 200) {
    const q = db(table).insert(rows.slice(i, i + 200));
    if (returning)
      ids.push(...(await q.returning('id')).map((r: { id: number } | number) => (typeof r === 'number' ? r : r.id)));
    else await q;
  }
  return ids;
}

/** Seeds `n` employers with their stored workbook, provisional result and (60 %) submission. */
export async function seed(db: Db, dataDir: string, n: number, tpl: Map<string, Template>) {
  const now = new Date().toISOString();
  const [admin] = await insertAll(
    db,
    'users',
    [
      {
        username: 'bench.admin',
        password_hash: 'x',
        role: 'admin',
        employer_id: null,
        county: null,
        display_name: '基准管理员',
        created_at: now,
      },
    ],
    true,
  );
  const employerIds = await insertAll(
    db,
    'employers',
    Array.from({ length: n }, (_, i) => ({
      uscc: unitUscc(i),
      name: unitName(i),
      county: countyOf(i),
      unit_type: '企业',
      created_at: now,
    })),
    true,
  );
  const userIds = await insertAll(
    db,
    'users',
    employerIds.map((id, i) => ({
      username: `bench.employer.${i + 1}`,
      password_hash: 'x',
      role: 'employer',
      employer_id: id,
      county: null,
      display_name: unitName(i),
      created_at: now,
    })),
    true,
  );
  mkdirSync(join(dataDir, 'uploads'), { recursive: true, mode: 0o700 });
  let employees = 0;
  for (let from = 0; from < n; from += 500) {
    const uploads: Record<string, unknown>[] = [];
    const checks: Record<string, unknown>[] = [];
    const subs: Record<string, unknown>[] = [];
    for (let i = from; i < Math.min(n, from + 500); i++) {
      const t = tpl.get(`${sizeOf(i)}-${someDisabled(i) ? 'some' : 'none'}-${countyOf(i)}`)!;
      employees += sizeOf(i);
      const bytes = patchZip(t.zip, { 'xl/sharedStrings.xml': (x) => swap(x, i) });
      const id = randomUUID();
      const storedName = `${id}.xlsx`;
      writeFileSync(join(dataDir, 'uploads', storedName), bytes);
      uploads.push({
        id,
        employer_id: employerIds[i],
        user_id: userIds[i],
        file_name: `${YEAR}年度按比例就业情况.xlsx`,
        stored_name: storedName,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        status: 'processed',
        rows_read: t.rowsRead,
        error: null,
        created_at: now,
        updated_at: now,
      });
      const checkId = randomUUID();
      const resultJson = swap(t.resultJson, i);
      checks.push({
        id: checkId,
        upload_id: id,
        employer_id: employerIds[i],
        year: YEAR,
        has_problems: false,
        result_json: resultJson,
        employee_keys_json: t.keysJson,
        created_at: now,
      });
      if (i % 10 < 6) {
        const r = JSON.parse(resultJson) as CheckResult;
        subs.push({
          employer_id: employerIds[i],
          year: YEAR,
          version: 1,
          check_id: checkId,
          status: 'submitted',
          quota_status: r.quota.status,
          avg_staff: r.annual.avgStaff,
          required: r.quota.required,
          avg_weighted: r.annual.avgWeighted,
          levy_payable_fen: fen(r.levy.payable),
          reward_total_fen: r.rewards.reduce((a, x) => a + fen(x.amount), 0),
          vat_ceiling_fen: fen(r.concentrated.vatRefundCeiling),
          concentrated_months: r.concentrated.months.length,
          submitted_by: userIds[i],
          submitted_at: now,
        });
      }
    }
    await db.transaction(async (trx) => {
      await insertAll(trx as unknown as Db, 'uploads', uploads);
      await insertAll(trx as unknown as Db, 'checks', checks);
      await insertAll(trx as unknown as Db, 'submissions', subs);
    });
  }
  return { admin, employees, submitted: Math.ceil(n * 0.6) };
}

/** What must be true afterwards; each failure is named. */
async function verify(db: Db, dataDir: string, n: number, summary: { recomputed: number }): Promise<string[]> {
  const wrong: string[] = [];
  const count = async (q: ReturnType<Db>) =>
    Number(((await q.count('* as n').first()) as unknown as { n: number | string }).n);
  if (summary.recomputed !== n) wrong.push(`summary says ${summary.recomputed} recomputed, expected ${n}`);
  const stillProvisional = await count(
    db('checks').where('year', YEAR).andWhere('result_json', 'like', '%"wage-cap-not-checked"%'),
  );
  if (stillProvisional) wrong.push(`${stillProvisional} results still provisional`);
  const recomputedVersions = await count(db('result_versions').where({ reason: 'social-average-wage' }));
  const originals = await count(db('result_versions').where({ reason: 'original', version: 1 }));
  const perCheck = await db('result_versions')
    .where({ reason: 'social-average-wage' })
    .select('check_id')
    .count('* as n')
    .groupBy('check_id')
    .having(db.raw('count(*) > 1'));
  if (recomputedVersions !== n) wrong.push(`${recomputedVersions} recomputed versions, expected ${n}`);
  if (originals !== n) wrong.push(`${originals} original versions kept, expected ${n}`);
  if (perCheck.length) wrong.push(`${perCheck.length} results recomputed more than once`);
  const audits = await count(db('audit_log').where({ action: 'result.recomputed' }));
  const auditTargets = Number(
    (
      (await db('audit_log').where({ action: 'result.recomputed' }).countDistinct('target as n').first()) as {
        n: number | string;
      }
    ).n,
  );
  if (audits !== n || auditTargets !== n)
    wrong.push(`${audits} audit entries for ${auditTargets} results, expected ${n}`);
  // a sample, every size class: the stored figures equal a fresh check of the same workbook with the wage
  const params = shippedParameters().withValues([
    {
      id: 'social-average-wage',
      value: { from: `${YEAR}-01-01`, to: `${YEAR}-12-31`, value: Number(WAGE), source: 'bench' },
    },
  ]);
  const sample = [
    ...new Set([0, 1, 2, 3, 600, 601, 850, 851, 970, 971, 997, 998, 999, Math.floor(n / 2), n - 1]),
  ].filter((i) => i < n);
  const figures = (r: CheckResult) =>
    JSON.stringify({
      annual: r.annual,
      quota: r.quota,
      levy: r.levy,
      rewards: r.rewards,
      taxForm: r.taxForm,
      months: r.months,
    });
  for (const i of sample) {
    const row = await db('checks as c')
      .join('employers as e', 'e.id', 'c.employer_id')
      .join('uploads as u', 'u.id', 'c.upload_id')
      .where('e.uscc', unitUscc(i))
      .first('c.id', 'c.result_json', 'u.stored_name', 'e.county');
    const fresh = await checkFile(join(dataDir, 'uploads', row.stored_name), params, {
      fileName: 'x.xlsx',
      lang: 'zh',
      origin: 'upload',
      expectedUscc: unitUscc(i),
      registered: { county: row.county, unitType: '企业' },
    });
    if (!fresh.result) {
      wrong.push(`unit ${i + 1}: the fresh check has problems`);
      continue;
    }
    const stored = JSON.parse(row.result_json) as CheckResult;
    if (figures(stored) !== figures(fresh.result))
      wrong.push(`unit ${i + 1} (${sizeOf(i)} employees): figures differ from a fresh check`);
    const sub = await db('submissions').where({ check_id: row.id }).first();
    if (sub && Number(sub.levy_payable_fen) !== fen(fresh.result.levy.payable))
      wrong.push(`unit ${i + 1}: the submission's levy was not updated`);
  }
  return wrong;
}

async function runOn(
  label: string,
  databaseUrl: string | null,
  n: number,
  tpl: Map<string, Template>,
): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qd-recompute-'));
  const db = connect({ databaseUrl, dataDir });
  try {
    if (databaseUrl) await rollbackAll(db);
    await migrateLatest(db);
    const t0 = Date.now();
    const seeded = await seed(db, dataDir, n, tpl);
    console.log(
      `\n== ${label}: ${n} employers of ${YEAR}, ${seeded.employees.toLocaleString('en-US')} employees, ${seeded.submitted} submitted; seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    if (process.env.BENCH_RECOMPUTE_SEED_ONLY) {
      console.log(`seeded only: ${dataDir}`);
      return 0;
    }
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'recompute-run.ts'), dataDir, databaseUrl ?? '', String(YEAR), WAGE],
      { encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const m = JSON.parse(out.trim().split('\n').pop()!) as {
      ms: number;
      cpuMs: number;
      peakMB: number;
      summary: { recomputed: number; unchanged: number; purged: number };
    };
    console.log(
      `recompute: ${(m.ms / 1000).toFixed(1)} s total, ${(m.ms / n).toFixed(2)} ms per result, ${((n * 1000) / m.ms).toFixed(0)} results/s, CPU ${(m.cpuMs / 1000).toFixed(1)} s, peak RSS ${m.peakMB.toFixed(0)} MB; ${m.summary.recomputed} recomputed, ${m.summary.unchanged} unchanged, ${m.summary.purged} purged`,
    );
    const wrong = await verify(db, dataDir, n, m.summary);
    console.log(
      wrong.length
        ? `CHECKS OUTPUT: WRONG — ${wrong.join('; ')}`
        : `CHECKS OUTPUT: OK — ${n} results recomputed once each, originals kept, ${n} audit entries, submissions updated, sample equal to a fresh check`,
    );
    if (label === 'SQLite')
      console.log(
        `target ≤ 60 s for 10,000 on SQLite: ${m.ms <= 60000 && n >= 10000 ? 'met' : n < 10000 ? 'not measured at 10,000' : 'NOT met'}`,
      );
    return wrong.length;
  } finally {
    await db.destroy();
    if (process.env.BENCH_RECOMPUTE_KEEP || process.env.BENCH_RECOMPUTE_SEED_ONLY) console.log(`kept: ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchRecompute(n: number): Promise<void> {
  const t0 = Date.now();
  const tpl = await templates();
  console.log(
    `\nRecomputing a year's provisional results: ${tpl.size} template workbooks ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  let failures = await runOn('SQLite', null, n, tpl);
  let pg = process.env.DATABASE_URL || '';
  const rootFile = join(mkdtempSync(join(tmpdir(), 'qd-pg-')), 'root');
  if (!pg && process.env.BENCH_RECOMPUTE_PG !== '0') {
    try {
      pg = execFileSync('bash', [join(__dirname, '..', '..', '.ci', 'postgres.sh')], {
        encoding: 'utf8',
        env: {
          ...process.env,
          PGPORT: process.env.PGPORT ?? String(40000 + Math.floor(Math.random() * 10000)),
          PGROOT_FILE: rootFile,
        },
      }).trim();
    } catch {
      pg = '';
    }
  }
  try {
    if (pg) failures += await runOn('PostgreSQL', pg, n, tpl);
    else
      console.log(
        process.env.BENCH_RECOMPUTE_PG === '0'
          ? '\n== PostgreSQL: not run (BENCH_RECOMPUTE_PG=0)'
          : '\n== PostgreSQL: not run (set DATABASE_URL, or run as root with Debian postgresql installed)',
      );
  } finally {
    if (existsSync(rootFile)) stopCluster(readFileSync(rootFile, 'utf8').trim());
  }
  if (failures) throw new Error(`recompute: ${failures} checks failed`);
}

function stopCluster(root: string) {
  const pgbin = execFileSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], {
    encoding: 'utf8',
  }).trim();
  execFileSync('runuser', ['-u', 'postgres', '--', `${pgbin}/pg_ctl`, '-D', `${root}/data`, '-m', 'fast', 'stop'], {
    stdio: 'ignore',
  });
}
