/**
 * `npm run bench` parts `startup` and `batch`, every figure a whole process as a user starts it:
 *   startup — `quota --help`; `quota check` of a 1,000-employee workbook; the web app from start to its
 *             first 200 on /healthz (production settings, a database that is already there); `quota check` of
 *             100,000 employees against the floor (inflate + find every tag, measure.ts, timed inside its
 *             process, so the comparison counts the check's start-up and not the floor's);
 *   batch   — `quota check DIR --json` of 1,000 workbooks of 200 employees, in files per second, against
 *             single `quota check FILE --json` processes one after another (a sample of BENCH_BATCH_SAMPLE,
 *             default 50, extrapolated to the 1,000).
 * "after" runs the compiled build (dist/, built first); "before" runs BENCH_BEFORE, a checkout of an
 * earlier commit sharing this node_modules (e.g. `git archive c427f55 | tar -x -C /tmp/before`), the way it
 * started: `node bin/quota.js` and `node --import tsx server/index.ts`.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSynthetic } from './synthetic';

const root = join(__dirname, '..', '..');
const data = join(root, 'data', 'bench');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Tree {
  label: string;
  dir: string;
  quota: string[];
  server: string[];
}

function trees(): Tree[] {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.js')], { stdio: 'inherit' });
  const after: Tree = {
    label: 'after',
    dir: root,
    quota: [join(root, 'bin', 'quota.js')],
    server: [join(root, 'dist', 'index.js')],
  };
  const before = process.env.BENCH_BEFORE;
  if (!before) return [after];
  if (!existsSync(join(before, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(before, 'node_modules'));
  return [
    {
      label: 'before',
      dir: before,
      quota: [join(before, 'bin', 'quota.js')],
      server: ['--import', 'tsx', join(before, 'server', 'index.ts')],
    },
    after,
  ];
}

interface Took {
  ms: number;
  /** CPU time of the process, every thread: steadier than wall time on a shared machine. */
  cpuMs: number;
}

/** A whole process, timed by GNU time (its last stderr line: user and system seconds). */
function wall(args: string[], cwd: string): Took {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 2) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { ms, cpuMs: (user + sys) * 1000 };
}

/** CPU time used so far by a running process (every thread), from /proc. */
function cpuSoFar(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in 1/100 s
}

/** From spawn to the first 200 on /healthz. */
async function serverReady(t: Tree, dataDir: string, port: number): Promise<Took> {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: 'silent',
  };
  const t0 = performance.now();
  const child = spawn(process.execPath, t.server, { cwd: t.dir, env, stdio: 'ignore' });
  let ms = 0,
    cpuMs = 0;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${t.label} server exited ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) {
      ms = performance.now() - t0;
      cpuMs = cpuSoFar(child.pid!);
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise<void>((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
  return { ms, cpuMs };
}

function floorMs(file: string): Took {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'measure.ts'), 'floor', file], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Took;
}

