/**
 * Account lifecycle: a disabled account (`disabled_at`), a generation number that ends every open session
 * of a user when raised (disabling, a password change or reset), the second factor's secret and when it
 * was confirmed (and the last time step used, so a code is not accepted twice), single-use recovery codes and one-time reset codes (stored as hashes only), and the
 * administrator's mapping of single sign-on subjects to officer accounts.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('users', (t) => {
    t.string('disabled_at', 30).nullable();
    t.integer('session_generation').notNullable().defaultTo(0);
    t.string('totp_secret', 64).nullable();
    t.string('totp_enrolled_at', 30).nullable();
    t.bigInteger('totp_last_step').nullable();
    t.string('password_changed_at', 30).nullable();
  });
  await db.schema.createTable('recovery_codes', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().references('users.id').notNullable().index();
    t.string('code_hash', 64).notNullable();
    t.string('used_at', 30).nullable();
  });
  await db.schema.createTable('reset_codes', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().references('users.id').notNullable().index();
    t.string('code_hash', 64).notNullable().unique();
    t.string('purpose', 16).notNullable(); // reset | first (a new officer's first password)
    t.string('expires_at', 30).notNullable();
    t.string('used_at', 30).nullable();
    t.string('created_at', 30).notNullable();
  });
  await db.schema.createTable('sso_subjects', (t) => {
    t.increments('id');
    t.string('subject', 200).notNullable().unique();
    t.integer('user_id').unsigned().references('users.id').notNullable();
    t.string('created_at', 30).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('sso_subjects');
  await db.schema.dropTableIfExists('reset_codes');
  await db.schema.dropTableIfExists('recovery_codes');
  await db.schema.alterTable('users', (t) => {
    t.dropColumn('disabled_at');
    t.dropColumn('session_generation');
    t.dropColumn('totp_secret');
    t.dropColumn('totp_enrolled_at');
    t.dropColumn('totp_last_step');
    t.dropColumn('password_changed_at');
  });
}
