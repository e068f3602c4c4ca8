/**
 * Fixed-window counters in the database, so every app instance sees the same count. One statement counts
 * the hit and returns the window's total: two instances (or two requests) counting at the same moment
 * cannot both read the old count, so N instances never allow N × the limit.
 */
import type { Knex } from 'knex';

export async function hitRateLimit(
  db: Knex,
  key: string,
  windowMs: number,
  max: number,
  now = Date.now(),
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  // a window that began `windowMs` ago or earlier is over: the hit starts a new one
  const over = now - windowMs;
  const res = await db.raw(
    `insert into rate_limits ("key", window_start, "count") values (?, ?, 1)
     on conflict ("key") do update set
       "count" = case when rate_limits.window_start <= ? then 1 else rate_limits."count" + 1 end,
       window_start = case when rate_limits.window_start <= ? then excluded.window_start else rate_limits.window_start end
     returning window_start, "count"`,
    [key, now, over, over],
  );
  const row = (Array.isArray(res) ? res[0] : res.rows[0]) as { window_start: number | string; count: number | string };
  const start = Number(row.window_start);
  const count = Number(row.count);
  return { allowed: count <= max, retryAfterSeconds: count <= max ? 0 : Math.ceil((start + windowMs - now) / 1000) };
}

export async function clearRateLimit(db: Knex, key: string): Promise<void> {
  await db('rate_limits').where({ key }).delete();
}
