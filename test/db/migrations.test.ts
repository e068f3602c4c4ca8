/**
 * Migrations go up, down and up again, one step at a time: each `down` leaves exactly the schema that was
 * there before its `up`, and the schema after the last step has every table and column the stores use.
 * Runs on SQLite, and on PostgreSQL when DATABASE_URL names it (`npm test` runs this suite on both in CI).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, isPostgres, type Db } from '../../db/connection';
import { migrateDown, migrateLatest, migrateUp, migrationNames, rollbackAll } from '../../db/migrate';

type Schema = Record<string, string[]>;

/** Tables (knex's own bookkeeping left out) and their columns, sorted. */
async function schemaOf(db: Db): Promise<Schema> {
  const rows: { table: string; column: string }[] = isPostgres(db)
    ? (
        await db.raw(
          `select table_name as "table", column_name as "column" from information_schema.columns where table_schema = current_schema()`,
        )
      ).rows
    : await db.raw(
        `select m.name as "table", p.name as "column" from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' and m.name not like 'sqlite_%'`,
      );
  const out: Schema = {};
  for (const r of rows) if (!r.table.startsWith('knex_migrations')) (out[r.table] ??= []).push(r.column);
  for (const t of Object.keys(out)) out[t].sort();
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** What the stores rely on (db/stores/*.ts). A migration may add to it; none may take from it silently. */
const EXPECTED: Schema = {
  audit_log: ['action', 'actor', 'at', 'detail_json', 'hash', 'id', 'prev_hash', 'target'],
  counted_persons: [
    'check_id',
    'contract_end',
    'contract_start',
    'employer_id',
    'hired',
    'id',
    'insured_mask',
    'left',
    'masked_name',
    'months_mask',
    'person_key',
    'row',
    'weight',
    'year',
  ],
  county_settings: [
    'address',
    'contact_person',
    'county',
    'issuing_body',
    'office_hours',
    'telephone',
    'updated_at',
    'updated_by',
  ],
  cert_register_entries: [
    'cancelled_on',
    'category',
    'grade',
    'id',
    'import_id',
    'issued',
    'person_key',
    'row',
    'valid_to',
  ],
  cert_register_imports: [
    'confirmed_at',
    'created_at',
    'created_by',
    'file_name',
    'id',
    'problems_json',
    'rows',
    'status',
  ],
  checks: [
    'created_at',
    'employee_keys_json',
    'employer_id',
    'has_problems',
    'id',
    'result_json',
    'substance',
    'upload_id',
    'year',
  ],
  cross_unit_decisions: [
    'check_id',
    'decided_at',
    'decided_by',
    'id',
    'keeper_employer_id',
    'keeper_masked_name',
    'keeper_row',
    'months_json',
    'other_employer_id',
    'other_masked_name',
    'other_row',
    'person_key',
    'version',
    'year',
  ],
  employers: ['county', 'created_at', 'id', 'name', 'unit_type', 'uscc'],
  insurance_imports: ['confirmed_at', 'created_at', 'created_by', 'file_name', 'id', 'problems_json', 'rows', 'status'],
  insurance_records: ['id', 'import_id', 'months_mask', 'person_key', 'row', 'uscc', 'year'],
  notices: [
    'amount_column',
    'body_json',
    'change_json',
    'change_note',
    'county',
    'created_at',
    'created_by',
    'doc_no',
    'id',
    'objection_contact',
    'office_hours',
    'contact_person',
    'telephone',
    'address',
    'period_end',
    'period_start',
    'published_at',
    'published_by',
    'publisher',
    'replaces_id',
    'status',
    'title',
    'updated_at',
    'version',
    'year',
  ],
  objections: [
    'accepted_at',
    'accepted_by',
    'answer',
    'answered_at',
    'answered_by',
    'contact',
    'created_at',
    'entry_name',
    'entry_uscc',
    'findings',
    'id',
    'name',
    'notice_id',
    'outcome',
    'reason',
    'status',
    'verified_at',
    'verified_by',
  ],
  parameter_values: ['created_at', 'created_by', 'from', 'id', 'key', 'param_id', 'source', 'to', 'value_json'],
  rate_limits: ['count', 'key', 'window_start'],
  reward_claims: [
    'amount_fen',
    'county',
    'created_at',
    'decided_at',
    'decided_by',
    'employer_id',
    'id',
    'paid_on',
    'refusal_reason',
    'rewards_json',
    'status',
    'submission_id',
    'superseded_by_version',
    'year',
  ],
  sessions: ['expires', 'sess', 'sid'],
  settings: ['key', 'updated_at', 'updated_by', 'value_json'],
  submissions: [
    'avg_staff',
    'avg_weighted',
    'check_id',
    'concentrated_months',
    'employer_id',
    'id',
    'levy_payable_fen',
    'quota_status',
    'required',
    'return_reason',
    'reviewed_at',
    'reviewed_by',
    'reward_total_fen',
    'status',
    'submitted_at',
    'superseded_by_version',
    'submitted_by',
    'vat_ceiling_fen',
    'version',
    'year',
  ],
  upload_blobs: ['data', 'seq', 'stored_name'],
  uploads: [
    'attempts',
    'claimed_by',
    'created_at',
    'employer_form_json',
    'employer_id',
    'error',
    'file_name',
    'id',
    'lease_until',
    'purged_at',
    'rows_read',
    'sha256',
    'size',
    'status',
    'stored_name',
    'updated_at',
    'user_id',
  ],
  users: [
    'county',
    'created_at',
    'disabled_at',
    'display_name',
    'employer_id',
    'id',
    'password_changed_at',
    'password_hash',
    'role',
    'session_generation',
    'totp_enrolled_at',
    'totp_last_step',
    'totp_secret',
    'username',
  ],
  recovery_codes: ['code_hash', 'id', 'used_at', 'user_id'],
  reset_codes: ['code_hash', 'created_at', 'expires_at', 'id', 'purpose', 'used_at', 'user_id'],
  sso_subjects: ['created_at', 'id', 'subject', 'user_id'],
  register_units: [
    'contact_name',
    'contact_phone',
    'county',
    'created_at',
    'id',
    'name',
    'unit_type',
    'updated_at',
    'uscc',
    'year',
  ],
  register_imports: [
    'confirmed_at',
    'content',
    'county',
    'created_at',
    'file_name',
    'id',
    'sha256',
    'status',
    'summary_json',
    'user_id',
    'year',
  ],
  unit_codes: ['code_hash', 'created_at', 'expires_at', 'id', 'issued_by', 'purpose', 'used_at', 'uscc'],
};

let db: Db;
beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL || null;
  db = connect({ databaseUrl, dataDir: mkdtempSync(join(tmpdir(), 'qd-migrate-')) });
  await rollbackAll(db);
});
afterAll(async () => {
  // leave PostgreSQL migrated, as the other suites expect to find it
  await migrateLatest(db);
  await db.destroy();
});

test(`up → down → up, one migration at a time (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, async () => {
  const names = migrationNames();
  expect(names.length).toBeGreaterThan(0);
  expect(await schemaOf(db)).toEqual({});

  // up, step by step, remembering the schema after each step
  const after: Schema[] = [];
  for (const name of names) {
    expect(await migrateUp(db)).toEqual([name]);
    after.push(await schemaOf(db));
  }
  const latest = after.at(-1)!;
  for (const [table, columns] of Object.entries(EXPECTED))
    expect({ table, columns: latest[table] ? columns.filter((c) => latest[table].includes(c)) : [] }).toEqual({
      table,
      columns,
    });

  // down, step by step: each leaves the schema of the step before
  for (let i = names.length - 1; i >= 0; i--) {
    expect(await migrateDown(db)).toEqual([names[i]]);
    expect(await schemaOf(db)).toEqual(i > 0 ? after[i - 1] : {});
  }

  // and up again to the same schema
  expect(await migrateLatest(db)).toEqual(names);
  expect(await schemaOf(db)).toEqual(latest);
  expect(await migrateLatest(db)).toEqual([]);
});
