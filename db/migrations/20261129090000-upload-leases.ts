/**
 * Upload leases: an upload is processed by one instance at a time. `claimed_by` names the processor that
 * holds it, `lease_until` (milliseconds since the epoch) when its claim lapses unless renewed; recovery on
 * any instance takes over only an upload whose lease has lapsed.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('uploads', (t) => {
    t.string('claimed_by', 80).nullable();
    t.bigInteger('lease_until').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('uploads', (t) => {
    t.dropColumn('lease_until');
    t.dropColumn('claimed_by');
  });
}
