/**
 * `npm run bench` — ingestion benchmark (issues #3, #13). For 1k, 10k and 100k employees it generates a
 * synthetic roster, then measures, interleaved and each in a fresh process (so peak RSS is its own):
 *   floor — inflate every part + decode + find every tag, the least any reader must do;
 *   the reader candidates (QuotaDesk's reader, exceljs streaming, node zlib + saxes, SheetJS);
 *   full  — quota check (guard + read + validation + evaluation), whose every employee is then compared
 *           with what the generator wrote (CHECKS VALUES).
 * Targets (#13.4): full check of 100k ≤ 3 × floor; peak memory of the full check ≤ 200 MB.
 * BENCH_SIZES, BENCH_REPEAT, BENCH_CANDIDATES (default reader,exceljs,saxes,sheetjs), BENCH_PARTS pick.
 * Then the 10,000-employer notice as HTML and .xlsx, and the public notice page under
 * autocannon load against a static file.
 * Then the start-up of the compiled command and app, and the batch check (./startup.ts; BENCH_BEFORE names an
 * earlier checkout to compare with, BENCH_BATCH_FILES and BENCH_BATCH_SAMPLE size the batch).
 * BENCH_PARTS=recompute: 10,000 provisional results of a year recomputed when the social
 * average wage is entered (BENCH_RECOMPUTE_EMPLOYERS; ./recompute.ts), on SQLite then PostgreSQL.
 * BENCH_PARTS=cross-unit (docs/rules.md §4.2–§4.3): the city-wide search for a person counted by two units over
 * 10,000 submissions (BENCH_CROSS_UNITS), and the check of a 1,000-employee upload with and without a register of
 * 60,000 certificates (./cross-unit.ts).
 * BENCH_PARTS=backup: backup, verify and restore of a 10,000-unit installation (BENCH_BACKUP_EMPLOYERS;
 * ./backup.ts), on SQLite, then PostgreSQL with DATABASE_URL.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeSynthetic } from './synthetic';
import { benchNotice } from './notice';
import { benchHttp } from './http';
import { benchRecompute } from './recompute';
import { benchCrossUnit } from './cross-unit';
import { benchBackup } from './backup';
import { benchBatch, benchStartup } from './startup';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const PARTS = (process.env.BENCH_PARTS ?? 'ingest,notice,http,startup,batch').split(',');
const dir = join(__dirname, '..', '..', 'data', 'bench');

interface Sample {
  ms: number;
  cpuMs: number;
  peakMB: number;
  rows: number;
  cells: number;
  garbled: number;
  checked: number;
}

const CANDIDATES = (process.env.BENCH_CANDIDATES ?? 'reader,exceljs,saxes,sheetjs').split(',').filter(Boolean);

function measure(mode: string, file: string): Sample {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'measure.ts'), mode, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (PARTS.includes('ingest')) await benchIngest();
  if (PARTS.includes('notice'))
    await benchNotice((process.env.BENCH_NOTICE_SIZES ?? '1000,10000').split(',').map(Number), REPEAT);
  if (PARTS.includes('http'))
    await benchHttp(Number(process.env.BENCH_NOTICE_ENTRIES ?? 1000), Number(process.env.BENCH_SECONDS ?? 8), REPEAT);
  if (PARTS.includes('startup')) await benchStartup(REPEAT);
  if (PARTS.includes('batch'))
    await benchBatch(Number(process.env.BENCH_BATCH_FILES ?? 1000), Number(process.env.BENCH_BATCH_SAMPLE ?? 50));
  if (PARTS.includes('recompute')) await benchRecompute(Number(process.env.BENCH_RECOMPUTE_EMPLOYERS ?? 10000));
  if (PARTS.includes('cross-unit')) await benchCrossUnit(Number(process.env.BENCH_CROSS_UNITS ?? 10000), REPEAT);
  if (PARTS.includes('backup')) await benchBackup(Number(process.env.BENCH_BACKUP_EMPLOYERS ?? 10000));
}

async function benchIngest() {
  mkdirSync(dir, { recursive: true });
  const modes = ['floor', ...CANDIDATES, 'full'];
  console.log(
    `node ${process.version}, ${REPEAT} runs of each, interleaved, each in a fresh process; ms as median / best`,
  );
  console.log(
    'floor = inflate every part + decode UTF-8 + find every tag; full = quota check (guard, read, validation, evaluation)',
  );
  const results: Record<number, { full: number }> = {};
  for (const n of SIZES) {
    const file = join(dir, `roster-${n}.xlsx`);
    if (!existsSync(file)) await writeSynthetic(file, n);
    const samples: Record<string, Sample[]> = Object.fromEntries(modes.map((m) => [m, []]));
    for (let i = 0; i < REPEAT; i++) for (const m of modes) samples[m].push(measure(m, file));
    const ms = (m: string) => median(samples[m].map((s) => s.ms));
    const best = (m: string) => Math.min(...samples[m].map((s) => s.ms));
    const peak = (m: string) => median(samples[m].map((s) => s.peakMB));
    const cpu = (m: string) => median(samples[m].map((s) => s.cpuMs));
    results[n] = { full: ms('full') };
    console.log(`\n${n} employees, ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`);
    console.log(
      'mode     | wall ms (median / best) | × floor (median / best) | CPU ms (median) | × floor CPU | peak MB (median / max) | cells read | cells with U+FFFD',
    );
    for (const m of modes) {
      const s = samples[m];
      const dash = m === 'full' || m === 'floor';
      console.log(
        `${m.padEnd(8)} | ${`${ms(m).toFixed(0)} / ${best(m).toFixed(0)}`.padStart(23)} | ${`${(ms(m) / ms('floor')).toFixed(2)} / ${(best(m) / best('floor')).toFixed(2)}`.padStart(23)} | ${cpu(m).toFixed(0).padStart(15)} | ${(cpu(m) / cpu('floor')).toFixed(2).padStart(11)} | ${`${peak(m).toFixed(0)} / ${Math.max(...s.map((x) => x.peakMB)).toFixed(0)}`.padStart(22)} | ${String(dash ? '-' : s[0].cells).padStart(10)} | ${String(dash ? '-' : s[0].garbled).padStart(17)}`,
      );
    }
    const checked = samples.full[0].checked;
    console.log(
      `CHECKS VALUES: ${checked} of ${n} employees read back as written (name, ID number, dates, 用工形式, wage), every run`,
    );
    if (checked !== n) throw new Error(`full check read ${checked} employees of ${n}`);
    console.log(
      `full check / floor = ${(ms('full') / ms('floor')).toFixed(2)} × wall, ${(cpu('full') / cpu('floor')).toFixed(2)} × CPU (target ≤ 3 at 100k); peak ${peak('full').toFixed(0)} MB (target ≤ 200 MB)`,
    );
  }
  if (results[100000] && results[10000])
    console.log(`scaling: full 100k / 10k = ${(results[100000].full / results[10000].full).toFixed(2)} ×`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
