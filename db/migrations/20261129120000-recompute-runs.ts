/**
 * A year's recompute as a run of its own (docs/rules.md §6.1): entering the social average wage starts it; it
 * works in the background, page by page, and records how far it got (`cursor`, the last result written, and the
 * counts) in the same transaction as each page's results, so an interrupted run resumes after its last page
 * and no result is recomputed twice. `active_year` is set while the run is unfinished: one run per year at a
 * time, on any instance. `claimed_by` and `heartbeat` (ms since the epoch) say which instance works on it;
 * another instance takes over a run whose heartbeat has stopped.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('recompute_runs', (t) => {
    t.increments('id');
    t.integer('year').notNullable().index();
    t.integer('active_year').nullable().unique();
    t.string('status', 16).notNullable(); // running | done | failed
    t.integer('total').notNullable();
    t.integer('done').notNullable().defaultTo(0);
    t.integer('recomputed').notNullable().defaultTo(0);
    t.integer('unchanged').notNullable().defaultTo(0);
    t.integer('purged').notNullable().defaultTo(0);
    t.text('by_county_json').notNullable();
    t.string('cursor', 36).nullable();
    t.integer('started_by').unsigned().references('users.id').notNullable();
    t.string('claimed_by', 80).nullable();
    t.bigInteger('heartbeat').notNullable();
    t.text('error').nullable();
    t.string('started_at', 30).notNullable();
    t.string('finished_at', 30).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('recompute_runs');
}
