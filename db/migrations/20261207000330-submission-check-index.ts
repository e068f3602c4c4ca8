/**
 * Submissions found by their result: the city-wide search for a person counted by two units (docs/rules.md §4.2)
 * joins every counted person to the current submission of its result, and the recomputes update a submission by
 * its result; without an index each is a scan of every submission.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('submissions', (t) => {
    t.index(['check_id'], 'submissions_check_id_index');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('submissions', (t) => {
    t.dropIndex(['check_id'], 'submissions_check_id_index');
  });
}
