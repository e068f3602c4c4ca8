/**
 * Processing attempts per upload (an upload that killed the process twice is not retried
 * automatically again, so it cannot crash-loop the app), when a raw upload was purged under the retention
 * rule, and administrator settings (the retention period).
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('uploads', (t) => {
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('purged_at', 30).nullable();
  });
  await db.schema.createTable('settings', (t) => {
    t.string('key', 64).primary();
    t.text('value_json').notNullable();
    t.integer('updated_by').unsigned().references('users.id').nullable();
    t.string('updated_at', 30).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('settings');
  await db.schema.alterTable('uploads', (t) => {
    t.dropColumn('purged_at');
    t.dropColumn('attempts');
  });
}
