/**
 * Each county's notice settings (UX.md §3, docs/rules.md §16): the issuing body of its notices (落款) and the
 * objection contact — contact person, telephone, address, office hours. An administrator fills them in;
 * nothing is invented, and a notice is not published while one is missing. A notice keeps the values it
 * was published with (new nullable columns; the publisher and objection contact columns already exist).
 *
 * An objection is handled in three recorded steps (受理 → 核实 → 答复): status open → accepted → verified →
 * answered, each with who and when, the findings of the check and the outcome of the answer.
 */
import type { Knex } from 'knex';
import { isPostgres } from '../connection';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('county_settings', (t) => {
    t.string('county', 20).primary();
    t.string('issuing_body', 200).notNullable();
    t.string('contact_person', 100).notNullable();
    t.string('telephone', 100).notNullable();
    t.string('address', 200).notNullable();
    t.string('office_hours', 200).notNullable();
    t.integer('updated_by').unsigned().references('users.id').notNullable();
    t.string('updated_at', 30).notNullable();
  });
  await db.schema.alterTable('notices', (t) => {
    t.string('contact_person', 100).nullable();
    t.string('telephone', 100).nullable();
    t.string('address', 200).nullable();
    t.string('office_hours', 200).nullable();
  });
  await db.schema.alterTable('objections', (t) => {
    t.integer('accepted_by').unsigned().nullable(); // users.id (no constraint, so a down can drop the column on SQLite)
    t.string('accepted_at', 30).nullable();
    t.text('findings').nullable();
    t.integer('verified_by').unsigned().nullable(); // users.id
    t.string('verified_at', 30).nullable();
    t.string('outcome', 16).nullable(); // upheld | partly | rejected
  });
}

/** Drops columns in place (SQLite ≥ 3.35 does so natively; rebuilding the table would lose the notices' immutability triggers). */
async function dropColumns(db: Knex, table: string, columns: string[]): Promise<void> {
  if (isPostgres(db)) {
    await db.schema.alterTable(table, (t) => {
      for (const c of columns) t.dropColumn(c);
    });
    return;
  }
  for (const c of columns) await db.raw(`ALTER TABLE ${table} DROP COLUMN ${c}`);
}

export async function down(db: Knex): Promise<void> {
  await dropColumns(db, 'objections', [
    'accepted_by',
    'accepted_at',
    'findings',
    'verified_by',
    'verified_at',
    'outcome',
  ]);
  await dropColumns(db, 'notices', ['contact_person', 'telephone', 'address', 'office_hours']);
  await db.schema.dropTableIfExists('county_settings');
}
