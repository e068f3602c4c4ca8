/** Fixed-window counters in the database, so every app instance sees the same count. */
import type { Knex } from 'knex';

export async function hitRateLimit(
  db: Knex,
  key: string,
  windowMs: number,
  max: number,
  now = Date.now(),
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  return db.transaction(async (trx) => {
    const row = await trx('rate_limits').where({ key }).first();
    const start = row ? Number(row.window_start) : 0;
    if (!row || now - start >= windowMs) {
      if (row) await trx('rate_limits').where({ key }).update({ window_start: now, count: 1 });
      else await trx('rate_limits').insert({ key, window_start: now, count: 1 }).onConflict('key').merge();
      return { allowed: true, retryAfterSeconds: 0 };
    }
    await trx('rate_limits').where({ key }).increment('count', 1);
    const count = Number(row.count) + 1;
    return { allowed: count <= max, retryAfterSeconds: Math.ceil((start + windowMs - now) / 1000) };
  });
}

export async function clearRateLimit(db: Knex, key: string): Promise<void> {
  await db('rate_limits').where({ key }).delete();
}
