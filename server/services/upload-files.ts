/**
 * Where raw uploads are kept: ONE interface, two back ends. `files` keeps them under DATA_DIR/uploads (the
 * embedded default: one instance, one disk); `database` keeps them in the database in 1 MB chunks, so every
 * instance on one PostgreSQL can process, recover, annotate and purge a file another instance received.
 * Readers get a local path: the file itself, or a private copy under DATA_DIR/tmp removed on release.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { deleteBlob, insertBlobChunk, readBlobChunks } from '../../db/stores/upload-blobs';

export type UploadStorageKind = 'files' | 'database';

export interface UploadFiles {
  readonly kind: UploadStorageKind;
  /** Stores the file at `fromPath` under `storedName`. */
  put(storedName: string, fromPath: string): Promise<void>;
  /** A local path holding the stored file, until `release` is called. */
  open(storedName: string): Promise<{ path: string; release: () => Promise<void> }>;
  /** Removes the stored file; no error if it is already gone. */
  remove(storedName: string): Promise<void>;
}

export const CHUNK_BYTES = 1024 * 1024;

export function uploadPath(dataDir: string, storedName: string): string {
  return join(dataDir, 'uploads', storedName);
}

export class FileUploadFiles implements UploadFiles {
  readonly kind = 'files' as const;
  constructor(private readonly dataDir: string) {}
  async put(storedName: string, fromPath: string): Promise<void> {
    await mkdir(join(this.dataDir, 'uploads'), { recursive: true, mode: 0o700 });
    await copyFile(fromPath, uploadPath(this.dataDir, storedName));
  }
  async open(storedName: string) {
    return { path: uploadPath(this.dataDir, storedName), release: async () => undefined };
  }
  async remove(storedName: string): Promise<void> {
    await rm(uploadPath(this.dataDir, storedName), { force: true });
  }
}

export class DatabaseUploadFiles implements UploadFiles {
  readonly kind = 'database' as const;
  constructor(
    private readonly db: Knex,
    private readonly dataDir: string,
  ) {}
  async put(storedName: string, fromPath: string): Promise<void> {
    // one transaction: a file is in the database whole or not at all
    await this.db.transaction(async (trx) => {
      let seq = 0;
      for await (const chunk of createReadStream(fromPath, { highWaterMark: CHUNK_BYTES }))
        await insertBlobChunk(trx, storedName, seq++, chunk as Buffer);
    });
  }
  async open(storedName: string) {
    const dir = join(this.dataDir, 'tmp');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `upload-${randomUUID()}-${storedName.replace(/[^\w.-]/g, '')}`);
    const release = () => rm(path, { force: true });
    try {
      const h = await open(path, 'w', 0o600);
      try {
        const n = await readBlobChunks(this.db, storedName, async (data) => {
          await h.write(data);
        });
        if (n === 0) throw Object.assign(new Error(`stored upload ${storedName} not found`), { code: 'ENOENT' });
      } finally {
        await h.close();
      }
    } catch (e) {
      await release();
      throw e;
    }
    return { path, release };
  }
  async remove(storedName: string): Promise<void> {
    await deleteBlob(this.db, storedName);
  }
}

/** `UPLOAD_STORAGE` if set; else the database on PostgreSQL (several instances) and files on SQLite. */
export function uploadFilesFor(
  db: Knex,
  dataDir: string,
  kind: UploadStorageKind | '',
  postgres: boolean,
): UploadFiles {
  const k = kind || (postgres ? 'database' : 'files');
  return k === 'database' ? new DatabaseUploadFiles(db, dataDir) : new FileUploadFiles(dataDir);
}
