/**
 * Measures how fast a running server answers GET /healthz from a small process of its own, so the figure
 * is the server's latency and not the pauses of the test process (a jest worker that has run many suites
 * collects garbage for hundreds of milliseconds at a time, and every one of those pauses would otherwise
 * be counted against the server).
 */
import { spawn } from 'node:child_process';

export interface HealthFigures {
  /** Slowest answer, in milliseconds. */
  worst: number;
  checks: number;
  /** Answers other than 200, and failed requests. */
  failures: string[];
}

// plain JavaScript, so the probe starts in tens of milliseconds with no compiler loaded
const PROBE = `
const url = process.argv[1];
let worst = 0, checks = 0, stop = false, atLeast = 0;
const failures = [];
process.stdin.on('data', (d) => { atLeast = Number(String(d).trim().split(' ')[1]) || 0; stop = true; });
(async () => {
  process.stdout.write('ready\\n');
  while (!stop || checks < atLeast) {
    const t0 = performance.now();
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status !== 200) failures.push('status ' + res.status);
    } catch (e) {
      failures.push(String(e));
    }
    worst = Math.max(worst, performance.now() - t0);
    checks++;
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stdout.write(JSON.stringify({ worst, checks, failures }) + '\\n');
  process.exit(0);
})();
`;

/**
 * Starts probing `${baseUrl}/healthz` every 100 ms; resolves once the probe is running. `stop(atLeast)` ends
 * it once it has made at least that many checks, so a measured request that ends quickly still leaves a
 * meaningful count of checks around it.
 */
export async function probeHealth(baseUrl: string): Promise<{ stop: (atLeast?: number) => Promise<HealthFigures> }> {
  const child = spawn(process.execPath, ['-e', PROBE, `${baseUrl}/healthz`], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  const lines = (n: number) =>
    new Promise<string[]>((resolve, reject) => {
      const check = () => {
        const got = out.split('\n').filter(Boolean);
        if (got.length >= n) resolve(got);
      };
      child.stdout.on('data', (d: string) => {
        out += d;
        check();
      });
      child.on('exit', (code) => {
        check();
        reject(new Error(`health probe exited with ${code}: ${out}`));
      });
      check();
    });
  await lines(1);
  return {
    stop: async (atLeast = 0) => {
      child.stdin.write(`stop ${atLeast}\n`);
      const got = await lines(2);
      return JSON.parse(got[1]) as HealthFigures;
    },
  };
}
