/**
 * Public notice page under load: autocannon on loopback against a separately started app, the
 * notice page (N entries) and a static file route measured in the same run, alternating. Target: the
 * notice page keeps ≥ 50 % of the static route's throughput.
 */
import autocannon from 'autocannon';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import { buildNotice, noticeTitle } from '../../reports/disclosure/build-notice';
import { syntheticSources } from './notice-data';
import { startServer } from '../helpers/server';

/** A database holding one published notice of `entries` employers; returns its id. */
export async function seedPublishedNotice(
  dataDir: string,
  databaseUrl: string | null,
  entries: number,
): Promise<number> {
  const db = connect({ databaseUrl, dataDir });
  await migrateLatest(db);
  let user = await db('users').first('id');
  if (!user) {
    await db('users').insert({
      username: 'bench',
      password_hash: 'x',
      role: 'admin',
      display_name: 'bench',
      created_at: new Date().toISOString(),
    });
    user = await db('users').first('id');
  }
  const now = new Date().toISOString();
  const [row] = await db('notices')
    .insert({
      county: '海宁市',
      year: 2025,
      status: 'published',
      version: 1,
      title: noticeTitle('海宁市', 2025),
      amount_column: 'both',
      body_json: JSON.stringify(buildNotice(syntheticSources(entries))),
      doc_no: '海残联〔2026〕1号',
      publisher: '海宁市残联',
      objection_contact: '0573-1',
      contact_person: '张老师',
      telephone: '0573-85000000',
      address: '海宁市',
      office_hours: '工作日',
      period_start: now.slice(0, 10),
      period_end: now.slice(0, 10),
      created_by: user.id,
      created_at: now,
      updated_at: now,
      published_by: user.id,
      published_at: now,
    })
    .returning('id');
  await db.destroy();
  return typeof row === 'object' ? row.id : row;
}

type Run = { rps: number; p50: number; p99: number; errors: number; non2xx: number };
async function load(url: string, seconds: number, connections: number): Promise<Run> {
  // as a browser asks: every browser accepts gzip
  const r = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: { 'accept-encoding': 'gzip, deflate, br' },
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

export async function benchHttp(entries: number, seconds: number, rounds: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qd-bench-http-'));
  const id = await seedPublishedNotice(dataDir, null, entries);
  const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' });
  try {
    console.log(
      `\npublic notice page (${entries} entries) vs static file, autocannon 20 connections, ${seconds} s each, ${rounds} rounds alternating (SQLite)`,
    );
    console.log('round | static req/s | notice req/s | notice/static | notice p50 / p99 ms | errors + non-2xx');
    await load(`${server.url}/static/app.css`, 2, 20); // warm-up
    await load(`${server.url}/notices/${id}`, 2, 20);
    for (let i = 1; i <= rounds; i++) {
      const s = await load(`${server.url}/static/app.css`, seconds, 20);
      const n = await load(`${server.url}/notices/${id}`, seconds, 20);
      console.log(
        `${String(i).padStart(5)} | ${s.rps.toFixed(0).padStart(12)} | ${n.rps.toFixed(0).padStart(12)} | ${`${((n.rps / s.rps) * 100).toFixed(0)} %`.padStart(13)} | ${`${n.p50} / ${n.p99}`.padStart(19)} | ${s.errors + s.non2xx + n.errors + n.non2xx}`,
      );
    }
  } finally {
    await server.stop();
  }
}
