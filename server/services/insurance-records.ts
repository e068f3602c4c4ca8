/**
 * The insurer's social-insurance payment records (docs/rules.md §4.4): imported by the administrator, checked cell
 * by cell, previewed, confirmed; kept as the keyed hash of the ID number with the unit's credit code, the year and
 * the months paid. A check of a unit the records cover takes that unit's records (`forUnit`).
 */
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import {
  activateInsuranceImport,
  activeInsuranceImport,
  discardInsuranceImport,
  findInsuranceImport,
  insertInsuranceImport,
  insuranceCoverOf,
  insuranceImportUnits,
  insuranceRecordsOfUnit,
  recentInsuranceImports,
} from '../../db/stores/insurance-records';
import { readInsuranceFile, type InsuranceProblem } from '../ingest/insurance-records-sheet';
import { employeeKeyOf, maskOf } from './employee-keys';

type Actor = { id: number; username: string };

/** A unit's records as a check takes them: plain data, for a worker thread. */
export interface InsuranceInput {
  secret: string;
  /** [key, year, months paid as bits] */
  paid: [string, number, number][];
}

export class InsuranceRecordsService {
  constructor(
    private readonly db: Knex,
    private readonly secret: string,
  ) {}

  async receive(user: Actor, path: string, fileName: string): Promise<{ id: number; problems: InsuranceProblem[] }> {
    const file = await readInsuranceFile(path, fileName);
    const id = await this.db.transaction(async (trx) => {
      const id = await insertInsuranceImport(
        trx,
        {
          file_name: fileName.slice(0, 255),
          rows: file.rows.length,
          problems_json: JSON.stringify(file.problems.slice(0, 1000)),
          created_by: user.id,
        },
        file.rows.map((r) => ({
          row: r.row,
          person_key: employeeKeyOf(r.idNumber, this.secret),
          uscc: r.uscc,
          year: r.year,
          months_mask: maskOf(r.months),
        })),
      );
      await appendAudit(trx, {
        actor: user.username,
        action: 'insurance-records.received',
        target: `insurance-import:${id}`,
        detail: { rows: file.rows.length, problems: file.problems.length },
      });
      return id;
    });
    return { id, problems: file.problems };
  }

  find = (id: number) => findInsuranceImport(this.db, id);
  active = () => activeInsuranceImport(this.db);
  recent = () => recentInsuranceImports(this.db);
  units = (id: number) => insuranceImportUnits(this.db, id);

  /**
   * Confirms a preview as the records in force; the units and years whose results it can change — those it covers
   * and those the records it replaces covered — or null when it was not a preview.
   */
  async confirm(user: Actor, id: number): Promise<{ year: number; usccs: string[] }[] | null> {
    return this.db.transaction(async (trx) => {
      const before = await activeInsuranceImport(trx);
      if (!(await activateInsuranceImport(trx, id))) return null;
      await appendAudit(trx, {
        actor: user.username,
        action: 'insurance-records.confirmed',
        target: `insurance-import:${id}`,
        detail: {},
      });
      return insuranceCoverOf(trx, before ? [id, before.id] : [id]);
    });
  }

  async discard(user: Actor, id: number): Promise<boolean> {
    const n = await discardInsuranceImport(this.db, id);
    if (n)
      await appendAudit(this.db, {
        actor: user.username,
        action: 'insurance-records.discarded',
        target: `insurance-import:${id}`,
        detail: {},
      });
    return n === 1;
  }

  /** The records in force for one unit, or null when none are in force or they do not cover the unit. */
  async forUnit(uscc: string): Promise<InsuranceInput | null> {
    const a = await activeInsuranceImport(this.db);
    if (!a) return null;
    const rows = await insuranceRecordsOfUnit(this.db, a.id, uscc);
    if (!rows.length) return null;
    return { secret: this.secret, paid: rows.map((r) => [r.person_key, Number(r.year), Number(r.months_mask)]) };
  }
}
