/**
 * The 残联's certificate register (docs/rules.md §4.3), imported by the administrator: each import and its rows,
 * kept as the keyed hash of the holder's ID number (the first 18 characters of the certificate number) with the
 * category, grade and dates — no certificate number, no ID number, no name. An import is previewed first; once
 * confirmed it is the register every check uses, and the one before it is replaced.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('cert_register_imports', (t) => {
    t.increments('id');
    t.string('file_name', 255).notNullable();
    t.integer('rows').notNullable();
    /** problems by row and column, as the preview lists them (codes and places, no cell values) */
    t.text('problems_json').notNullable();
    t.string('status', 16).notNullable(); // preview | active | replaced | discarded
    t.integer('created_by').unsigned().references('users.id').notNullable();
    t.string('created_at', 30).notNullable();
    t.string('confirmed_at', 30).nullable();
    t.index(['status']);
  });
  await db.schema.createTable('cert_register_entries', (t) => {
    t.increments('id');
    t.integer('import_id').unsigned().references('cert_register_imports.id').notNullable();
    t.integer('row').notNullable();
    t.string('person_key', 64).notNullable();
    t.integer('category').notNullable();
    t.integer('grade').notNullable();
    t.string('issued', 10).notNullable();
    t.string('valid_to', 10).nullable();
    t.string('cancelled_on', 10).nullable();
    t.index(['import_id', 'person_key']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('cert_register_entries');
  await db.schema.dropTableIfExists('cert_register_imports');
}
