/**
 * Why a recompute run was started (docs/rules.md §6.1, §4.3, §4.4): the year's social average wage entered, or a
 * certificate register or insurance-records import confirmed; and, for the records, the units they cover. A run
 * started by an import is one of its own (it holds no year's slot), started once when the import is confirmed.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('recompute_runs', (t) => {
    t.string('reason', 32).notNullable().defaultTo('social-average-wage');
    // the credit codes of the units the run covers (JSON), null for every unit of the year
    t.text('scope_json').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('recompute_runs', (t) => {
    t.dropColumn('scope_json');
    t.dropColumn('reason');
  });
}
