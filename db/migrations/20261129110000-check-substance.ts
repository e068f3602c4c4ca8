/**
 * A stored result's substance fingerprint (reports/stored-result.ts, `substanceOf`), written with the result,
 * so that telling whether a result says the same as the last submitted version compares two short strings
 * instead of reading and parsing both results whole. Null for results stored before this column, and for
 * a result rewritten since (recomputed, or scrubbed under the retention rule): the fingerprint is then
 * computed from the stored text when needed.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('checks', (t) => {
    t.string('substance', 64).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('checks', (t) => {
    t.dropColumn('substance');
  });
}
