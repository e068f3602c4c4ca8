/** Passwords: scrypt from node:crypto (memory-hard), random salt, constant-time comparison. */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16384,
  R = 8,
  P = 1,
  LEN = 64;

/** The demo accounts' password: published in the README, so never acceptable for a real account. */
export const DEMO_PASSWORD = 'demo1234';

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, LEN, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * A well-formed hash of no password: a login for a name that does not exist is checked against it, so it
 * costs the same scrypt as a wrong password for a real user and the answer's timing does not tell them apart.
 */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${randomBytes(16).toString('base64')}$${randomBytes(LEN).toString('base64')}`;

/** The login check: the user's hash, or the dummy one when there is no such user (same work either way). */
export async function verifyLogin(password: string, user: { password_hash: string } | undefined): Promise<boolean> {
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  return ok && !!user;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
