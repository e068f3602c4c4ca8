/** What the metrics (/metrics) count in the database: uploads waiting or being read, recompute runs going. */
import type { Knex } from 'knex';
import { readerOf } from '../connection';

/** Uploads not yet processed, by status ('received', 'processing'). */
export async function countUnfinishedUploads(db: Knex): Promise<Record<'received' | 'processing', number>> {
  const rows = (await readerOf(db)('uploads')
    .whereIn('status', ['received', 'processing'])
    .groupBy('status')
    .select('status')
    .count('* as n')) as { status: 'received' | 'processing'; n: number | string }[];
  const out = { received: 0, processing: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** The recompute runs going now: their year and how far they are. */
export async function runningRecomputes(db: Knex): Promise<{ year: number; total: number; done: number }[]> {
  const rows = (await readerOf(db)('recompute_runs').where({ status: 'running' }).select('year', 'total', 'done')) as {
    year: number | string;
    total: number | string;
    done: number | string;
  }[];
  return rows.map((r) => ({ year: Number(r.year), total: Number(r.total), done: Number(r.done) }));
}
