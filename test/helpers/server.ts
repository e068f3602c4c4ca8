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

export async function startServer(
  env: Record<string, string>,
  opts: { timeoutMs?: number; expectUp?: boolean } = {},
): Promise<RunningServer> {
  const port = 20000 + Math.floor(Math.random() * 20000);
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
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let up = false;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) {
        up = true;
        break;
      }
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!up && opts.expectUp !== false) {
    child.kill('SIGKILL');
    throw new Error(`server did not start:\n${out}`);
  }
  const end = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(sig);
      await exited;
    }
  };
  return { url, child, output: () => out, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}
