/**
 * The app as its own process on loopback, as a user meets it: `node --import tsx server/index.ts` with a
 * data directory (SQLite) or DATABASE_URL. Used by the browser, fault and load tests and the benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
  kill: () => Promise<void>;
}

/**
 * Starts the app and resolves once it answers GET /healthz with the status `ready` accepts (200 by default;
 * 503 for the maintenance page), or rejects when the process exits first. How long that takes depends on
 * the machine's load, so there is no short deadline: `timeoutMs` (default 5 minutes) only stops a start-up
 * that hangs, and the test's own timeout usually comes first.
 */
export async function startServer(
  env: Record<string, string>,
  opts: { timeoutMs?: number; port?: number; ready?: (status: number) => boolean } = {},
): Promise<RunningServer> {
  const ready = opts.ready ?? ((status: number) => status === 200);
  const port = opts.port ?? 20000 + Math.floor(Math.random() * 20000);
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'server', 'index.ts')], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
  let up = false;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      // one answer that never comes (a connection accepted by a process that is not ours, or stopped) must not
      // hold the wait: each try is bounded, and the loop asks again
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (ready(res.status)) {
        up = true;
        break;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!up) {
    child.kill('SIGKILL');
    throw new Error(`server did not start (exit ${child.exitCode ?? child.signalCode ?? 'none'}):\n${out}`);
  }
  const end = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(sig);
      await exited;
    }
  };
  return { url, child, output: () => out, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}
