/**
 * The first administrator of a production installation: created by the operator with
 * `quota admin create USERNAME`, with a password the operator chooses — never a published demo password.
 */
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import { createUser, findUserByUsername } from '../../db/stores/users';
import { DEMO_PASSWORD, hashPassword } from './passwords';

export const MIN_PASSWORD_LENGTH = 12;

export type PasswordProblem = 'short' | 'demo' | 'same-as-username' | 'common';
export type AdminCreateError = 'username' | 'exists' | PasswordProblem;

/** The maintained list of common passwords (@zxcvbn-ts/language-common), lower-cased, loaded once. */
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const list = (require('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> }).dictionary[
      'passwords-common'
    ];
    common = new Set(list.map((p) => p.toLowerCase()));
  }
  return common;
}

/**
 * The one password policy of every path (the first administrator, a reset, a change, activation): at least
 * 12 characters, not the user name, not the published demo password, not on the common-password list.
 * Why a password is refused, or null when it is acceptable.
 */
export function passwordProblem(password: string, username?: string): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'short';
  const lower = password.toLowerCase();
  if (lower.includes(DEMO_PASSWORD)) return 'demo';
  const name = username?.trim().toLowerCase() ?? '';
  if (name && (lower === name || (name.length >= 4 && lower.includes(name)))) return 'same-as-username';
  if (commonPasswords().has(lower)) return 'common';
  return null;
}

export async function createAdministrator(
  db: Knex,
  username: string,
  password: string,
  displayName: string,
): Promise<{ ok: true; id: number } | { ok: false; error: AdminCreateError }> {
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(username)) return { ok: false, error: 'username' };
  const weak = passwordProblem(password, username);
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
