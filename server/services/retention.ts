/**
 * Deleting expired raw uploads (issue #6.6): the file goes, the stored result keeps its figures but loses
 * its personal data (scrubResult), the hashed employee keys go, and the upload is marked purged — all
 * audited. The administrator sets the policy (settings table); `quota retention purge` runs it.
 */
import type { Knex } from 'knex';
import { rm } from 'node:fs/promises';
import { appendAudit } from '../../db/stores/audit';
import { getSetting, putSetting } from '../../db/stores/settings';
import { DEFAULT_RETENTION, expiresOn, scrubResult, validPolicy, type RetentionPolicy } from './retention-rule';
import { uploadPath } from './uploads';

export async function retentionPolicy(db: Knex): Promise<RetentionPolicy> {
  return validPolicy({ ...DEFAULT_RETENTION, ...((await getSetting(db, 'retention')) as object | undefined) }) ?? DEFAULT_RETENTION;
}

export async function setRetentionPolicy(db: Knex, user: { id: number; username: string }, v: unknown): Promise<RetentionPolicy | null> {
  const p = validPolicy(v);
  if (!p) return null;
  await db.transaction(async (trx) => {
    await putSetting(trx, 'retention', p, user.id);
    await appendAudit(trx, { actor: user.username, action: 'settings.retention', target: 'settings:retention', detail: { ...p } });
  });
  return p;
}

export interface Expiry { uploadId: string; storedName: string; expiresOn: string }

/** Raw uploads past their retention date on `today` (not yet purged). */
export async function expiredUploads(db: Knex, p: RetentionPolicy, today: string): Promise<Expiry[]> {
  const rows = await db('uploads as u').join('employers as e', 'e.id', 'u.employer_id').leftJoin('checks as c', 'c.upload_id', 'u.id')
    .whereNull('u.purged_at').whereNotIn('u.status', ['received', 'processing'])
    .select('u.id', 'u.stored_name', 'u.created_at', 'c.year', 'e.county');
  const ends = new Map<string, string>();
  for (const n of await db('notices').where({ status: 'published' }).select('county', 'year', 'period_end')) {
    const k = `${n.county}:${n.year}`;
    if (!ends.has(k) || ends.get(k)! < n.period_end) ends.set(k, n.period_end);
  }
  const out: Expiry[] = [];
  for (const r of rows) {
    const year = r.year === null || r.year === undefined ? null : Number(r.year);
    const exp = expiresOn({ createdAt: r.created_at, year }, year === null ? null : ends.get(`${r.county}:${year}`) ?? null, p);
    if (exp && exp <= today) out.push({ uploadId: r.id, storedName: r.stored_name, expiresOn: exp });
  }
  return out;
}

export async function purgeExpired(db: Knex, dataDir: string, actor: string, today: string, dryRun = false): Promise<{ purged: Expiry[]; policy: RetentionPolicy }> {
  const policy = await retentionPolicy(db);
  const expired = await expiredUploads(db, policy, today);
  if (dryRun) return { purged: expired, policy };
  for (const u of await db('uploads').whereNotNull('purged_at').select('stored_name')) await rm(uploadPath(dataDir, u.stored_name), { force: true });
  for (const x of expired) {
    await db.transaction(async (trx) => {
      const check = await trx('checks').where({ upload_id: x.uploadId }).first('id', 'result_json');
      if (check) await trx('checks').where({ id: check.id }).update({ result_json: scrubResult(check.result_json), employee_keys_json: '[]' });
      await trx('uploads').where({ id: x.uploadId }).update({ purged_at: new Date().toISOString(), file_name: `（已删除）${x.storedName.slice(x.storedName.lastIndexOf('.'))}` });
      await appendAudit(trx, { actor, action: 'upload.purged', target: `upload:${x.uploadId}`, detail: { expiresOn: x.expiresOn, mode: policy.mode } });
    });
    // the file goes after the database says so: a crash in between leaves a purged row and a stray file
    // (removed by the next run), never a live row without its file
    await rm(uploadPath(dataDir, x.storedName), { force: true });
  }
  return { purged: expired, policy };
}
