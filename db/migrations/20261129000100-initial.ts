/** The initial schema. Immutable once on main: change the schema with a new migration. */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('employers', (t) => {
    t.increments('id');
    t.string('uscc', 18).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('county', 20).notNullable().index();
    t.string('unit_type', 20).notNullable();
    t.string('created_at', 30).notNullable();
  });
  await db.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('username', 64).notNullable().unique();
    t.string('password_hash', 200).notNullable();
    t.string('role', 16).notNullable();
    t.integer('employer_id').unsigned().references('employers.id').nullable();
    t.string('county', 20).nullable();
    t.string('display_name', 100).notNullable();
    t.string('created_at', 30).notNullable();
  });
  await db.schema.createTable('sessions', (t) => {
    t.string('sid', 128).primary();
    t.text('sess').notNullable();
    t.bigInteger('expires').notNullable().index();
  });
  await db.schema.createTable('uploads', (t) => {
    t.string('id', 36).primary();
    t.integer('employer_id').unsigned().references('employers.id').notNullable().index();
    t.integer('user_id').unsigned().references('users.id').notNullable();
    t.string('file_name', 255).notNullable();
    t.string('stored_name', 80).notNullable();
    t.integer('size').notNullable();
    t.string('sha256', 64).notNullable();
    t.string('status', 16).notNullable().index();
    t.integer('rows_read').notNullable().defaultTo(0);
    t.text('error').nullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });
  await db.schema.createTable('checks', (t) => {
    t.string('id', 36).primary();
    t.string('upload_id', 36).references('uploads.id').notNullable().unique();
    t.integer('employer_id').unsigned().references('employers.id').notNullable().index();
    t.integer('year').nullable();
    t.boolean('has_problems').notNullable();
    t.text('result_json').notNullable();
    t.text('employee_keys_json').notNullable();
    t.string('created_at', 30).notNullable();
  });
  await db.schema.createTable('submissions', (t) => {
    t.increments('id');
    t.integer('employer_id').unsigned().references('employers.id').notNullable();
    t.integer('year').notNullable();
    t.integer('version').notNullable();
    t.string('check_id', 36).references('checks.id').notNullable();
    t.string('status', 16).notNullable();
    t.string('quota_status', 16).notNullable();
    t.float('avg_staff').notNullable();
    t.float('required').notNullable();
    t.float('avg_weighted').notNullable();
    t.bigInteger('levy_payable_fen').notNullable();
    t.bigInteger('reward_total_fen').notNullable();
    t.bigInteger('vat_ceiling_fen').notNullable();
    t.integer('concentrated_months').notNullable();
    t.integer('submitted_by').unsigned().references('users.id').notNullable();
    t.string('submitted_at', 30).notNullable();
    t.integer('reviewed_by').unsigned().references('users.id').nullable();
    t.string('reviewed_at', 30).nullable();
    t.text('return_reason').nullable();
    t.unique(['employer_id', 'year', 'version']);
    t.index(['year', 'status']);
  });
  await db.schema.createTable('parameter_values', (t) => {
    t.increments('id');
    t.string('param_id', 64).notNullable();
    t.string('key', 64).nullable();
    t.string('from', 10).notNullable();
    t.string('to', 10).nullable();
    t.text('value_json').notNullable();
    t.text('source').notNullable();
    t.integer('created_by').unsigned().references('users.id').notNullable();
    t.string('created_at', 30).notNullable();
  });
  await db.schema.createTable('audit_log', (t) => {
    t.increments('id');
    t.string('at', 30).notNullable();
    t.string('actor', 100).notNullable();
    t.string('action', 64).notNullable();
    t.string('target', 200).notNullable();
    t.text('detail_json').notNullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
  });
  await db.schema.createTable('rate_limits', (t) => {
    t.string('key', 200).primary();
    t.bigInteger('window_start').notNullable();
    t.integer('count').notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  for (const t of [
    'rate_limits',
    'audit_log',
    'parameter_values',
    'submissions',
    'checks',
    'uploads',
    'sessions',
    'users',
    'employers',
  ]) {
    await db.schema.dropTableIfExists(t);
  }
}
