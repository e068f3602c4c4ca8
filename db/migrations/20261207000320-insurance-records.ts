/**
 * The insurer's social-insurance payment records (docs/rules.md §4.4), imported by the administrator: each import
 * and its rows — the keyed hash of the ID number (never the number), the unit's credit code, the year and the
 * months paid as bits. Previewed first; once confirmed, the records every check of a unit they cover uses.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('insurance_imports', (t) => {
    t.increments('id');
    t.string('file_name', 255).notNullable();
    t.integer('rows').notNullable();
    t.text('problems_json').notNullable();
    t.string('status', 16).notNullable(); // preview | active | replaced | discarded
    t.integer('created_by').unsigned().references('users.id').notNullable();
    t.string('created_at', 30).notNullable();
    t.string('confirmed_at', 30).nullable();
    t.index(['status']);
  });
  await db.schema.createTable('insurance_records', (t) => {
    t.increments('id');
    t.integer('import_id').unsigned().references('insurance_imports.id').notNullable();
    t.integer('row').notNullable();
    t.string('person_key', 64).notNullable();
    t.string('uscc', 18).notNullable();
    t.integer('year').notNullable();
    /** bit m − 1 set: month m paid */
    t.integer('months_mask').notNullable();
    t.index(['import_id', 'uscc', 'year']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('insurance_records');
  await db.schema.dropTableIfExists('insurance_imports');
}
