/**
 * Deleting expired raw uploads: the file goes, the stored result keeps its figures but loses
 * its personal data (scrubResult), the hashed employee keys go, and the upload is marked purged — all
 * audited. The administrator sets the policy (settings table); `quota retention purge` runs it.
 */
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import { scrubCheckOfUpload } from '../../db/stores/checks';
import { publishedPeriodEnds } from '../../db/stores/notices';
import { getSetting, putSetting } from '../../db/stores/settings';
import { listPurgedStoredNames, listRetentionCandidates, markUploadPurged } from '../../db/stores/uploads';
import { DEFAULT_RETENTION, expiresOn, scrubResult, validPolicy, type RetentionPolicy } from './retention-rule';
import { FileUploadFiles, type UploadFiles } from './upload-files';

export async function retentionPolicy(db: Knex): Promise<RetentionPolicy> {
  return (
    validPolicy({ ...DEFAULT_RETENTION, ...((await getSetting(db, 'retention')) as object | undefined) }) ??
    DEFAULT_RETENTION
  );
}

export async function setRetentionPolicy(
  db: Knex,
  user: { id: number; username: string },
  v: unknown,
): Promise<RetentionPolicy | null> {
  const p = validPolicy(v);
  if (!p) return null;
  await db.transaction(async (trx) => {
    await putSetting(trx, 'retention', p, user.id);
    await appendAudit(trx, {
      actor: user.username,
      action: 'settings.retention',
      target: 'settings:retention',
      detail: { ...p },
    });
  });
  return p;
}

export interface Expiry {
  uploadId: string;
  storedName: string;
  expiresOn: string;
}

/** Raw uploads past their retention date on `today` (not yet purged). */
export async function expiredUploads(db: Knex, p: RetentionPolicy, today: string): Promise<Expiry[]> {
  const rows = await listRetentionCandidates(db);
  const ends = await publishedPeriodEnds(db);
  const out: Expiry[] = [];
  for (const r of rows) {
    const year = r.year === null || r.year === undefined ? null : Number(r.year);
    // docs/rules.md §6.1: a provisional levy is recomputed from the stored workbook once the social average
    // wage is entered, so its workbook is kept until then whatever the policy says
    if (Number(r.provisional) === 1) continue;
    const exp = expiresOn(
      { createdAt: r.created_at, year },
      year === null ? null : (ends.get(`${r.county}:${year}`) ?? null),
      p,
    );
    if (exp && exp <= today) out.push({ uploadId: r.id, storedName: r.stored_name, expiresOn: exp });
  }
  return out;
}

/** `files`: where the raw uploads are kept (a data directory: files under it). */
export async function purgeExpired(
  db: Knex,
  files: UploadFiles | string,
  actor: string,
  today: string,
  dryRun = false,
): Promise<{ purged: Expiry[]; policy: RetentionPolicy }> {
  const policy = await retentionPolicy(db);
  const expired = await expiredUploads(db, policy, today);
  if (dryRun) return { purged: expired, policy };
  const store = typeof files === 'string' ? new FileUploadFiles(files) : files;
  for (const name of await listPurgedStoredNames(db)) await store.remove(name);
  for (const x of expired) {
    await db.transaction(async (trx) => {
      await scrubCheckOfUpload(trx, x.uploadId, scrubResult);
      await markUploadPurged(trx, x.uploadId, `（已删除）${x.storedName.slice(x.storedName.lastIndexOf('.'))}`);
      await appendAudit(trx, {
        actor,
        action: 'upload.purged',
        target: `upload:${x.uploadId}`,
        detail: { expiresOn: x.expiresOn, mode: policy.mode },
      });
    });
    // the file goes after the database says so: a crash in between leaves a purged row and a stray file
    // (removed by the next run), never a live row without its file
    await store.remove(x.storedName);
  }
  return { purged: expired, policy };
}
