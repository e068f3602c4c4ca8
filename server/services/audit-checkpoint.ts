/**
 * Anchoring the audit chain's head. The hash chain shows an altered or removed row in the
 * middle, but deleting the last rows leaves a shorter, still valid chain. So the head — how many entries,
 * the last id and its hash — is written out as a signed checkpoint: a line appended to
 * DATA_DIR/audit-checkpoints.jsonl, outside the database, HMAC-signed with AUDIT_KEY (by default derived
 * from SESSION_SECRET), every minute while the head moves, at shutdown and by `quota audit checkpoint`.
 * `quota audit verify` fails when the database holds fewer entries than a checkpoint, when the entry a
 * checkpoint names has another hash, or when a checkpoint's signature is wrong.
 *
 * Several instances on one PostgreSQL database each write their own file in their own DATA_DIR (nothing
 * is shared on disk); `verifyCheckpoints` takes every instance's file or directory and checks each one's
 * signatures and its latest checkpoint against the one chain.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { auditHashOf, auditHead } from '../../db/stores/audit';
import { settings } from '../config';

export interface Checkpoint {
  at: string;
  count: number;
  lastId: number;
  lastHash: string;
  sig: string;
}
type Head = Omit<Checkpoint, 'at' | 'sig'>;

export const checkpointFile = (dataDir: string) => join(dataDir, 'audit-checkpoints.jsonl');

/**
 * Where `quota audit verify` reads checkpoints: AUDIT_CHECKPOINTS, a comma-separated list of data directories
 * or checkpoint files (one per instance), else this instance's DATA_DIR.
 */
export function checkpointSources(dataDir: string, list = settings.auditCheckpoints()): string[] {
  const given = (list ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  return given.length ? given : [dataDir];
}

export function checkpointKey(secret: string, auditKey = settings.auditKey()): Buffer {
  return auditKey ? Buffer.from(auditKey) : createHmac('sha256', secret).update('quotadesk audit checkpoint').digest();
}

const sign = (key: Buffer, c: Omit<Checkpoint, 'sig'>) =>
  createHmac('sha256', key)
    .update(JSON.stringify([c.at, c.count, c.lastId, c.lastHash]))
    .digest('hex');

const head = (db: Knex): Promise<Head> => auditHead(db);

async function readCheckpoints(dataDir: string): Promise<string[]> {
  return readLines(checkpointFile(dataDir));
}

async function readLines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw e;
  }
}

/** Appends a checkpoint of the current head unless the last one already says the same; returns it, or null. */
export async function writeCheckpoint(
  db: Knex,
  dataDir: string,
  key: Buffer,
  at = new Date().toISOString(),
): Promise<Checkpoint | null> {
  const h = await head(db);
  if (h.count === 0) return null;
  const lines = await readCheckpoints(dataDir);
  const last = lines.length ? (JSON.parse(lines[lines.length - 1]) as Checkpoint) : null;
  if (last && last.count === h.count && last.lastId === h.lastId && last.lastHash === h.lastHash) return null;
  const c = { at, ...h };
  const line: Checkpoint = { ...c, sig: sign(key, c) };
  await appendFile(checkpointFile(dataDir), JSON.stringify(line) + '\n', { mode: 0o600 });
  return line;
}

export type CheckpointVerdict =
  { ok: true; checkpoints: number; latest?: Checkpoint } | { ok: false; reason: string; checkpoint?: Checkpoint };

/** A checkpoint source: a data directory (its audit-checkpoints.jsonl) or a checkpoint file copied from one. */
async function sourceFile(source: string): Promise<string> {
  const st = await stat(source).catch(() => null);
  return st?.isDirectory() ? checkpointFile(source) : source;
}

/**
 * Checks the checkpoints of every source (one data directory or copied file per instance): every line's
 * signature, and each source's latest checkpoint against the chain — no fewer entries than it recorded, and
 * its head entry unchanged. `latest` is the checkpoint recording the most entries across all sources.
 */
export async function verifyCheckpoints(
  db: Knex,
  sources: string | string[],
  key: Buffer,
  /** Sources the operator named: one with no checkpoint file is an error (a mistyped path must not pass). */
  opts: { named?: boolean } = {},
): Promise<CheckpointVerdict & { sources?: number }> {
  const list = Array.isArray(sources) ? sources : [sources];
  // every source's latest checkpoint first, the chain's head after: a live instance writing a checkpoint
  // meanwhile cannot make the head look shorter than a checkpoint
  const latestOf: { where: string; c: Checkpoint }[] = [];
  let total = 0;
  for (const source of list) {
    const file = await sourceFile(source);
    if (opts.named && !(await stat(file).catch(() => null))?.isFile())
      return {
        ok: false,
        reason: `${file}: no checkpoint file there (give each instance's DATA_DIR or its checkpoint file)`,
      };
    const lines = await readLines(file);
    const where = list.length > 1 ? `${file}: ` : '';
    let mine: Checkpoint | undefined;
    for (const [i, text] of lines.entries()) {
      let c: Checkpoint;
      try {
        c = JSON.parse(text) as Checkpoint;
      } catch {
        return { ok: false, reason: `${where}checkpoint line ${i + 1} is not readable` };
      }
      const expected = Buffer.from(sign(key, c), 'hex');
      const given = Buffer.from(String(c.sig ?? ''), 'hex');
      if (expected.length !== given.length || !timingSafeEqual(expected, given))
        return {
          ok: false,
          reason: `${where}checkpoint line ${i + 1} has a wrong signature (forged, or AUDIT_KEY / SESSION_SECRET differ)`,
          checkpoint: c,
        };
      if (!mine || c.count > mine.count) mine = c;
    }
    total += lines.length;
    if (mine) latestOf.push({ where, c: mine });
  }
  const h = await head(db);
  let latest: Checkpoint | undefined;
  for (const { where, c } of latestOf) {
    if (h.count < c.count)
      return {
        ok: false,
        reason: `${where}the log has ${h.count} entries but the checkpoint of ${c.at} recorded ${c.count}: the last entries were deleted`,
        checkpoint: c,
      };
    if ((await auditHashOf(db, c.lastId)) !== c.lastHash)
      return {
        ok: false,
        reason: `${where}entry ${c.lastId}, the head at the checkpoint of ${c.at}, is missing or changed`,
        checkpoint: c,
      };
    if (!latest || c.count > latest.count) latest = c;
  }
  return { ok: true, checkpoints: total, latest, sources: list.length };
}
