/**
 * The year's procedure (docs/rules.md §11–§16): the verification certificate (审核确认书) issued when a
 * submission is accepted; reward claims (apply or give up at submission, approve or refuse, paid on a date);
 * results recomputed when the year's social average wage is entered (a new computed version with its diff);
 * per-year deadlines (the verification window and the tax collection period).
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('certificates', (t) => {
    t.increments('id');
    t.string('number', 40).notNullable().unique();
    t.string('code', 12).notNullable();
    t.integer('submission_id').unsigned().references('submissions.id').notNullable().unique();
    t.integer('employer_id').unsigned().references('employers.id').notNullable().index();
    t.integer('year').notNullable();
    t.string('county', 20).notNullable();
    t.string('issuing_body', 200).notNullable();
    t.string('officer_name', 100).notNullable();
    t.string('issued_on', 10).notNullable();
    t.text('body_json').notNullable();
    t.string('created_at', 30).notNullable();
  });
  await db.schema.createTable('reward_claims', (t) => {
    t.increments('id');
    t.integer('submission_id').unsigned().references('submissions.id').notNullable().unique();
    t.integer('employer_id').unsigned().references('employers.id').notNullable().index();
    t.integer('year').notNullable();
    t.string('county', 20).notNullable();
    t.bigInteger('amount_fen').notNullable();
    t.text('rewards_json').notNullable();
    t.string('status', 16).notNullable(); // applied | waived | approved | refused | paid
    t.integer('decided_by').unsigned().references('users.id').nullable();
    t.string('decided_at', 30).nullable();
    t.text('refusal_reason').nullable();
    t.string('paid_on', 10).nullable();
    t.string('created_at', 30).notNullable();
    t.index(['county', 'year', 'status']);
  });
  await db.schema.createTable('result_versions', (t) => {
    t.increments('id');
    t.string('check_id', 36).references('checks.id').notNullable().index();
    t.integer('version').notNullable();
    t.string('reason', 32).notNullable();
    t.text('result_json').notNullable();
    t.text('diff_json').notNullable();
    t.integer('created_by').unsigned().references('users.id').notNullable();
    t.string('created_at', 30).notNullable();
    t.unique(['check_id', 'version']);
  });
  await db.schema.alterTable('submissions', (t) => {
    t.boolean('late').notNullable().defaultTo(false);
  });
  await db.schema.createTable('year_deadlines', (t) => {
    t.integer('year').primary();
    t.string('verification_from', 10).notNullable();
    t.string('verification_to', 10).notNullable();
    t.string('collection_from', 10).notNullable();
    t.string('collection_to', 10).notNullable();
    t.integer('updated_by').unsigned().references('users.id').notNullable();
    t.string('updated_at', 30).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('year_deadlines');
  await db.schema.alterTable('submissions', (t) => {
    t.dropColumn('late');
  });
  for (const t of ['result_versions', 'reward_claims', 'certificates']) await db.schema.dropTableIfExists(t);
}
