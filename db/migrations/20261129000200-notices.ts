/**
 * Disclosure notices (公示, docs/rules.md §7, J3.2) and objections to their entries.
 * A published notice is immutable: the store only updates drafts, and a trigger refuses any UPDATE of a
 * published row (and any DELETE of one) in the database itself, so no route, script or bug can edit one.
 */
import type { Knex } from 'knex';
import { isPostgres } from '../connection';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('notices', (t) => {
    t.increments('id');
    t.string('county', 20).notNullable();
    t.integer('year').notNullable();
    t.string('status', 16).notNullable(); // draft | published
    t.integer('version').nullable(); // given at publication: 1, 2, … per county and year
    t.string('title', 200).notNullable();
    t.string('amount_column', 10).notNullable(); // levy | reward | none
    t.text('body_json').notNullable();
    t.integer('replaces_id').unsigned().references('notices.id').nullable();
    t.text('change_json').nullable(); // what changed against the replaced notice
    t.text('change_note').nullable();
    t.string('doc_no', 100).nullable();
    t.string('publisher', 200).nullable();
    t.string('objection_contact', 200).nullable();
    t.string('period_start', 10).nullable();
    t.string('period_end', 10).nullable();
    t.integer('created_by').unsigned().references('users.id').notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.integer('published_by').unsigned().references('users.id').nullable();
    t.string('published_at', 30).nullable();
    t.unique(['county', 'year', 'version']);
    t.index(['status', 'county', 'year']);
  });
  await db.schema.createTable('objections', (t) => {
    t.increments('id');
    t.integer('notice_id').unsigned().references('notices.id').notNullable().index();
    t.string('entry_uscc', 18).notNullable();
    t.string('entry_name', 200).notNullable();
    t.string('name', 100).notNullable();
    t.string('contact', 100).notNullable();
    t.text('reason').notNullable();
    t.string('status', 16).notNullable(); // open | answered
    t.text('answer').nullable();
    t.integer('answered_by').unsigned().references('users.id').nullable();
    t.string('answered_at', 30).nullable();
    t.string('created_at', 30).notNullable();
  });
  if (isPostgres(db)) {
    await db.raw(`CREATE FUNCTION notices_immutable() RETURNS trigger AS $$
      BEGIN IF OLD.status = 'published' THEN RAISE EXCEPTION 'published notice % is immutable', OLD.id; END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql`);
    await db.raw(
      'CREATE TRIGGER notices_no_update BEFORE UPDATE OR DELETE ON notices FOR EACH ROW EXECUTE FUNCTION notices_immutable()',
    );
  } else {
    await db.raw(`CREATE TRIGGER notices_no_update BEFORE UPDATE ON notices WHEN OLD.status = 'published'
      BEGIN SELECT RAISE(ABORT, 'published notice is immutable'); END`);
    await db.raw(`CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices WHEN OLD.status = 'published'
      BEGIN SELECT RAISE(ABORT, 'published notice is immutable'); END`);
  }
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('objections');
  if (isPostgres(db)) {
    await db.raw('DROP TRIGGER IF EXISTS notices_no_update ON notices');
    await db.raw('DROP FUNCTION IF EXISTS notices_immutable()');
  }
  await db.schema.dropTableIfExists('notices');
}
