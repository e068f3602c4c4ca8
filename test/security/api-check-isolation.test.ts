/**
 * An anonymous POST /api/check with a workbook whose central directory lies (xl/sharedStrings.xml
 * declared as 1,000 bytes, really 1.5 GB of runs) must not take the server down. The file is read in the
 * calculator's own worker under a heap cap and a time limit, so the answer is a 4xx within seconds while
 * /healthz keeps answering quickly and the process's resident memory stays under 1 GB. The server is a real
 * process, so its memory is what the operating system sees; /healthz is timed from a probe process of its
 * own (test/helpers/health-probe.ts), so the test process's own pauses are not counted against the server.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSynthetic } from '../bench/synthetic';
import { writeSimpleWorkbook } from '../helpers/demo-workbooks';
import { lyingSharedStringsBomb } from '../helpers/hostile';
import { probeHealth } from '../helpers/health-probe';
import { startServer, type RunningServer } from '../helpers/server';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'qd-bomb-'));
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ DATA_DIR: join(dir, 'data'), DATABASE_URL: '', LOG_LEVEL: 'silent', DEMO: '0' });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const rssBytes = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

async function post(url: string, file: Buffer, name: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file)]), name);
  const res = await fetch(`${url}/api/check`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('a lying-central-directory zip bomb on the anonymous API: a 4xx within seconds, /healthz under 500 ms throughout, RSS under 1 GB', async () => {
  const bomb = lyingSharedStringsBomb(1.5);
  expect(bomb.length).toBeLessThan(5 * 1024 * 1024);
  const pid = server.child.pid!;
  let worstRss = rssBytes(pid),
    done = false;
  const rssWatch = (async () => {
    while (!done) {
      worstRss = Math.max(worstRss, rssBytes(pid));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const health = await probeHealth(server.url);
  const t0 = Date.now();
  const res = await post(server.url, bomb, 'bomb.xlsx');
  const took = Date.now() - t0;
  // checks from before the bomb was sent until after its answer, at least four of them however quick the answer
  const { worst: worstHealth, checks: healthChecks, failures } = await health.stop(4);
  done = true;
  await rssWatch;
  process.stdout.write(
    `bomb: ${res.status} ${JSON.stringify(res.body).slice(0, 200)} in ${took} ms; worst /healthz ${Math.round(worstHealth)} ms over ${healthChecks} checks; worst RSS ${Math.round(worstRss / 1024 / 1024)} MB\n`,
  );
  expect(failures).toEqual([]);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect((res.body.problems as { code: string }[])[0].code).toMatch(/^file\/(zip-bomb|too-complex)$/);
  expect(took).toBeLessThan(45_000);
  expect(healthChecks).toBeGreaterThan(3);
  expect(worstHealth).toBeLessThan(500);
  expect(worstRss).toBeLessThan(1024 ** 3);
  expect(server.child.exitCode).toBeNull();

  // and the calculator still works for the next caller
  const ok = join(dir, 'ok.xlsx');
  await writeSimpleWorkbook(ok, 99, 1);
  const after = await post(server.url, readFileSync(ok), 'ok.xlsx');
  expect(after.status).toBe(200);
});

test("a file that gets past the guard but needs more memory than the calculator's cap: 422, the server unaffected", async () => {
  // an honest 40,000-row roster, read by a calculator whose worker may use only 24 MB of heap
  const s = await startServer({
    DATA_DIR: join(dir, 'data3'),
    DATABASE_URL: '',
    LOG_LEVEL: 'silent',
    DEMO: '0',
    API_CHECK_HEAP_MB: '24',
  });
  try {
    const big = join(dir, 'big.xlsx');
    await writeSynthetic(big, 40_000, {
      name: '嘉兴示例精密机械有限公司',
      uscc: '91330481MA2B3C4D01',
      county: '海宁市',
    });
    const health = await probeHealth(s.url);
    const res = await post(s.url, readFileSync(big), 'big.xlsx');
    const { worst: worstHealth, failures } = await health.stop();
    if (failures.length)
      throw new Error(`${failures[0]}: exit ${s.child.exitCode} ${s.child.signalCode}\n${s.output().slice(-3000)}`);
    expect(res.status).toBe(422);
    expect((res.body.problems as { code: string; message: string }[])[0]).toMatchObject({
      code: 'file/too-complex',
      message: expect.stringContaining('24 MB'),
    });
    expect(worstHealth).toBeLessThan(500);
    expect(s.child.exitCode).toBeNull();
  } finally {
    await s.stop();
  }
});

test('the anonymous API is rate limited per client address, with Retry-After', async () => {
  // a fresh server with a small allowance, so the limit is reached quickly
  const s = await startServer({
    DATA_DIR: join(dir, 'data2'),
    DATABASE_URL: '',
    LOG_LEVEL: 'silent',
    DEMO: '0',
    API_CHECK_LIMIT: '3',
  });
  try {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('hello')]), 'a.xlsx');
      const res = await fetch(`${s.url}/api/check`, { method: 'POST', body: form });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([422, 422, 422, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  } finally {
    await s.stop();
  }
});
