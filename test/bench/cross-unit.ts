/**
 * BENCH_PARTS=cross-unit (docs/rules.md §4.2–§4.3):
 *  1. the city-wide search for a person counted by two units in one month, over BENCH_CROSS_UNITS (10,000)
 *     submissions of 2025 on SQLite — 1,000,000 employees of which 15,000 disabled are kept as counted persons
 *     (what a result keeps: the keyed hash, months and dates) and 300 of them counted again by a second unit,
 *     200 of those in overlapping months; seeded straight into the tables. It times `clashesOfYear` (the service
 *     the bureau calls) and CHECKS that it finds exactly the seeded clashes. Target: ≤ 10 s.
 *  2. the check of one 1,000-employee upload (checkFile, as the upload worker runs it) without a register and with
 *     a register of 60,000 certificates (the register as the worker receives it: keyed entries), interleaved,
 *     median of BENCH_REPEAT runs each. Target: with the register no more than 10 % slower.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Db } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import { shippedParameters } from '../../server/params/load-parameters';
import { COUNTIES } from '../../server/rules/types';
import { checkFile } from '../../server/services/check-file';
import { CrossUnitService } from '../../server/services/cross-unit';
import { employeeKeyOf } from '../../server/services/employee-keys';
import type { ParameterService } from '../../server/services/parameters';
import type { UploadFiles } from '../../server/services/upload-files';
import type { RegisterEntry } from '../../server/rules/certificate-register';
import { makeUscc } from '../helpers/people';
import { writeSynthetic } from './synthetic';

const YEAR = 2025;
const SECRET = 'bench-secret';

async function insertAll(db: Db, table: string, rows: Record<string, unknown>[], returning = false) {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 150) {
    const q = db(table).insert(rows.slice(i, i + 150));
    if (returning)
      ids.push(...(await q.returning('id')).map((r: { id: number } | number) => (typeof r === 'number' ? r : r.id)));
    else await q;
  }
  return ids;
}

const keyOf = (p: number) => employeeKeyOf(`person-${p}`, SECRET);

async function seed(db: Db, units: number, disabled: number, twice: number, overlapping: number) {
  const now = new Date().toISOString();
  const [admin] = await insertAll(
    db,
    'users',
    [{ username: 'bench.admin', password_hash: 'x', role: 'admin', display_name: 'x', created_at: now }],
    true,
  );
  const employerIds = await insertAll(
    db,
    'employers',
    Array.from({ length: units }, (_, i) => ({
      uscc: makeUscc(`MA${String(i + 1).padStart(7, '0')}`),
      name: `嘉兴重复计入基准第${i + 1}号有限公司`,
      county: COUNTIES[i % COUNTIES.length],
      unit_type: '企业',
      created_at: now,
    })),
    true,
  );
  const checkIds: string[] = [];
  for (let from = 0; from < units; from += 1000) {
    const uploads: Record<string, unknown>[] = [],
      checks: Record<string, unknown>[] = [],
      subs: Record<string, unknown>[] = [];
    for (let i = from; i < Math.min(units, from + 1000); i++) {
      const up = randomUUID(),
        check = randomUUID();
      checkIds.push(check);
      uploads.push({
        id: up,
        employer_id: employerIds[i],
        user_id: admin,
        file_name: 'x.xlsx',
        stored_name: `${up}.xlsx`,
        size: 1,
        sha256: 'x',
        status: 'processed',
        rows_read: 100,
        created_at: now,
        updated_at: now,
      });
      checks.push({
        id: check,
        upload_id: up,
        employer_id: employerIds[i],
        year: YEAR,
        has_problems: false,
        result_json: '{}',
        employee_keys_json: '[]',
        created_at: now,
      });
      subs.push({
        employer_id: employerIds[i],
        year: YEAR,
        version: 1,
        check_id: check,
        status: 'submitted',
        quota_status: 'short',
        avg_staff: 100,
        required: 1.5,
        avg_weighted: 1.5,
        levy_payable_fen: 0,
        reward_total_fen: 0,
        vat_ceiling_fen: 0,
        concentrated_months: 0,
        submitted_by: admin,
        submitted_at: now,
      });
    }
    await db.transaction(async (trx) => {
      await insertAll(trx as unknown as Db, 'uploads', uploads);
      await insertAll(trx as unknown as Db, 'checks', checks);
      await insertAll(trx as unknown as Db, 'submissions', subs);
    });
  }
  // disabled person p works at unit p % units all year; the first `twice` are counted again by the next unit,
  // the first `overlapping` of those in July–December (overlapping), the others in January–June of a unit that
  // counts them only from July (apart)
  const rows: Record<string, unknown>[] = [];
  const row = (p: number, unit: number, mask: number, r: number) => ({
    check_id: checkIds[unit],
    employer_id: employerIds[unit],
    year: YEAR,
    person_key: keyOf(p),
    row: r,
    masked_name: '张*',
    weight: 1,
    months_mask: mask,
    insured_mask: null,
    hired: '2020-01-01',
    left: null,
    contract_start: '2020-01-01',
    contract_end: null,
  });
  for (let p = 0; p < disabled; p++) {
    const apart = p >= overlapping && p < twice;
    rows.push(row(p, p % units, apart ? 0x03f : 0xfff, 2 + Math.floor(p / units)));
    if (p < twice) rows.push(row(p, (p + 1) % units, apart ? 0xfc0 : 0xfc0, 90));
  }
  for (let i = 0; i < rows.length; i += 5000)
    await db.transaction((trx) => insertAll(trx as unknown as Db, 'counted_persons', rows.slice(i, i + 5000)));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchCrossUnit(units: number, repeat: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-cross-'));
  try {
    const db = connect({ databaseUrl: null, dataDir });
    await migrateLatest(db);
    const disabled = Math.round(units * 1.5),
      twice = Math.round(units * 0.03),
      overlapping = Math.round(units * 0.02);
    const t0 = Date.now();
    await seed(db, units, disabled, twice, overlapping);
    console.log(
      `\n== cross-unit search: ${units} submissions of ${YEAR} (about ${(units * 100).toLocaleString('en-US')} employees), ${disabled} counted disabled persons, ${twice} counted by a second unit (${overlapping} in overlapping months); seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const service = new CrossUnitService(
      db,
      undefined as unknown as ParameterService,
      undefined as unknown as UploadFiles,
      SECRET,
      'insured-then-earlier-entry',
      () => undefined,
    );
    const times: number[] = [];
    let found = { persons: 0, pairs: 0, personMonths: 0 };
    for (let k = 0; k < repeat; k++) {
      const s = process.hrtime.bigint();
      found = await service.clashesOfYear(YEAR);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    const ok = found.persons === overlapping && found.pairs === overlapping && found.personMonths === overlapping * 6;
    console.log(
      `clashesOfYear: median ${median(times).toFixed(0)} ms (runs: ${times.map((x) => x.toFixed(0)).join(', ')}); target ≤ 10,000 ms: ${median(times) <= 10_000 ? 'MET' : 'NOT MET'}`,
    );
    console.log(
      ok
        ? `CHECKS OUTPUT: OK — ${found.persons} persons, ${found.pairs} pairs, ${found.personMonths} person-months, as seeded`
        : `CHECKS OUTPUT: WRONG — found ${JSON.stringify(found)}, seeded ${overlapping} overlapping`,
    );
    await db.destroy();
    if (!ok) process.exitCode = 1;

    // the check of one 1,000-employee upload, with and without a 60,000-certificate register
    const dir = join(__dirname, '..', '..', 'data', 'bench');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'cross-unit-1000.xlsx');
    await writeSynthetic(file, 1000);
    const params = shippedParameters();
    const entries: [string, RegisterEntry][] = Array.from({ length: 60_000 }, (_, i) => [
      employeeKeyOf(`cert-holder-${i}`, SECRET),
      {
        category: 4,
        grade: (i % 4) + 1,
        issued: '2015-01-01',
        validTo: i % 10 ? null : '2025-06-30',
        cancelledOn: null,
      },
    ]);
    // as the upload worker receives the register: in full (cloned) with the first job after it is confirmed, then
    // by its import's id alone, served from the worker's map (server/workers/upload-pool.ts)
    let importId = 1;
    const one = async (mode: 'none' | 'first' | 'steady') => {
      const register =
        mode === 'none'
          ? null
          : mode === 'first'
            ? { secret: SECRET, importId: ++importId, entries: structuredClone(entries) }
            : { secret: SECRET, importId, entries: [] };
      const s = process.hrtime.bigint();
      const r = await checkFile(file, params, { fileName: 'x.xlsx', lang: 'zh', origin: 'upload', register });
      if (!r.result) throw new Error('the synthetic workbook did not check');
      if (mode !== 'none' && !r.result.certificateRegister?.checked) throw new Error('the register was not used');
      return Number(process.hrtime.bigint() - s) / 1e6;
    };
    await one('none');
    await one('first'); // warm
    const without: number[] = [],
      steady: number[] = [],
      first: number[] = [];
    for (let k = 0; k < Math.max(7, repeat); k++) {
      without.push(await one('none'));
      first.push(await one('first'));
      steady.push(await one('steady'));
    }
    const ratio = median(steady) / median(without);
    console.log(
      `check of a 1,000-employee upload: without a register median ${median(without).toFixed(1)} ms; with 60,000 certificates ${median(steady).toFixed(1)} ms (×${ratio.toFixed(3)}; target ≤ ×1.10: ${ratio <= 1.1 ? 'MET' : 'NOT MET'}); the first check after a register is confirmed, which receives it in full, ${median(first).toFixed(1)} ms`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
