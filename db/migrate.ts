/**
 * Migrations as a static, ordered list (no directory scan), so jest, tsx and a compiled build run the
 * same migrations. They never import application code.
 */
import type { Knex } from 'knex';
import * as initial from './migrations/20261129000100-initial';
import * as notices from './migrations/20261129000200-notices';
import * as attempts from './migrations/20261129000300-uploads-attempts-retention';
import * as uploadForm from './migrations/20261129070000-upload-employer-form';
import * as countySettings from './migrations/20261129080000-county-settings';
import * as uploadLeases from './migrations/20261129090000-upload-leases';
import * as uploadBlobs from './migrations/20261129090100-upload-blobs';
import * as procedure from './migrations/20261129100000-procedure';
import * as checkSubstance from './migrations/20261129110000-check-substance';
import * as recomputeRuns from './migrations/20261129120000-recompute-runs';
import * as supersededVersions from './migrations/20261206000100-superseded-versions';
import * as accounts from './migrations/20261206000400-accounts';
import * as register from './migrations/20261207000100-register';
import * as crossUnit from './migrations/20261207000300-cross-unit';
import * as certRegister from './migrations/20261207000310-certificate-register';
import * as insuranceRecords from './migrations/20261207000320-insurance-records';
import * as submissionCheckIndex from './migrations/20261207000330-submission-check-index';
import * as recomputeRunReason from './migrations/20261207000500-recompute-run-reason';

const MIGRATIONS: Record<string, { up: (db: Knex) => Promise<void>; down: (db: Knex) => Promise<void> }> = {
  '20261129000100-initial': initial,
  '20261129000200-notices': notices,
  '20261129000300-uploads-attempts-retention': attempts,
  '20261129070000-upload-employer-form': uploadForm,
  '20261129080000-county-settings': countySettings,
  '20261129090000-upload-leases': uploadLeases,
  '20261129090100-upload-blobs': uploadBlobs,
  '20261129100000-procedure': procedure,
  '20261129110000-check-substance': checkSubstance,
  '20261129120000-recompute-runs': recomputeRuns,
  '20261206000100-superseded-versions': supersededVersions,
  '20261206000400-accounts': accounts,
  '20261207000100-register': register,
  '20261207000300-cross-unit': crossUnit,
  '20261207000310-certificate-register': certRegister,
  '20261207000320-insurance-records': insuranceRecords,
  '20261207000330-submission-check-index': submissionCheckIndex,
  '20261207000500-recompute-run-reason': recomputeRunReason,
};

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS[name],
};

/** Runs the migrations not yet run; returns their names. */
export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, names] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
  return names;
}

/** Undoes every migration run; returns their names. */
export async function rollbackAll(db: Knex): Promise<string[]> {
  const [, names] = (await db.migrate.rollback({ migrationSource: source }, true)) as [number, string[]];
  return names;
}

/** Runs the next migration not yet run; returns its name (none when up to date). */
export async function migrateUp(db: Knex): Promise<string[]> {
  const [, names] = (await db.migrate.up({ migrationSource: source })) as [number, string[]];
  return names;
}

/** Undoes the last migration run; returns its name. */
export async function migrateDown(db: Knex): Promise<string[]> {
  const [, names] = (await db.migrate.down({ migrationSource: source })) as [number, string[]];
  return names;
}

/** Every migration's name, oldest first. */
export function migrationNames(): string[] {
  return Object.keys(MIGRATIONS).sort();
}
