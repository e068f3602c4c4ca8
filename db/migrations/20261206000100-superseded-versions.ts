/**
 * A submission, and the reward application made with it, superseded by a later version of the same employer
 * and data year: the version that superseded it. A superseded version is never reviewed, and its reward is
 * never approved, marked paid or published; only the current version's application can be. Versions already
 * followed by a later one are marked with the version right after them.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('submissions', (t) => {
    t.integer('superseded_by_version').nullable();
  });
  await db.schema.alterTable('reward_claims', (t) => {
    t.integer('superseded_by_version').nullable();
  });
  const next = db('submissions as s2')
    .whereRaw('s2.employer_id = submissions.employer_id and s2.year = submissions.year')
    .andWhereRaw('s2.version > submissions.version')
    .min('s2.version');
  await db('submissions').update({ superseded_by_version: next });
  await db('reward_claims').update({
    superseded_by_version: db('submissions as s')
      .whereRaw('s.id = reward_claims.submission_id')
      .select('s.superseded_by_version'),
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('reward_claims', (t) => {
    t.dropColumn('superseded_by_version');
  });
  await db.schema.alterTable('submissions', (t) => {
    t.dropColumn('superseded_by_version');
  });
}
