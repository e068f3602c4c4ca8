/**
 * Single sign-on against a real OpenID provider (the oidc-provider package, started here on loopback): an
 * employer is matched by the credit-code claim, an officer by the subject the administrator links to the
 * account; an account the platform knows but this site does not is refused, with what to do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../helpers/server';

const base = 20000 + Math.floor(Math.random() * 20000);
const appPort = base,
  providerPort = base + 1;
const issuer = `http://127.0.0.1:${providerPort}`;
const redirect = `http://127.0.0.1:${appPort}/login/sso/callback`;
const CLIENT_SECRET = 'a-client-secret-for-the-test-only';
let provider: ChildProcess;
let app: RunningServer;

beforeAll(async () => {
  provider = spawn(process.execPath, [join(__dirname, '..', 'helpers', 'oidc-provider.mjs')], {
    env: { ...process.env, PORT: String(providerPort), CLIENT_ID: 'quotadesk', CLIENT_SECRET, REDIRECT_URI: redirect },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    provider.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    provider.once('exit', (code) => reject(new Error(`provider exited ${code}`)));
  });
  app = await startServer(
    {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'qd-sso-')),
      DEMO: '1',
      UPLOAD_WORKERS: '0',
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: 'quotadesk',
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URI: redirect,
    },
    { port: appPort },
  );
});
afterAll(async () => {
  await app?.stop();
  if (provider && provider.exitCode === null) {
    const gone = new Promise((r) => provider.once('exit', r));
    provider.kill('SIGTERM');
    await gone;
  }
});

/** A browser's cookie jar per host, and redirects followed by hand. */
class Browser {
  private jars = new Map<string, Map<string, string>>();
  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const u = new URL(url);
    const jar = this.jars.get(u.host) ?? new Map<string, string>();
    this.jars.set(u.host, jar);
    const res = await fetch(u, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return { res, text: await res.text(), url: u };
  }
  /** Follows redirects and the provider's login and consent forms until back on the app. */
  async ssoAs(login: string) {
    let r = await this.go(`http://127.0.0.1:${appPort}/login/sso`);
    for (let i = 0; i < 20; i++) {
      const loc = r.res.headers.get('location');
      if (loc) {
        const next = new URL(loc, r.url);
        if (next.host === `127.0.0.1:${appPort}` && !next.pathname.startsWith('/login/sso')) return r;
        r = await this.go(next.href);
        continue;
      }
      if (r.url.host !== `127.0.0.1:${providerPort}`) return r;
      const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(r.text);
      if (!form) throw new Error(`no form at ${r.url.href}: ${r.text.slice(0, 300)}`);
      const fields: Record<string, string> = {};
      for (const m of r.text.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
        fields[m[1]] = m[2];
      if (/name="login"/.test(r.text)) Object.assign(fields, { login, password: 'any' });
      r = await this.go(new URL(form[1], r.url).href, { method: 'POST', form: fields });
    }
    throw new Error('too many redirects');
  }
}

test('an employer logs in through the platform, matched by the credit-code claim', async () => {
  const b = new Browser();
  const r = await b.ssoAs('unit-a');
  expect(r.res.headers.get('location')).toBe('/employer');
  const page = await b.go(`http://127.0.0.1:${appPort}/employer`);
  expect(page.res.status).toBe(200);
});

test('an officer logs in through the platform once the administrator has linked their subject', async () => {
  // before the link: refused, with what to do
  const before = await new Browser().ssoAs('wang-at-platform');
  expect(before.res.status).toBe(401);
  expect(before.text).toContain('联系管理员');

  const admin = new Browser();
  const loginPage = await admin.go(`http://127.0.0.1:${appPort}/login`);
  const csrf0 = /name="_csrf" value="([^"]+)"/.exec(loginPage.text)![1];
  expect(loginPage.text).toContain('/login/sso');
  await admin.go(`http://127.0.0.1:${appPort}/login`, {
    method: 'POST',
    form: { _csrf: csrf0, username: 'admin', password: 'demo1234' },
  });
  const list = await admin.go(`http://127.0.0.1:${appPort}/bureau/accounts`);
  const id = new RegExp(`href="/bureau/accounts/(\\d+)">officer.haining<`).exec(list.text)![1];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(list.text)![1];
  const linked = await admin.go(`http://127.0.0.1:${appPort}/bureau/accounts/${id}/sso`, {
    method: 'POST',
    form: { _csrf: csrf, subject: 'wang-at-platform' },
  });
  expect(linked.res.status).toBe(303);

  const b = new Browser();
  const r = await b.ssoAs('wang-at-platform');
  expect(r.res.headers.get('location')).toBe('/bureau');
  expect((await b.go(`http://127.0.0.1:${appPort}/bureau`)).res.status).toBe(200);
});

test('the client secret never reaches the log', () => {
  expect(app.output()).not.toContain(CLIENT_SECRET);
});
