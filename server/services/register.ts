/**
 * The register of units (用人单位名录) and employer activation (开通).
 *
 * The register lists, per data year, the units liable to file: the administrator (the whole city) or an
 * officer (their county) imports it from a file — kept in the database from the moment it is sent, checked
 * row by row, previewed as what will be added, changed and left alone, and written only when confirmed —
 * or adds and edits units one by one. Once a county has a register for a year it is the list of units
 * expected to file (the missing list, the notice checklist, the dashboard); before that, the employers
 * that have accounts are (REGISTER_RULE, below).
 *
 * Activation: the bureau issues each registered unit a one-time code (a letter, or a CSV for mail merge);
 * at /activate the unit enters its credit code and the code, chooses a username and a password, and is
 * logged in. The unit's first user (负责人) invites further users (填报人) with a code of the same kind and
 * removes them (their sessions end). Codes are single use, expire, are kept as SHA-256 hashes, and are
 * rate limited per address and per unit. Every event goes into the audit chain; no code ever does.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import { countEmployers, findEmployerById, findEmployerByUscc, upsertEmployer } from '../../db/stores/employers';
import { clearRateLimit, hitRateLimit } from '../../db/stores/rate-limits';
import {
  activatedUsccs,
  confirmImport,
  countRegister,
  findImport,
  findLatestUnit,
  findUnit,
  findUnitCode,
  findUnitInYear,
  insertImport,
  insertUnit,
  listEmployerUsers,
  listRegister,
  pageRegister,
  putUnitCode,
  takeUnitCode,
  updateUnit,
  type RegisterImport,
  type RegisterUnit,
  type UnitFields,
} from '../../db/stores/register';
import {
  createUser,
  findUserById,
  findUserByUsername,
  listBureauUsers,
  setDisabled,
  type User,
} from '../../db/stores/users';
import {
  parseRegisterRows,
  readRegisterFile,
  REGISTER_COLUMNS,
  type RegisterProblem,
  type RegisterRow,
} from '../ingest/register-sheet';
import { said } from '../i18n/t';
import { COUNTIES } from '../rules/types';
import { passwordProblem } from './admin-accounts';
import { newCode, normaliseCode, USERNAME_RE, type AccountError, type Outcome } from './accounts';
import { DomainError, notFound } from './errors';
import { hashPassword } from './passwords';

type Actor = { id: number; username: string };

/**
 * Who may file when a register exists. 'county-year' (default): once a county's register for a data year
 * lists any unit, a unit of that county not in it cannot submit for that year (it asks the county bureau
 * to add it); a county or year without a register refuses no one. 'off': the register never refuses.
 */
export type RegisterRule = 'county-year' | 'off';

/** How long codes may be used: a letter goes by post, an invitation is passed on within the unit. */
export const ACTIVATION_DAYS = 30;
export const INVITE_DAYS = 7;
/** Failed activations per window: per address, and per unit from any address. */
export const ACTIVATION_LIMITS = { windowMs: 15 * 60_000, perAddress: 10, perUnit: 5 };

const codeHash = (s: string) => createHash('sha256').update(normaliseCode(s)).digest('hex');
const cleanUscc = (s: string) => s.replace(/\s/g, '').toUpperCase().slice(0, 18);
const FIELD_OF: Record<string, keyof UnitFields> = {
  uscc: 'uscc',
  name: 'name',
  county: 'county',
  unitType: 'unit_type',
  contactName: 'contact_name',
  contactPhone: 'contact_phone',
};

export interface ImportPreview {
  id: string;
  year: number;
  county: string | null;
  fileName: string;
  status: RegisterImport['status'];
  userId: number;
  createdAt: string;
  confirmedAt: string | null;
  problems: RegisterProblem[];
  added: RegisterRow[];
  changed: { row: RegisterRow; fields: (keyof UnitFields)[] }[];
  unchanged: number;
  /** units of the register (in the import's reach) that the file does not list: left as they are */
  notInFile: number;
}

export interface UnitLetter {
  uscc: string;
  name: string;
  county: string;
  code: string;
  expiresAt: string;
}

export type RegisterError = AccountError | 'unit';

export class RegisterService {
  constructor(
    private readonly db: Knex,
    private readonly opts: { dataDir: string; rule: RegisterRule },
  ) {}

