/**
 * The register of units (用人单位名录): the units liable for a data year, by credit code, imported from a
 * file (kept, with what it held, until it is confirmed) or entered one by one; and the one-time codes that
 * open a unit's account (开通) or add a further user to it, stored as hashes only.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('register_units', (t) => {
    t.increments('id');
    t.integer('year').notNullable();
    t.string('uscc', 18).notNullable();
    t.string('name', 200).notNullable();
    t.string('county', 20).notNullable();
    t.string('unit_type', 20).notNullable();
    t.string('contact_name', 100).nullable();
    t.string('contact_phone', 100).nullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['year', 'uscc']);
    t.index(['year', 'county']);
  });
  await db.schema.createTable('register_imports', (t) => {
    t.string('id', 36).primary();
    t.integer('user_id').unsigned().references('users.id').notNullable();
    t.integer('year').notNullable();
    t.string('county', 20).nullable(); // the officer's county; null: the whole city
    t.string('file_name', 255).notNullable();
    t.binary('content').notNullable();
    t.string('sha256', 64).notNullable();
    t.string('status', 16).notNullable(); // refused | pending | confirmed
    t.string('created_at', 30).notNullable();
    t.string('confirmed_at', 30).nullable();
    t.text('summary_json').nullable();
  });
  await db.schema.createTable('unit_codes', (t) => {
    t.increments('id');
    t.string('uscc', 18).notNullable().index();
    t.string('purpose', 16).notNullable(); // activate | invite
    t.string('code_hash', 64).notNullable().unique();
    t.string('expires_at', 30).notNullable();
    t.string('used_at', 30).nullable();
    t.string('issued_by', 64).notNullable();
    t.string('created_at', 30).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('unit_codes');
  await db.schema.dropTableIfExists('register_imports');
  await db.schema.dropTableIfExists('register_units');
}