export async function benchStartup(repeat: number): Promise<void> {
  mkdirSync(data, { recursive: true });
  const r1k = join(data, 'roster-1000.xlsx');
  const r100k = join(data, 'roster-100000.xlsx');
  if (!existsSync(r1k)) await writeSynthetic(r1k, 1000);
  if (!existsSync(r100k)) await writeSynthetic(r100k, 100000);
  const all = trees();
  const scratch = mkdtempSync(join(tmpdir(), 'qd-bench-start-'));
  const dataDirs = Object.fromEntries(all.map((t) => [t.label, join(scratch, t.label)]));
  // each tree's database made once (migrations), outside the timing
  for (const t of all) await serverReady(t, dataDirs[t.label], 3335);
  // one untimed run of each command first (tsx's compile cache, the file system's)
  for (const t of all) {
    wall([...t.quota, '--help'], t.dir);
    wall([...t.quota, 'check', r1k, '--json'], t.dir);
  }
  const figures: Record<string, Record<string, Took[]>> = {};
  const rows = ['quota --help', 'quota check 1,000', 'server ready', 'quota check 100,000', 'floor 100,000'];
  for (const t of all) figures[t.label] = Object.fromEntries(rows.map((r) => [r, []]));
  // interleaved: every tree once per round, so a busy spell on the machine falls on both
  for (let i = 0; i < repeat; i++)
    for (const t of all) {
      const f = figures[t.label];
      f['quota --help'].push(wall([...t.quota, '--help'], t.dir));
      f['quota check 1,000'].push(wall([...t.quota, 'check', r1k, '--json'], t.dir));
      f['server ready'].push(await serverReady(t, dataDirs[t.label], 3336));
      f['quota check 100,000'].push(wall([...t.quota, 'check', r100k, '--json'], t.dir));
      f['floor 100,000'].push(floorMs(r100k));
    }
  rmSync(scratch, { recursive: true, force: true });
  const targets: Record<string, string> = {
    'quota --help': '≤ 0.30 s',
    'quota check 1,000': '≤ 0.60 s',
    'server ready': '≤ 1.00 s',
    'quota check 100,000': '≤ 3 × floor',
    'floor 100,000': '',
  };
  const ms = (label: string, r: string) => figures[label][r].map((x) => x.ms);
  const cpu = (label: string, r: string) => figures[label][r].map((x) => x.cpuMs);
  console.log(
    `\nStart-up, whole processes, ${repeat} runs each, interleaved; wall median (best) / CPU median, load average ${loadavg()[0].toFixed(1)} at the end`,
  );
  console.log(`${'what'.padEnd(20)} | ${all.map((t) => t.label.padStart(30)).join(' | ')} | target (wall)`);
  for (const r of rows)
    console.log(
      `${r.padEnd(20)} | ${all.map((t) => `${fmt(median(ms(t.label, r)))} (${fmt(Math.min(...ms(t.label, r)))}) / CPU ${fmt(median(cpu(t.label, r)))}`.padStart(30)).join(' | ')} | ${targets[r]}`,
    );
  for (const t of all)
    console.log(
      `${t.label}: quota check 100,000 / floor = ${(median(ms(t.label, 'quota check 100,000')) / median(ms(t.label, 'floor 100,000'))).toFixed(2)} × wall (median), ${(Math.min(...ms(t.label, 'quota check 100,000')) / Math.min(...ms(t.label, 'floor 100,000'))).toFixed(2)} × (best), ${(median(cpu(t.label, 'quota check 100,000')) / median(cpu(t.label, 'floor 100,000'))).toFixed(2)} × CPU`,
    );
}

export async function benchBatch(files: number, sample: number): Promise<void> {
  const dir = join(data, `batch-${files}x200`);
  if (!existsSync(dir) || readdirSync(dir).length !== files) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const one = join(data, 'roster-200.xlsx');
    if (!existsSync(one)) await writeSynthetic(one, 200);
    for (let i = 0; i < files; i++) copyFileSync(one, join(dir, `unit-${String(i).padStart(4, '0')}.xlsx`));
  }
  const [after] = trees().slice(-1);
  const names = readdirSync(dir).sort();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...after.quota, 'check', dir, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const batchMs = performance.now() - t0;
  const lines = r.stdout.split('\n').filter(Boolean);
  const results = lines.filter((l) => (JSON.parse(l) as { result?: unknown }).result !== undefined).length;
  if (r.status !== 0 || results !== files) throw new Error(`batch: exit ${r.status}, ${results} results of ${files}`);
  const singles: number[] = [];
  for (let i = 0; i < sample; i++)
    singles.push(wall([...after.quota, 'check', join(dir, names[i]), '--json'], root).ms);
  const perFile = singles.reduce((a, b) => a + b, 0) / sample;
  console.log(`\nBatch check: ${files} workbooks of 200 employees`);
  console.log(
    `quota check DIR --json: ${fmt(batchMs)}, ${((files / batchMs) * 1000).toFixed(1)} files/s (${results} results)`,
  );
  console.log(
    `single quota check FILE --json, one after another: ${sample} run, mean ${fmt(perFile)} each, ${(1000 / perFile).toFixed(1)} files/s → ${files} would take ${fmt(perFile * files)} (extrapolated)`,
  );
  console.log(`batch / single: ${((perFile * files) / batchMs).toFixed(1)} × the rate`);
}
