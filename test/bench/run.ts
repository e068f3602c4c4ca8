/**
 * `npm run bench` — ingestion benchmark (issue #3). For 1k, 10k and 100k employees it generates a
 * workbook, then measures in separate processes, interleaved, the bare exceljs streaming read
 * (baseline) and the full `quota check` path, reporting medians, their ratio and peak memory.
 * Targets: full ≤ 1.3 × baseline; 100k/10k time ≤ 11 ×; peak ≤ 300 MB at 100k.
 * Then (issue #5) the 10,000-employer notice as HTML and .xlsx, and the public notice page under
 * autocannon load against a static file. BENCH_PARTS=ingest,notice,http picks parts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeSynthetic } from './synthetic';
import { benchNotice } from './notice';
import { benchHttp } from './http';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const PARTS = (process.env.BENCH_PARTS ?? 'ingest,notice,http').split(',');
const dir = join(__dirname, '..', '..', 'data', 'bench');

interface Sample { ms: number; peakMB: number; rows: number }

function measure(mode: 'baseline' | 'full', file: string): Sample {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'measure.ts'), mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (PARTS.includes('ingest')) await benchIngest();
  if (PARTS.includes('notice')) await benchNotice((process.env.BENCH_NOTICE_SIZES ?? '1000,10000').split(',').map(Number), REPEAT);
  if (PARTS.includes('http')) await benchHttp(Number(process.env.BENCH_NOTICE_ENTRIES ?? 1000), Number(process.env.BENCH_SECONDS ?? 8), REPEAT);
}

async function benchIngest() {
  mkdirSync(dir, { recursive: true });
  console.log(`node ${process.version}, ${REPEAT} runs each, medians; baseline = bare exceljs streaming read of the same file`);
  console.log('employees | file MB | baseline ms (median / best) | full ms (median / best) | full/baseline (median / best) | peak MB baseline | peak MB full (median / max)');
  const results: Record<number, { full: number }> = {};
  for (const n of SIZES) {
    const file = join(dir, `roster-${n}.xlsx`);
    if (!existsSync(file)) await writeSynthetic(file, n);
    const base: Sample[] = [], full: Sample[] = [];
    for (let i = 0; i < REPEAT; i++) { base.push(measure('baseline', file)); full.push(measure('full', file)); }
    const b = median(base.map((s) => s.ms)), f = median(full.map((s) => s.ms));
    const bMin = Math.min(...base.map((s) => s.ms)), fMin = Math.min(...full.map((s) => s.ms));
    results[n] = { full: f };
    const mb = (statSync(file).size / 1024 / 1024).toFixed(1);
    const peaks = full.map((s) => s.peakMB);
    console.log(`${String(n).padStart(9)} | ${mb.padStart(7)} | ${`${b.toFixed(0)} / ${bMin.toFixed(0)}`.padStart(27)} | ${`${f.toFixed(0)} / ${fMin.toFixed(0)}`.padStart(23)} | ${`${(f / b).toFixed(2)} / ${(fMin / bMin).toFixed(2)}`.padStart(29)} | ${median(base.map((s) => s.peakMB)).toFixed(0).padStart(16)} | ${`${median(peaks).toFixed(0)} / ${Math.max(...peaks).toFixed(0)}`.padStart(27)}`);
  }
  if (results[100000] && results[10000]) console.log(`scaling: full 100k / 10k = ${(results[100000].full / results[10000].full).toFixed(2)} ×`);
}

main().catch((e) => { console.error(e); process.exit(1); });
