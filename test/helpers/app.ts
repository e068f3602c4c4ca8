/**
 * A fresh app on a fresh database for a test file: SQLite in a temporary folder by default, or the
 * PostgreSQL named by DATABASE_URL (schema rolled back and migrated again; those runs go in band).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { connect, type Db } from '../../db/connection';
import { migrateLatest, rollbackAll } from '../../db/migrate';
import { createApp, createServices, type Services } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { makeLog } from '../../server/middleware/log';
import { FIXTURE_PASSWORD, seedFixtures } from './fixtures';

export interface TestApp {
  app: Express;
  db: Db;
  services: Services;
  dataDir: string;
  logs: string[];
  close: () => Promise<void>;
}

export async function testApp(
  opts: { maxUploadBytes?: number; noticeCacheSeconds?: number; uploadWorkers?: number; config?: Partial<Config> } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qd-web-'));
  const databaseUrl = process.env.DATABASE_URL || null;
  const db = connect({ databaseUrl, dataDir });
  if (databaseUrl) await rollbackAll(db);
  await migrateLatest(db);
  const logs: string[] = [];
  const toFile = makeLog(true);
  const log = (msg: string, fields: Record<string, unknown> = {}) => {
    logs.push(JSON.stringify({ msg, ...fields }));
    toFile(msg, fields);
  };
  const config = loadConfig({
    dataDir,
    databaseUrl,
    port: 0,
    sessionSecret: 'test-secret',
    maxUploadBytes: opts.maxUploadBytes ?? 30 * 1024 * 1024,
    noticeCacheSeconds: opts.noticeCacheSeconds ?? 0,
    uploadWorkers: opts.uploadWorkers ?? 0,
    // the web suites look at the stored file under DATA_DIR; the database back end has its own suite
    // (test/services/upload-files.test.ts), run on PostgreSQL by .ci/run
    uploadStorage: 'files',
    ...opts.config,
  });
  const services = createServices({ db, config, log });
  await seedFixtures(services, dataDir);
  const app = createApp(services);
  return {
    app,
    db,
    services,
    dataDir,
    logs,
    close: async () => {
      await services.close();
      await db.destroy();
    },
  };
}

/** Page text with HTML entities decoded (Handlebars escapes =, ' and `). */
export function decoded(html: string): string {
  return html
    .replace(/&#x3D;/g, '=')
    .replace(/&#x27;/g, "'")
    .replace(/&#x60;/g, '`')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * The text a reader sees: tags, scripts, styles and attribute values gone, entities decoded. A proper name
 * marked inside a sentence (<span translate="no">) reads run in with its sentence, as the browser shows it.
 */
export function visibleText(html: string): string {
  return decoded(
    html
      .replace(/<(script|style|head)[\s\S]*?<\/\1>/g, ' ')
      .replace(/<span translate="no">([^<]*)<\/span>/g, '$1')
      .replace(/<[^>]+>/g, ' '),
  ).replace(/\s+/g, ' ');
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}

export type Agent = ReturnType<typeof request.agent>;

/** Logs in through the real form; returns the agent (cookie jar) and the session's CSRF token. */
export async function login(
  app: Express | string,
  username: string,
  password = FIXTURE_PASSWORD,
): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ username, password, _csrf: csrfFrom(page.text) });
  if (res.status !== 303) throw new Error(`login ${username} failed: ${res.status}`);
  const home = await agent.get(res.headers.location);
  return { agent, csrf: csrfFrom(home.text) };
}

/** A binary download (xlsx) as a Buffer, with its response. */
export async function download(agent: Agent | ReturnType<typeof request>, path: string) {
  const res = await agent
    .get(path)
    .buffer(true)
    .parse((r, cb) => {
      const c: Buffer[] = [];
      r.on('data', (d: Buffer) => c.push(d));
      r.on('end', () => cb(null, Buffer.concat(c)));
    });
  return { res, body: res.body as Buffer };
}

/** Loads a downloaded workbook (exceljs's typings predate Node's generic Buffer). */
export async function loadWorkbook(buf: Buffer) {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  return wb;
}
