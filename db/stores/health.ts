import type { Knex } from 'knex';

/** The database answers (readiness). */
export async function ping(db: Knex): Promise<void> {
  await db.raw('select 1');
}
