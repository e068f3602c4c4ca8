/**
 * The 残联's certificate register (docs/rules.md §4.3): the administrator imports the city's file, checked cell by
 * cell (problems by row and column), previewed, then confirmed; it is kept as the keyed hash of the holder's ID
 * number with the category, grade and dates — no certificate number, no ID number, no name. The confirmed
 * register is what every check then reads (`entries()`), held in memory until another is confirmed.
 */
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import {
  activateCertImport,
  activeCertImport,
  certEntriesOf,
  certEntriesPage,
  certImportCounts,
  discardCertImport,
  findCertImport,
  insertCertImport,
  recentCertImports,
} from '../../db/stores/certificate-register';
import { readCertRegisterFile, type CertRegisterProblem } from '../ingest/certificate-register-sheet';
import type { RegisterEntry } from '../rules/certificate-register';
import { employeeKeyOf } from './employee-keys';

type Actor = { id: number; username: string };

/** The register as a check takes it: plain data, so it crosses into a worker thread. */
export interface RegisterInput {
  secret: string;
  /** the import it came from */
  importId: number;
  entries: [string, RegisterEntry][];
}

export class CertificateRegisterService {
  private cache: { id: number; input: RegisterInput } | null = null;

  constructor(
    private readonly db: Knex,
    private readonly secret: string,
  ) {}

  /** Reads and checks a file; its good rows are kept hashed as a preview. */
  async receive(user: Actor, path: string, fileName: string): Promise<{ id: number; problems: CertRegisterProblem[] }> {
    const file = await readCertRegisterFile(path, fileName);
    const id = await this.db.transaction(async (trx) => {
      const id = await insertCertImport(
        trx,
        {
          file_name: fileName.slice(0, 255),
          rows: file.rows.length,
          problems_json: JSON.stringify(file.problems.slice(0, 1000)),
          created_by: user.id,
        },
        file.rows.map((r) => ({
          row: r.row,
          person_key: employeeKeyOf(r.number.slice(0, 18), this.secret),
          category: r.category,
          grade: r.grade,
          issued: r.issued,
          valid_to: r.validTo,
          cancelled_on: r.cancelledOn,
        })),
      );
      await appendAudit(trx, {
        actor: user.username,
        action: 'cert-register.received',
        target: `cert-import:${id}`,
        detail: { rows: file.rows.length, problems: file.problems.length },
      });
      return id;
    });
    return { id, problems: file.problems };
  }

  find(id: number) {
    return findCertImport(this.db, id);
  }
  active() {
    return activeCertImport(this.db);
  }
  recent() {
    return recentCertImports(this.db);
  }
  preview(id: number, today: string) {
    return Promise.all([certEntriesPage(this.db, id, 50), certImportCounts(this.db, id, today)]).then(
      ([rows, counts]) => ({ rows, counts }),
    );
  }

  async confirm(user: Actor, id: number): Promise<boolean> {
    const done = await this.db.transaction(async (trx) => {
      if (!(await activateCertImport(trx, id))) return false;
      await appendAudit(trx, {
        actor: user.username,
        action: 'cert-register.confirmed',
        target: `cert-import:${id}`,
        detail: {},
      });
      return true;
    });
    if (done) this.cache = null;
    return done;
  }

  async discard(user: Actor, id: number): Promise<boolean> {
    const n = await discardCertImport(this.db, id);
    if (n)
      await appendAudit(this.db, {
        actor: user.username,
        action: 'cert-register.discarded',
        target: `cert-import:${id}`,
        detail: {},
      });
    return n === 1;
  }

  /** The register in force for a check, or null when none has been confirmed. */
  async entries(): Promise<RegisterInput | null> {
    const a = await activeCertImport(this.db);
    if (!a) return null;
    if (this.cache?.id === a.id) return this.cache.input;
    const rows = await certEntriesOf(this.db, a.id);
    const input: RegisterInput = {
      secret: this.secret,
      importId: a.id,
      entries: rows.map((r) => [
        r.person_key,
        {
          category: Number(r.category),
          grade: Number(r.grade),
          issued: r.issued,
          validTo: r.valid_to,
          cancelledOn: r.cancelled_on,
        },
      ]),
    };
    this.cache = { id: a.id, input };
    return input;
  }
}
