/**
 * Append-only audit trail: who, when, what, and the hash of the previous entry, so that an
 * altered or deleted row breaks the chain. hash = sha256(prev_hash ‖ canonical entry).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { isPostgres } from '../connection';

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail_json: string;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

export function entryHash(
  prev: string,
  row: Pick<AuditRow, 'at' | 'actor' | 'action' | 'target' | 'detail_json'>,
): string {
  return createHash('sha256')
    .update(prev)
    .update('\n')
    .update(JSON.stringify([row.at, row.actor, row.action, row.target, row.detail_json]))
    .digest('hex');
}

/**
 * SQLite: the chain's head as this process last appended it, per database. An append first tries it, with
 * an insert that lands only if the head in the database is still that hash — checked by the statement
 * itself, so a stale guess (a rolled-back transaction, another process's append) inserts nothing — and
 * reads the head only when the guess was wrong: one statement instead of two while the transaction holds
 * the one writer.
 */
const lastHead = new WeakMap<object, string>();

type ChainedRow = { at: string; actor: string; action: string; target: string; detail_json: string } & {
  prev_hash: string;
  hash: string;
};

function chained(entries: AuditEntry[], at: string, head: string): ChainedRow[] {
  let prev = head;
  return entries.map((x) => {
    const row = { at, actor: x.actor, action: x.action, target: x.target, detail_json: JSON.stringify(x.detail ?? {}) };
    const r = { ...row, prev_hash: prev, hash: entryHash(prev, row) };
    prev = r.hash;
    return r;
  });
}

/** SQLite: inserts the rows only if the chain's head is `head`; whether they were. */
async function insertIfHead(trx: Knex.Transaction, rows: ChainedRow[], head: string): Promise<boolean> {
  const cols = ['at', 'actor', 'action', 'target', 'detail_json', 'prev_hash', 'hash'] as const;
  const inserted = await trx.raw(
    `insert into audit_log (${cols.join(', ')}) select * from (values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}) ` +
      `where (select hash from audit_log order by id desc limit 1) = ? returning id`,
    [...rows.flatMap((r) => cols.map((c) => r[c])), head],
  );
  return (inserted as unknown[]).length === rows.length;
}

/**
 * Appends inside the caller's transaction (or its own), serialised so the chain never forks. Several
 * entries of one change are appended in order with one read of the chain's head and one insert.
 */
export async function appendAudit(
  db: Knex | Knex.Transaction,
  e: AuditEntry | AuditEntry[],
  at = new Date().toISOString(),
): Promise<void> {
  const entries = Array.isArray(e) ? e : [e];
  if (!entries.length) return;
  const run = async (trx: Knex.Transaction) => {
    const pg = isPostgres(trx as unknown as Knex);
    const key = trx.client.config as object;
    if (pg) await trx.raw('select pg_advisory_xact_lock(424242)');
    else {
      const guess = lastHead.get(key);
      if (guess) {
        const rows = chained(entries, at, guess);
        if (await insertIfHead(trx, rows, guess)) return void lastHead.set(key, rows[rows.length - 1].hash);
      }
    }
    const last = await trx('audit_log').orderBy('id', 'desc').first('hash');
    const rows = chained(entries, at, last?.hash ?? GENESIS);
    // one multi-row insert: ids are given in the order of the rows, the order of the chain
    await trx('audit_log').insert(rows);
    if (!pg) lastHead.set(key, rows[rows.length - 1].hash);
  };
  if ((db as Knex.Transaction).isTransaction) await run(db as Knex.Transaction);
  else await (db as Knex).transaction(run);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenAt?: number;
  reason?: string;
}

export async function verifyAudit(db: Knex): Promise<VerifyResult> {
  let prev = GENESIS;
  let checked = 0;
  let lastId = 0;
  for (;;) {
    const rows: AuditRow[] = await db('audit_log').where('id', '>', lastId).orderBy('id').limit(1000);
    if (!rows.length) break;
    for (const r of rows) {
      if (r.prev_hash !== prev)
        return {
          ok: false,
          checked,
          brokenAt: r.id,
          reason: 'prev_hash does not match the previous entry (a row was removed or reordered)',
        };
      if (entryHash(prev, r) !== r.hash)
        return { ok: false, checked, brokenAt: r.id, reason: 'hash does not match the entry (the row was altered)' };
      prev = r.hash;
      checked++;
      lastId = r.id;
    }
  }
  return { ok: true, checked };
}

export async function listAudit(db: Knex, limit = 200): Promise<AuditRow[]> {
  return db('audit_log').orderBy('id', 'desc').limit(limit);
}

/** The chain's head: how many entries, the last id and its hash (0 and '' for an empty log). */
export async function auditHead(db: Knex): Promise<{ count: number; lastId: number; lastHash: string }> {
  const n = await db('audit_log').count('* as n').first();
  const last = await db('audit_log').orderBy('id', 'desc').first('id', 'hash');
  return { count: Number(n?.n ?? 0), lastId: last ? Number(last.id) : 0, lastHash: last?.hash ?? '' };
}

/** The hash stored for one entry, or undefined when the entry is gone. */
export async function auditHashOf(db: Knex, id: number): Promise<string | undefined> {
  return (await db('audit_log').where({ id }).first('hash'))?.hash;
}
