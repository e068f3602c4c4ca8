/**
 * The first administrator of a production installation (issue #11.5): created by the operator with
 * `quota admin create USERNAME`, with a password the operator chooses — never a published demo password.
 */
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import { createUser, findUserByUsername } from '../../db/stores/users';
import { DEMO_PASSWORD, hashPassword } from './passwords';

export const MIN_PASSWORD_LENGTH = 12;

export type AdminCreateError = 'username' | 'exists' | 'short' | 'demo';

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): AdminCreateError | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'short';
  if (password.toLowerCase().includes(DEMO_PASSWORD)) return 'demo';
  return null;
}

export async function createAdministrator(
  db: Knex,
  username: string,
  password: string,
  displayName: string,
): Promise<{ ok: true; id: number } | { ok: false; error: AdminCreateError }> {
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(username)) return { ok: false, error: 'username' };
  const weak = passwordProblem(password);
  if (weak) return { ok: false, error: weak };
  if (await findUserByUsername(db, username)) return { ok: false, error: 'exists' };
  const id = await createUser(db, {
    username,
    password_hash: await hashPassword(password),
    role: 'admin',
    employer_id: null,
    county: null,
    display_name: displayName.slice(0, 100) || username,
  });
  await appendAudit(db, {
    actor: 'quota admin create',
    action: 'user.created',
    target: `user:${id}`,
    detail: { role: 'admin', username },
  });
  return { ok: true, id };
}
