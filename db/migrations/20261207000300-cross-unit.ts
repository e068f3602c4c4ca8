/**
 * One person counted by one unit in a month (docs/rules.md §4.2). `counted_persons` keeps, for each stored result,
 * every disabled employee it counts — known by the keyed hash of the ID number, never the number, with the masked
 * name — and what the unit says about them: the months counted, the months insured (null: every month employed),
 * the entry and contract dates. The city-wide search for a person counted by two units in one month reads it.
 * `cross_unit_decisions` keeps each month the officer gave to one unit over another, and the version of the other
 * unit's result recomputed without it.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('counted_persons', (t) => {
    t.increments('id');
    t.string('check_id', 36).references('checks.id').notNullable().index();
    t.integer('employer_id').unsigned().references('employers.id').notNullable();
    t.integer('year').notNullable();
    t.string('person_key', 64).notNullable();
    t.integer('row').notNullable();
    t.string('masked_name', 20).notNullable();
    t.integer('weight').notNullable();
    /** bit m − 1 set: counted in month m */
    t.integer('months_mask').notNullable();
    /** bit m − 1 set: social insurance paid for month m, as the workbook says; null: every month employed */
    t.integer('insured_mask').nullable();
    t.string('hired', 10).notNullable();
    t.string('left', 10).nullable();
    t.string('contract_start', 10).notNullable();
    t.string('contract_end', 10).nullable();
    t.index(['year', 'person_key']);
  });
  await db.schema.createTable('cross_unit_decisions', (t) => {
    t.increments('id');
    t.integer('year').notNullable();
    t.string('person_key', 64).notNullable();
    /** the unit that keeps the months */
    t.integer('keeper_employer_id').unsigned().references('employers.id').notNullable();
    /** the unit whose result is computed without them */
    t.integer('other_employer_id').unsigned().references('employers.id').notNullable();
    t.text('months_json').notNullable();
    /** the person as each unit's roster has them: the row and the masked name (no ID number, no full name) */
    t.integer('keeper_row').notNullable();
    t.string('keeper_masked_name', 20).notNullable();
    t.integer('other_row').notNullable();
    t.string('other_masked_name', 20).notNullable();
    /** the other unit's result recomputed, and the version made; null when its workbook was already purged */
    t.string('check_id', 36).references('checks.id').nullable();
    t.integer('version').nullable();
    t.integer('decided_by').unsigned().references('users.id').notNullable();
    t.string('decided_at', 30).notNullable();
    t.index(['year', 'other_employer_id']);
    t.index(['year', 'keeper_employer_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('cross_unit_decisions');
  await db.schema.dropTableIfExists('counted_persons');
}
