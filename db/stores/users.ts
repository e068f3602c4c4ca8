import type { Knex } from 'knex';
import { readerOf } from '../connection';

export type Role = 'employer' | 'officer' | 'admin';

export interface User {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  employer_id: number | null;
  county: string | null;
  display_name: string;
  /** Set while the account is disabled: it cannot log in and its sessions have ended. */
  disabled_at?: string | null;
  /** Raised to end every open session of the user at once (a session remembers the number it started with). */
  session_generation?: number;
  /** The second factor's shared secret (base32) and when its first code was confirmed. */
  totp_secret?: string | null;
  totp_enrolled_at?: string | null;
  totp_last_step?: number | string | null;
  password_changed_at?: string | null;
}

export const findUserByUsername = (db: Knex, username: string): Promise<User | undefined> =>
  readerOf(db)('users').where({ username }).first();
export const findUserById = (db: Knex, id: number): Promise<User | undefined> =>
  readerOf(db)('users').where({ id }).first();

export async function createUser(db: Knex, u: Omit<User, 'id'>): Promise<number> {
  const [row] = await db('users')
    .insert({ ...u, created_at: new Date().toISOString() })
    .returning('id');
  return typeof row === 'object' ? row.id : row;
}

export async function countUsers(db: Knex): Promise<number> {
  return Number((await db('users').count('id as n').first())?.n ?? 0);
}

/** Officers and administrators, for the administrator's account list (a county's, or all). */
export function listBureauUsers(db: Knex, county?: string): Promise<User[]> {
  const q = readerOf(db)('users').whereIn('role', ['officer', 'admin']);
  if (county) q.where({ county });
  return q.orderBy([{ column: 'role' }, { column: 'county' }, { column: 'username' }]);
}

export async function updateUserDetails(
  db: Knex,
  id: number,
  f: { display_name?: string; county?: string | null },
): Promise<void> {
  await db('users').where({ id }).update(f);
}

/** Disabling raises the generation too, so the account's open sessions end on their next request. */
export async function setDisabled(db: Knex, id: number, disabled: boolean): Promise<void> {
  await db('users')
    .where({ id })
    .update(
      disabled
        ? { disabled_at: new Date().toISOString(), session_generation: db.raw('session_generation + 1') }
        : { disabled_at: null },
    );
}

/** A new password hash; every open session of the user ends (a new generation). */
export async function setPasswordHash(db: Knex, id: number, hash: string): Promise<void> {
  await db('users')
    .where({ id })
    .update({
      password_hash: hash,
      password_changed_at: new Date().toISOString(),
      session_generation: db.raw('session_generation + 1'),
    });
}

export async function setTotp(db: Knex, id: number, secret: string | null, enrolledAt: string | null): Promise<void> {
  await db('users').where({ id }).update({ totp_secret: secret, totp_enrolled_at: enrolledAt, totp_last_step: null });
}

/** Records the time step of an accepted code; false when that step (or a later one) was used already. */
export async function useTotpStep(db: Knex, id: number, step: number): Promise<boolean> {
  const n = await db('users')
    .where({ id })
    .where((q) => q.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
    .update({ totp_last_step: step });
  return n > 0;
}

export async function findResetCode(
  db: Knex,
  hash: string,
  now: string,
): Promise<{ user_id: number; purpose: 'reset' | 'first' } | undefined> {
  const r = await db('reset_codes')
    .where({ code_hash: hash })
    .whereNull('used_at')
    .where('expires_at', '>', now)
    .first();
  return r ? { user_id: Number(r.user_id), purpose: r.purpose } : undefined;
}

export async function replaceRecoveryCodes(db: Knex, userId: number, hashes: string[]): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('recovery_codes').where({ user_id: userId }).delete();
    if (hashes.length) await trx('recovery_codes').insert(hashes.map((code_hash) => ({ user_id: userId, code_hash })));
  });
}

/** Marks an unused recovery code used; true when it was one. */
export async function useRecoveryCode(db: Knex, userId: number, hash: string): Promise<boolean> {
  const n = await db('recovery_codes')
    .where({ user_id: userId, code_hash: hash })
    .whereNull('used_at')
    .update({ used_at: new Date().toISOString() });
  return n > 0;
}

export async function countUnusedRecoveryCodes(db: Knex, userId: number): Promise<number> {
  return Number(
    (await db('recovery_codes').where({ user_id: userId }).whereNull('used_at').count('id as n').first())?.n ?? 0,
  );
}

/** A one-time code for setting a password: any earlier unused code of the user stops working. */
export async function putResetCode(
  db: Knex,
  userId: number,
  hash: string,
  purpose: 'reset' | 'first',
  expiresAt: string,
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('reset_codes').where({ user_id: userId }).whereNull('used_at').delete();
    await trx('reset_codes').insert({
      user_id: userId,
      code_hash: hash,
      purpose,
      expires_at: expiresAt,
      created_at: new Date().toISOString(),
    });
  });
}

/** Takes an unused, unexpired code: the user it was for, or undefined. Single use. */
export async function takeResetCode(db: Knex, hash: string, now: string): Promise<number | undefined> {
  const row = await db('reset_codes')
    .where({ code_hash: hash })
    .whereNull('used_at')
    .where('expires_at', '>', now)
    .first();
  if (!row) return undefined;
  const n = await db('reset_codes').where({ id: row.id }).whereNull('used_at').update({ used_at: now });
  return n > 0 ? Number(row.user_id) : undefined;
}

export async function findUserIdBySubject(db: Knex, subject: string): Promise<number | undefined> {
  const r = await readerOf(db)('sso_subjects').where({ subject }).first();
  return r ? Number(r.user_id) : undefined;
}

export async function putSubject(db: Knex, subject: string, userId: number): Promise<void> {
  await db('sso_subjects').where({ subject }).delete();
  await db('sso_subjects').insert({ subject, user_id: userId, created_at: new Date().toISOString() });
}

export async function listSubjectsOf(db: Knex, userId: number): Promise<string[]> {
  return (await readerOf(db)('sso_subjects').where({ user_id: userId }).orderBy('subject')).map((r) => r.subject);
}

export async function deleteSubject(db: Knex, subject: string): Promise<void> {
  await db('sso_subjects').where({ subject }).delete();
}

/** The first enabled user of an employer (single sign-on by credit code logs in as it). */
export function findFirstUserOfEmployer(db: Knex, employerId: number): Promise<User | undefined> {
  return readerOf(db)('users')
    .where({ employer_id: employerId, role: 'employer' })
    .whereNull('disabled_at')
    .orderBy('id')
    .first();
}
