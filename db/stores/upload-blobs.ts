/** Raw upload files stored in the database, in numbered chunks (server/services/upload-files.ts). */
import type { Knex } from 'knex';

export async function insertBlobChunk(
  db: Knex | Knex.Transaction,
  storedName: string,
  seq: number,
  data: Buffer,
): Promise<void> {
  await db('upload_blobs').insert({ stored_name: storedName, seq, data });
}

/** The file's chunks in order, one at a time (`each` may write it out), without holding the whole file. */
export async function readBlobChunks(
  db: Knex,
  storedName: string,
  each: (data: Buffer) => Promise<void>,
): Promise<number> {
  let seq = -1;
  let n = 0;
  for (;;) {
    const row: { seq: number; data: Buffer } | undefined = await db('upload_blobs')
      .where({ stored_name: storedName })
      .andWhere('seq', '>', seq)
      .orderBy('seq')
      .first('seq', 'data');
    if (!row) return n;
    await each(Buffer.from(row.data));
    seq = Number(row.seq);
    n++;
  }
}

export async function deleteBlob(db: Knex | Knex.Transaction, storedName: string): Promise<void> {
  await db('upload_blobs').where({ stored_name: storedName }).delete();
}
