/**
 * Anchoring the audit chain's head (issue #11.13). The hash chain shows an altered or removed row in the
 * middle, but deleting the last rows leaves a shorter, still valid chain. So the head — how many entries,
 * the last id and its hash — is written out as a signed checkpoint: a line appended to
 * DATA_DIR/audit-checkpoints.jsonl, outside the database, HMAC-signed with AUDIT_KEY (by default derived
 * from SESSION_SECRET), every minute while the head moves, at shutdown and by `quota audit checkpoint`.
 * `quota audit verify` fails when the database holds fewer entries than a checkpoint, when the entry a
 * checkpoint names has another hash, or when a checkpoint's signature is wrong.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { auditHashOf, auditHead } from '../../db/stores/audit';

export interface Checkpoint {
  at: string;
  count: number;
  lastId: number;
  lastHash: string;
  sig: string;
}
type Head = Omit<Checkpoint, 'at' | 'sig'>;

export const checkpointFile = (dataDir: string) => join(dataDir, 'audit-checkpoints.jsonl');

export function checkpointKey(secret: string, auditKey = process.env.AUDIT_KEY): Buffer {
  return auditKey ? Buffer.from(auditKey) : createHmac('sha256', secret).update('quotadesk audit checkpoint').digest();
}

const sign = (key: Buffer, c: Omit<Checkpoint, 'sig'>) =>
  createHmac('sha256', key)
    .update(JSON.stringify([c.at, c.count, c.lastId, c.lastHash]))
    .digest('hex');

const head = (db: Knex): Promise<Head> => auditHead(db);

async function readCheckpoints(dataDir: string): Promise<string[]> {
  try {
    return (await readFile(checkpointFile(dataDir), 'utf8')).split('\n').filter(Boolean);
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

export async function verifyCheckpoints(db: Knex, dataDir: string, key: Buffer): Promise<CheckpointVerdict> {
  const lines = await readCheckpoints(dataDir);
  let latest: Checkpoint | undefined;
  for (const [i, text] of lines.entries()) {
    let c: Checkpoint;
    try {
      c = JSON.parse(text) as Checkpoint;
    } catch {
      return { ok: false, reason: `checkpoint line ${i + 1} is not readable` };
    }
    const expected = Buffer.from(sign(key, c), 'hex');
    const given = Buffer.from(String(c.sig ?? ''), 'hex');
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return {
        ok: false,
        reason: `checkpoint line ${i + 1} has a wrong signature (forged, or AUDIT_KEY / SESSION_SECRET differ)`,
        checkpoint: c,
      };
    if (!latest || c.count > latest.count) latest = c;
  }
  if (!latest) return { ok: true, checkpoints: 0 };
  const h = await head(db);
  if (h.count < latest.count)
    return {
      ok: false,
      reason: `the log has ${h.count} entries but the checkpoint of ${latest.at} recorded ${latest.count}: the last entries were deleted`,
      checkpoint: latest,
    };
  if ((await auditHashOf(db, latest.lastId)) !== latest.lastHash)
    return {
      ok: false,
      reason: `entry ${latest.lastId}, the head at the checkpoint of ${latest.at}, is missing or changed`,
      checkpoint: latest,
    };
  return { ok: true, checkpoints: lines.length, latest };
}
