/**
 * Storage faults: a full disk or a read-only data directory must give a clear answer, never a
 * crash loop. `probeStorage` writes, syncs and removes a small file in the data directory; `storageFault`
 * recognises the errors of the file system, SQLite and PostgreSQL that mean "full" or "read-only".
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { said } from './i18n/t';

export type StorageFault = 'full' | 'readonly';

export function storageFault(err: unknown): StorageFault | null {
  const e = err as { code?: string; errno?: number; message?: string } | null;
  const code = String(e?.code ?? '');
  const msg = String(e?.message ?? '');
  if (
    ['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100'].includes(code) ||
    /SQLITE_FULL|database or disk is full|No space left/i.test(msg)
  )
    return 'full';
  if (
    ['EROFS', 'EACCES', 'EPERM', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', '25006'].includes(code) ||
    /SQLITE_READONLY|read-only file system|readonly database/i.test(msg)
  )
    return 'readonly';
  return null;
}

export const STORAGE_TEXT: Record<StorageFault, { zh: string; en: string }> = {
  full: said('error.storage.full'),
  readonly: said('error.storage.readonly'),
};

/** null when the data directory takes a write; otherwise the fault and the underlying message. */
export async function probeStorage(dataDir: string): Promise<{ fault: StorageFault; message: string } | null> {
  const file = join(dataDir, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dataDir, { recursive: true });
    const h = await open(file, 'w');
    try {
      await h.write(randomBytes(64 * 1024));
      await h.sync();
    } finally {
      await h.close();
    }
    await rm(file, { force: true });
    return null;
  } catch (e) {
    await rm(file, { force: true }).catch(() => undefined);
    return { fault: storageFault(e) ?? 'readonly', message: (e as Error).message };
  }
}