  list = (year: number, county?: string) => listRegister(this.db, year, county);
  page = (f: { year: number; county?: string; q?: string }, page: number, perPage: number) =>
    pageRegister(this.db, f, page, perPage);
  unit = (id: number) => findUnit(this.db, id);
  count = (year: number, county?: string) => countRegister(this.db, year, county);
  activated = (usccs: string[]) => activatedUsccs(this.db, usccs);
  /** How many units of the register have an account. */
  activatedCount = async (year: number, county?: string) =>
    (
      await activatedUsccs(
        this.db,
        (await listRegister(this.db, year, county)).map((u) => u.uscc),
      )
    ).size;

  /** The units expected to file for a county (or the city) and year: the register where the county has one, else the employers with accounts. */
  async expected(county: string | undefined, year: number): Promise<number> {
    const counties = county ? [county] : [...COUNTIES];
    let n = 0;
    for (const c of counties) {
      const registered = await countRegister(this.db, year, c);
      n += registered > 0 ? registered : await countEmployers(this.db, c);
    }
    return n;
  }

  /** The units that have not filed for a county (or the city) and year, each county by its register where it has one. */
  async notFiled(
    county: string | undefined,
    year: number,
    filedUscc: Set<string>,
    employersOf: (county: string) => Promise<{ uscc: string; name: string; county: string }[]>,
  ): Promise<
    { uscc: string; name: string; county: string; contact: string | null; activated: boolean; registered: boolean }[]
  > {
    const counties = county ? [county] : [...COUNTIES];
    const out = [];
    for (const c of counties) {
      const units = await listRegister(this.db, year, c);
      if (units.length) {
        const missing = units.filter((u) => !filedUscc.has(u.uscc));
        const active = await activatedUsccs(
          this.db,
          missing.map((u) => u.uscc),
        );
        out.push(
          ...missing.map((u) => ({
            uscc: u.uscc,
            name: u.name,
            county: u.county,
            contact: [u.contact_name, u.contact_phone].filter(Boolean).join(' ') || null,
            activated: active.has(u.uscc),
            registered: true,
          })),
        );
      } else
        out.push(
          ...(await employersOf(c))
            .filter((e) => !filedUscc.has(e.uscc))
            .map((e) => ({
              uscc: e.uscc,
              name: e.name,
              county: e.county,
              contact: null,
              activated: true,
              registered: false,
            })),
        );
    }
    return out;
  }

  /** REGISTER_RULE: what the unit is told when its county's register for the year does not list it, or null. */
  async refusal(employerId: number, year: number): Promise<{ zh: string; en: string } | null> {
    if (this.opts.rule === 'off') return null;
    const e = await findEmployerById(this.db, employerId);
    if (!e || (await countRegister(this.db, year, e.county)) === 0) return null;
    if (await findUnitInYear(this.db, year, e.uscc)) return null;
    return said('register.error.notRegistered', { year, uscc: e.uscc });
  }

  /** REGISTER_RULE: refuses a submission for a year whose register of the unit's county does not list it. */
  async assertMayFile(employerId: number, year: number): Promise<void> {
    const text = await this.refusal(employerId, year);
    if (text)
      throw new DomainError('invalid', 'the unit is not in the register of units for the year', text, 'not-registered');
  }

  // ---- import ----

  /** The command line imports on behalf of the first administrator (the import needs an owner), named as itself in the audit. */
  async commandLineActor(): Promise<Actor | undefined> {
    const admin = (await listBureauUsers(this.db)).find((u) => u.role === 'admin' && !u.disabled_at);
    return admin && { id: admin.id, username: 'quota register import' };
  }

  /** Stored, checked, previewed and (when it has no problem) confirmed at once: the command line's import. */
  async importFile(
    actor: Actor,
    f: { year: number; county: string | null; path: string; fileName: string; content: Buffer },
    dryRun: boolean,
  ): Promise<ImportPreview> {
    const id = await this.receive(actor, f);
    const p = await this.preview((await findImport(this.db, id))!);
    return p.problems.length || dryRun ? p : this.confirm(actor, id);
  }

  /** Keeps the file in the database first, then checks it: the import to preview (and confirm). */
  async receive(
    user: Actor,
    f: { year: number; county: string | null; path: string; fileName: string; content: Buffer },
  ): Promise<string> {
    const id = randomUUID();
    const sha256 = createHash('sha256').update(f.content).digest('hex');
    const parsed = await this.check(f.path, f.fileName, f.county);
    await this.db.transaction(async (trx) => {
      await insertImport(trx, {
        id,
        user_id: user.id,
        year: f.year,
        county: f.county,
        file_name: f.fileName.slice(0, 255),
        content: f.content,
        sha256,
        status: parsed.problems.length ? 'refused' : 'pending',
        summary_json: null,
      });
      await appendAudit(trx, {
        actor: user.username,
        action: 'register.file-received',
        target: `register:${f.year}`,
        detail: { county: f.county, sha256, rows: parsed.rows.length, problems: parsed.problems.length },
      });
    });
    return id;
  }

