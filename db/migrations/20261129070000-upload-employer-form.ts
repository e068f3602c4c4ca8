/**
 * A roster uploaded as CSV on the web carries the few employer details a CSV lacks (data
 * year, founding date, optional wage total), entered on the upload form; they are kept with the upload so
 * that processing it again (retry, recovery) reads it the same way.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('uploads', (t) => {
    t.text('employer_form_json').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('uploads', (t) => {
    t.dropColumn('employer_form_json');
  });
}
