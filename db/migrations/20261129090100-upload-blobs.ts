/**
 * Raw uploads kept in the database (the storage back end for several instances on PostgreSQL): each file
 * in chunks, so neither a write nor a read holds a whole large workbook in one value.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('upload_blobs', (t) => {
    t.string('stored_name', 80).notNullable();
    t.integer('seq').notNullable();
    t.binary('data').notNullable();
    t.primary(['stored_name', 'seq']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('upload_blobs');
}