  private async check(path: string, fileName: string, county: string | null) {
    const parsed = await readRegisterFile(path, fileName);
    if (county)
      for (const r of parsed.rows.filter((x) => x.county !== county))
        parsed.problems.push({
          row: r.row,
          column: parsed.columns.county ?? '',
          field: 'county',
          code: 'register/other-county',
          params: { county: r.county, own: county },
        });
    parsed.rows = county ? parsed.rows.filter((x) => x.county === county) : parsed.rows;
    parsed.problems.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
    return parsed;
  }

  private async parseStored(imp: RegisterImport) {
    const dir = join(this.opts.dataDir, 'tmp');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `register-${randomUUID()}${/\.csv$/i.test(imp.file_name) ? '.csv' : '.xlsx'}`);
    writeFileSync(path, imp.content);
    try {
      return await this.check(path, imp.file_name, imp.county);
    } finally {
      await rm(path, { force: true });
    }
  }

  /** An import as stored (its county is what authorisation scopes it by: null, the whole city). */
  importRecord = (id: string) => findImport(this.db, id);

  /** What confirming the import would do, against the register as it is now. */
  async preview(imp: RegisterImport): Promise<ImportPreview> {
    const parsed = await this.parseStored(imp);
    const units = new Map(
      (await listRegister(this.db, imp.year, imp.county ?? undefined)).map((u) => [u.uscc, u] as const),
    );
    const added: RegisterRow[] = [];
    const changed: ImportPreview['changed'] = [];
    let unchanged = 0;
    for (const r of parsed.rows) {
      const u = units.get(r.uscc) ?? (await findUnitInYear(this.db, imp.year, r.uscc));
      // an officer's file cannot move a unit the register has under another county into theirs
      if (u && imp.county && u.county !== imp.county) {
        parsed.problems.push({
          row: r.row,
          column: parsed.columns.county ?? '',
          field: 'county',
          code: 'register/registered-elsewhere',
          params: { county: u.county },
        });
        continue;
      }
      if (!u) added.push(r);
      else {
        const fields = differences(u, r);
        if (fields.length) changed.push({ row: r, fields });
        else unchanged++;
      }
    }
    parsed.problems.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
    const inFile = new Set(parsed.rows.map((r) => r.uscc));
    return {
      id: imp.id,
      year: imp.year,
      county: imp.county,
      fileName: imp.file_name,
      status: imp.status,
      userId: imp.user_id,
      createdAt: imp.created_at,
      confirmedAt: imp.confirmed_at,
      problems: parsed.problems,
      added,
      changed,
      unchanged,
      notInFile: [...units.keys()].filter((k) => !inFile.has(k)).length,
    };
  }

  /** Writes what the preview showed, in one transaction; a file with problems, or confirmed already, is refused. */
  async confirm(user: Actor, id: string): Promise<ImportPreview> {
    const imp = await findImport(this.db, id);
    if (!imp) throw notFound();
    if (imp.status !== 'pending')
      throw new DomainError('conflict', 'not pending', said(`register.error.${imp.status}`), imp.status);
    const p = await this.preview(imp);
    if (p.problems.length) throw new DomainError('conflict', 'problems', said('register.error.refused'), 'refused');
    await this.db.transaction(async (trx) => {
      const summary = { added: p.added.length, changed: p.changed.length, unchanged: p.unchanged };
      if (!(await confirmImport(trx, id, JSON.stringify(summary))))
        throw new DomainError('conflict', 'not pending', said('register.error.confirmed'), 'confirmed');
      for (const r of p.added) await insertUnit(trx, imp.year, fieldsOf(r));
      for (const c of p.changed) {
        const u = (await findUnitInYear(trx, imp.year, c.row.uscc))!;
        await updateUnit(trx, u.id, fieldsOf(c.row));
      }
      await appendAudit(trx, {
        actor: user.username,
        action: 'register.imported',
        target: `register:${imp.year}`,
        detail: { county: imp.county, sha256: imp.sha256, ...summary },
      });
    });
    return { ...p, status: 'confirmed' };
  }

  // ---- one by one ----

  /** Checks one unit's fields as a file's row is checked: the problems, or the fields. */
  checkUnit(form: Record<string, unknown>): { problems: RegisterProblem[]; fields?: UnitFields } {
    const cells = REGISTER_COLUMNS.map((c) => {
      const v = form[c.key];
      return typeof v === 'string' && v.trim() ? v.trim().slice(0, 300) : null;
    });
    const parsed = parseRegisterRows([
      { cells: [null, ...REGISTER_COLUMNS.map((c) => c.zh)], row: 1 },
      { cells: [null, ...cells], row: 2 },
    ]);
    const problems = parsed.problems.filter((p) => p.code !== 'register/empty');
    return parsed.rows[0] && !problems.length ? { problems, fields: fieldsOf(parsed.rows[0]) } : { problems };
  }

  async addUnit(user: Actor, year: number, fields: UnitFields): Promise<number | 'exists'> {
    if (await findUnitInYear(this.db, year, fields.uscc)) return 'exists';
    return this.db.transaction(async (trx) => {
      const id = await insertUnit(trx, year, fields);
      await appendAudit(trx, {
        actor: user.username,
        action: 'register.unit-added',
        target: `unit:${fields.uscc}`,
        detail: { year, county: fields.county },
      });
      return id;
    });
  }

  async editUnit(user: Actor, unit: RegisterUnit, fields: UnitFields): Promise<'ok' | 'exists'> {
    if (fields.uscc !== unit.uscc && (await findUnitInYear(this.db, unit.year, fields.uscc))) return 'exists';
    const changed = differences(unit, rowOf(fields));
    if (!changed.length) return 'ok';
    await this.db.transaction(async (trx) => {
      await updateUnit(trx, unit.id, fields);
      await appendAudit(trx, {
        actor: user.username,
        action: 'register.unit-updated',
        target: `unit:${fields.uscc}`,
        detail: { year: unit.year, fields: changed, ...(fields.uscc !== unit.uscc ? { from: unit.uscc } : {}) },
      });
    });
    return 'ok';
  }

  // ---- activation codes ----

  /** New activation codes for these units (each unit's earlier unused code stops working); the codes are returned once. */
  async issueActivation(user: Actor, units: RegisterUnit[]): Promise<UnitLetter[]> {
    const expiresAt = new Date(Date.now() + ACTIVATION_DAYS * 86_400_000).toISOString();
    const out: UnitLetter[] = [];
    for (const u of units) {
      const code = newCode();
      await this.db.transaction(async (trx) => {
        await putUnitCode(trx, {
          uscc: u.uscc,
          purpose: 'activate',
          code_hash: codeHash(code),
          expires_at: expiresAt,
          issued_by: user.username,
        });
        await appendAudit(trx, {
          actor: user.username,
          action: 'register.code-issued',
          target: `unit:${u.uscc}`,
          detail: { year: u.year, expiresAt },
        });
      });
      out.push({ uscc: u.uscc, name: u.name, county: u.county, code, expiresAt });
    }
    return out;
  }

  /** The credit code and a code from a letter or an invitation: a new user of the unit, logged in by the caller. */
  async activate(
    f: { uscc: string; code: string; username: string; displayName: string; password: string; confirm: string },
    ip: string,
  ): Promise<Outcome<{ user: User }> | { ok: false; error: RegisterError; retryAfterSeconds?: number }> {
    const uscc = cleanUscc(f.uscc);
    const { windowMs, perAddress, perUnit } = ACTIVATION_LIMITS;
    const byAddress = await hitRateLimit(this.db, `activate:${ip}`, windowMs, perAddress);
    const byUnit = await hitRateLimit(this.db, `activate-unit:${uscc}`, windowMs, perUnit);
    const limit = byAddress.allowed ? byUnit : byAddress;
    if (!limit.allowed) return { ok: false, error: 'limited', retryAfterSeconds: limit.retryAfterSeconds };
    const now = new Date().toISOString();
    const found = await findUnitCode(this.db, uscc, codeHash(f.code), now);
    if (!found) return { ok: false, error: 'code' };
    const username = f.username.trim();
    if (!USERNAME_RE.test(username)) return { ok: false, error: 'username' };
    const displayName = f.displayName.trim().slice(0, 100);
    if (!displayName) return { ok: false, error: 'name' };
    if (await findUserByUsername(this.db, username)) return { ok: false, error: 'exists' };
    if (f.password !== f.confirm) return { ok: false, error: 'mismatch' };
    const weak = passwordProblem(f.password, username);
    if (weak) return { ok: false, error: weak };
    const unit = found.purpose === 'activate' ? await findLatestUnit(this.db, uscc) : undefined;
    const existing = await findEmployerByUscc(this.db, uscc);
    if (found.purpose === 'activate' ? !unit : !existing) return { ok: false, error: 'unit' };
    const hash = await hashPassword(f.password);
    const id = await this.db.transaction(async (trx) => {
      if (!(await takeUnitCode(trx, found.id, now))) return null;
      const employerId = unit
        ? await upsertEmployer(trx, { uscc, name: unit.name, county: unit.county, unit_type: unit.unit_type })
        : existing!.id;
      const userId = await createUser(trx, {
        username,
        password_hash: hash,
        role: 'employer',
        employer_id: employerId,
        county: null,
        display_name: displayName,
      });
      await appendAudit(trx, {
        actor: username,
        action: found.purpose === 'activate' ? 'employer.activated' : 'employer.invitation-used',
        target: `unit:${uscc}`,
        detail: { user: userId },
      });
      return userId;
    });
    if (id === null) return { ok: false, error: 'code' };
    await clearRateLimit(this.db, `activate:${ip}`);
    await clearRateLimit(this.db, `activate-unit:${uscc}`);
    return { ok: true, user: (await findUserById(this.db, id))! };
  }

  // ---- the unit's users ----

  users = (employerId: number) => listEmployerUsers(this.db, employerId);

  /** Is this user the unit's first (负责人), who invites and removes the others? */
  async isFirstUser(employerId: number, userId: number): Promise<boolean> {
    return (await listEmployerUsers(this.db, employerId))[0]?.id === userId;
  }

  private async mustBeFirst(actor: Actor, employerId: number) {
    if (!(await this.isFirstUser(employerId, actor.id)))
      throw new DomainError('forbidden', 'only the first user', said('register.error.notFirstUser'));
  }

  async invite(actor: Actor, employerId: number): Promise<{ code: string; expiresAt: string; uscc: string }> {
    await this.mustBeFirst(actor, employerId);
    const e = (await findEmployerById(this.db, employerId))!;
    const code = newCode();
    const expiresAt = new Date(Date.now() + INVITE_DAYS * 86_400_000).toISOString();
    await this.db.transaction(async (trx) => {
      await putUnitCode(trx, {
        uscc: e.uscc,
        purpose: 'invite',
        code_hash: codeHash(code),
        expires_at: expiresAt,
        issued_by: actor.username,
      });
      await appendAudit(trx, {
        actor: actor.username,
        action: 'employer.user-invited',
        target: `unit:${e.uscc}`,
        detail: { expiresAt },
      });
    });
    return { code, expiresAt, uscc: e.uscc };
  }

  /** Removes another user of the unit: the account is disabled and its open sessions end. */
  async removeUser(actor: Actor, employerId: number, userId: number): Promise<void> {
    await this.mustBeFirst(actor, employerId);
    const u = await findUserById(this.db, userId);
    if (!u || u.employer_id !== employerId || u.role !== 'employer' || u.disabled_at || u.id === actor.id)
      throw notFound();
    const e = (await findEmployerById(this.db, employerId))!;
    await this.db.transaction(async (trx) => {
      await setDisabled(trx, userId, true);
      await appendAudit(trx, {
        actor: actor.username,
        action: 'employer.user-removed',
        target: `unit:${e.uscc}`,
        detail: { user: userId, username: u.username },
      });
    });
  }
}

function fieldsOf(r: RegisterRow): UnitFields {
  return {
    uscc: r.uscc,
    name: r.name,
    county: r.county,
    unit_type: r.unitType,
    contact_name: r.contactName,
    contact_phone: r.contactPhone,
  };
}

function rowOf(f: UnitFields): RegisterRow {
  return {
    row: 0,
    uscc: f.uscc,
    name: f.name,
    county: f.county,
    unitType: f.unit_type,
    contactName: f.contact_name,
    contactPhone: f.contact_phone,
  };
}

function differences(u: RegisterUnit, r: RegisterRow): (keyof UnitFields)[] {
  const f = fieldsOf(r);
  return (Object.values(FIELD_OF) as (keyof UnitFields)[]).filter((k) => (u[k] ?? null) !== (f[k] ?? null));
}
