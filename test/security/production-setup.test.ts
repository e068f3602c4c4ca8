/**
 * Production never ships the demo passwords. NODE_ENV=production on an empty database creates
 * no users; the operator creates the first administrator with `quota admin create`, choosing the password.
 * Also: production requires PUBLIC_URL, and the Atom feed's links never come from the
 * request's Host header.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../db/connection';
import { startServer, type RunningServer } from '../helpers/server';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'qd-prod-'));
const dataDir = join(dir, 'data');
const env = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-production-secret-for-the-test',
  PUBLIC_URL: 'https://quota.example.gov.cn',
  DATA_DIR: dataDir,
  DATABASE_URL: '',
  LOG_LEVEL: 'silent',
  DEMO: '',
};
let server: RunningServer;
beforeAll(async () => {
  server = await startServer(env);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const quota = (args: string[], input?: string) =>
  spawnSync(process.execPath, [join(root, 'bin', 'quota.js'), ...args], {
    env: { ...process.env, ...env },
    input,
    encoding: 'utf8',
  });

/** fetch, once more when the server closed an idle kept-alive connection just as it was reused (the CLI steps take seconds). */
const get = (url: string, init?: RequestInit) => fetch(url, init).catch(() => fetch(url, init));

/** Logs in through the real form over the (TLS-terminating) proxy, keeping the cookie by hand. */
async function tryLogin(username: string, password: string): Promise<number> {
  const https = { 'x-forwarded-proto': 'https' };
  const page = await get(`${server.url}/login`, { headers: https });
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
  const res = await get(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...https, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, _csrf: csrf }),
  });
  return res.status;
}

test('production on an empty database: no users, no demo password, and the start-up output says how to create an administrator', async () => {
  const db = connect({ databaseUrl: null, dataDir });
  try {
    expect(Number((await db('users').count('id as n').first())!.n)).toBe(0);
  } finally {
    await db.destroy();
  }
  expect(server.output()).toContain('quota admin create');
  expect(server.output()).not.toContain('demo1234');
  expect(await tryLogin('admin', 'demo1234')).toBe(401);
});

test('quota admin create: refuses a short or demo password and an existing name; the created administrator logs in', async () => {
  expect(quota(['admin', 'create', 'ops.admin', '--password-stdin'], 'short\n').status).toBe(2);
  const demo = quota(['admin', 'create', 'ops.admin', '--password-stdin', '--lang', 'en'], 'demo1234demo1234\n');
  expect(demo.status).toBe(2);
  expect(demo.stderr).toContain('demo password cannot be used');
  const ok = quota(
    ['admin', 'create', 'ops.admin', '--display-name', '市残联管理员', '--password-stdin'],
    'correct horse battery staple\n',
  );
  expect(ok.status).toBe(0);
  expect(ok.stdout).toContain('已创建管理员 ops.admin');
  expect(quota(['admin', 'create', 'ops.admin', '--password-stdin'], 'another long password\n').status).toBe(2);
  expect(await tryLogin('ops.admin', 'wrong password here')).toBe(401);
  expect(await tryLogin('ops.admin', 'correct horse battery staple')).toBe(303);
  // the creation is in the audit chain
  expect(quota(['audit', 'verify']).stdout).toContain('audit chain intact');
});

test('production without PUBLIC_URL refuses to start; the feed links use PUBLIC_URL, never the Host header', async () => {
  const noUrl = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'server', 'index.ts')], {
    env: { ...process.env, ...env, PUBLIC_URL: '', PORT: '0' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(noUrl.status).toBe(1);
  expect(noUrl.stderr).toContain('PUBLIC_URL');
  // a raw request, so the Host header is exactly what an attacker sends
  const text = await new Promise<string>((resolve, reject) => {
    http
      .get(`${server.url}/notices/feed.atom`, { headers: { host: 'evil.example' }, agent: false }, (res) => {
        let body = '';
        res
          .setEncoding('utf8')
          .on('data', (d: string) => {
            body += d;
          })
          .on('end', () => resolve(body));
      })
      .on('error', reject);
  });
  expect(text).toContain('<feed');
  expect(text).toContain('https://quota.example.gov.cn/notices');
  expect(text).not.toContain('evil.example');
});
