/**
 * Accounts: logging in (password, then the second factor where the user has one), officers and
 * administrators kept by the administrator, one-time codes for setting a password, changing one's own
 * password, and the second factor (TOTP, RFC 6238, with ten single-use recovery codes). 等保 2.0
 * (GB/T 22239-2019, level 3, 8.1.4.1): administrators authenticate with two kinds of factor.
 *
 * Every account event is appended to the audit chain; no password, code or secret is ever written there or
 * to the log. Codes are kept as SHA-256 hashes (they are long random strings, so a fast hash suffices).
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import { appendAudit } from '../../db/stores/audit';
import { hitRateLimit, clearRateLimit } from '../../db/stores/rate-limits';
import {
  countUnusedRecoveryCodes,
  createUser,
  findResetCode,
  findUserById,
  findUserByUsername,
  listBureauUsers,
  putResetCode,
  replaceRecoveryCodes,
  setDisabled,
  setPasswordHash,
  setTotp,
  takeResetCode,
  updateUserDetails,
  useRecoveryCode,
  useTotpStep,
  type User,
} from '../../db/stores/users';
import { COUNTIES, type County } from '../rules/types';
import { passwordProblem, type PasswordProblem } from './admin-accounts';
import { hashPassword, verifyLogin, verifyPassword } from './passwords';

export type Actor = { id: number; username: string };

/** Failed attempts per window: logins per address and name, per account; codes per address and per account. */
export const LIMITS = {
  windowMs: 15 * 60_000,
  loginPerAddress: 10,
  loginPerAccount: 30,
  /** second-factor codes for one pending login (per account) and per address */
  secondFactorPerAccount: 5,
  secondFactorPerAddress: 20,
  /** reset codes tried from one address */
  resetPerAddress: 10,
};

/** How long a reset code (or a new officer's first code) may be used. */
export const RESET_CODE_HOURS = 72;
export const RECOVERY_CODE_COUNT = 10;

export type LoginResult =
  | { kind: 'limited'; retryAfterSeconds: number }
  | { kind: 'failed' }
  | { kind: 'disabled' }
  | { kind: 'second-factor'; user: User }
  | { kind: 'ok'; user: User; mustEnrol: boolean };

export type AccountError =
  | PasswordProblem
  | 'username'
  | 'exists'
  | 'county'
  | 'name'
  | 'mismatch'
  | 'wrong-password'
  | 'code'
  | 'limited'
  | 'not-found';

export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; error: AccountError; retryAfterSeconds?: number };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** Codes are typed by people: upper-case letters and digits without 0/O/1/I, grouped by four; spaces and dashes ignored. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export function newCode(length = 16): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s.replace(/(.{4})(?!$)/g, '$1-');
}
export const normaliseCode = (s: string) => s.toUpperCase().replace(/[\s-]/g, '');
const codeHash = (s: string) => sha256(normaliseCode(s));

export const USERNAME_RE = /^[A-Za-z0-9._-]{3,64}$/;

export interface AccountsOptions {
  /** The second factor is required of officers and administrators (SECOND_FACTOR=required). */
  secondFactorRequired: boolean;
  /** The issuer shown in an authenticator app. */
  issuer: string;
}

export class AccountService {
  constructor(
    private readonly db: Knex,
    private readonly opts: AccountsOptions,
  ) {}

  byId = (id: number) => findUserById(this.db, id);
  byUsername = (username: string) => findUserByUsername(this.db, username);

  get secondFactorRequired(): boolean {
    return this.opts.secondFactorRequired;
  }

  /** Must this user enrol a second factor before using the site? */
  mustEnrol(u: Pick<User, 'role' | 'totp_enrolled_at'>): boolean {
    return this.opts.secondFactorRequired && (u.role === 'officer' || u.role === 'admin') && !u.totp_enrolled_at;
  }

  /** The password step: rate limited per address and name and per account from any address. */
  async login(usernameIn: string, password: string, ip: string): Promise<LoginResult> {
    const username = usernameIn.trim().slice(0, 64);
    const key = username.toLowerCase();
    const perAddress = await hitRateLimit(this.db, `login:${ip}:${key}`, LIMITS.windowMs, LIMITS.loginPerAddress);
    const perAccount = await hitRateLimit(this.db, `login-account:${key}`, LIMITS.windowMs, LIMITS.loginPerAccount);
    const limit = perAddress.allowed ? perAccount : perAddress;
    if (!limit.allowed) return { kind: 'limited', retryAfterSeconds: limit.retryAfterSeconds };
    const user = username ? await findUserByUsername(this.db, username) : undefined;
    if (!(await verifyLogin(password, user)) || !user) return { kind: 'failed' };
    await clearRateLimit(this.db, `login:${ip}:${key}`);
    await clearRateLimit(this.db, `login-account:${key}`);
    if (user.disabled_at) {
      await this.audit(user.username, 'auth.login-refused', user.id, { reason: 'disabled' });
      return { kind: 'disabled' };
    }
    if (user.totp_enrolled_at) return { kind: 'second-factor', user };
    await this.audit(user.username, 'auth.login', user.id);
    return { kind: 'ok', user, mustEnrol: this.mustEnrol(user) };
  }

  /** The second step: a current TOTP code (each time step once) or an unused recovery code. */
  async secondStep(userId: number, code: string, ip: string): Promise<Outcome<{ user: User; recovery: boolean }>> {
    const perAccount = await hitRateLimit(
      this.db,
      `second-factor:${userId}`,
      LIMITS.windowMs,
      LIMITS.secondFactorPerAccount,
    );
    const perAddress = await hitRateLimit(
      this.db,
      `second-factor-ip:${ip}`,
      LIMITS.windowMs,
      LIMITS.secondFactorPerAddress,
    );
    const limit = perAccount.allowed ? perAddress : perAccount;
    if (!limit.allowed) return { ok: false, error: 'limited', retryAfterSeconds: limit.retryAfterSeconds };
    const user = await findUserById(this.db, userId);
    if (!user || user.disabled_at || !user.totp_secret || !user.totp_enrolled_at) return { ok: false, error: 'code' };
    let recovery = false;
    if (!(await this.checkTotp(user, code))) {
      if (!(await useRecoveryCode(this.db, user.id, codeHash(code)))) {
        await this.audit(user.username, 'auth.second-factor-failed', user.id);
        return { ok: false, error: 'code' };
      }
      recovery = true;
    }
    await clearRateLimit(this.db, `second-factor:${userId}`);
    await this.audit(user.username, 'auth.login', user.id, { secondFactor: recovery ? 'recovery-code' : 'totp' });
    return { ok: true, user, recovery };
  }

  private async checkTotp(user: User, code: string): Promise<boolean> {
    const token = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(token) || !user.totp_secret) return false;
    const totp = this.totpOf(user.username, user.totp_secret);
    const delta = totp.validate({ token, window: 1 });
    if (delta === null) return false;
    // a code is accepted once: its time step must be later than the last one used (RFC 6238 §5.2)
    const step = Math.floor(Date.now() / 1000 / 30) + delta;
    return useTotpStep(this.db, user.id, step);
  }

  private totpOf(username: string, secret: string): OTPAuth.TOTP {
    return new OTPAuth.TOTP({
      issuer: this.opts.issuer,
      label: username,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      secret: OTPAuth.Secret.fromBase32(secret),
    });
  }

  // ---- the administrator's accounts ----

  list = (county?: string) => listBureauUsers(this.db, county);

  /** An officer or administrator by id (the administrator's pages keep bureau accounts only). */
  async bureauUser(id: number): Promise<User | undefined> {
    const u = await findUserById(this.db, id);
    return u && u.role !== 'employer' ? u : undefined;
  }

  /** A new officer (a county) or administrator: no password yet, a one-time code to set it, shown once. */
  async createBureauUser(
    admin: Actor,
    f: { username: string; displayName: string; role: string; county: string },
  ): Promise<Outcome<{ id: number; code: string; expiresAt: string }>> {
    const username = f.username.trim();
    if (!USERNAME_RE.test(username)) return { ok: false, error: 'username' };
    const role = f.role === 'admin' ? 'admin' : 'officer';
    const county = role === 'officer' ? f.county : '';
    if (role === 'officer' && !COUNTIES.includes(county as County)) return { ok: false, error: 'county' };
    const displayName = f.displayName.trim().slice(0, 100);
    if (!displayName) return { ok: false, error: 'name' };
    if (await findUserByUsername(this.db, username)) return { ok: false, error: 'exists' };
    const id = await createUser(this.db, {
      username,
      // no one knows this password: the officer sets their own with the code
      password_hash: await hashPassword(randomBytes(32).toString('base64')),
      role,
      employer_id: null,
      county: county || null,
      display_name: displayName,
    });
    await this.audit(admin.username, 'user.created', id, { role, county: county || null, username });
    const { code, expiresAt } = await this.issueCode(admin, id, 'first');
    return { ok: true, id, code, expiresAt };
  }

  async editBureauUser(admin: Actor, id: number, f: { displayName: string; county: string }): Promise<Outcome> {
    const u = await findUserById(this.db, id);
    if (!u || u.role === 'employer') return { ok: false, error: 'not-found' };
    const displayName = f.displayName.trim().slice(0, 100);
    if (!displayName) return { ok: false, error: 'name' };
    const county = u.role === 'officer' ? f.county : null;
    if (u.role === 'officer' && !COUNTIES.includes(county as County)) return { ok: false, error: 'county' };
    await updateUserDetails(this.db, id, { display_name: displayName, county });
    await this.audit(admin.username, 'user.updated', id, {
      ...(displayName !== u.display_name ? { displayName } : {}),
      ...(county !== u.county ? { county, from: u.county } : {}),
    });
    return { ok: true };
  }

  /** Disabling ends the account's open sessions at once (the session generation is raised). */
  async setDisabled(admin: Actor, id: number, disabled: boolean): Promise<Outcome> {
    const u = await findUserById(this.db, id);
    if (!u || u.role === 'employer' || u.id === admin.id) return { ok: false, error: 'not-found' };
    await setDisabled(this.db, id, disabled);
    await this.audit(admin.username, disabled ? 'user.disabled' : 'user.enabled', id);
    return { ok: true };
  }

  /** A reset code for a forgotten password, shown once to the administrator; the old password keeps working until it is used. */
  async issueResetCode(admin: Actor, id: number): Promise<Outcome<{ code: string; expiresAt: string }>> {
    const u = await findUserById(this.db, id);
    if (!u) return { ok: false, error: 'not-found' };
    return { ok: true, ...(await this.issueCode(admin, id, 'reset')) };
  }

  private async issueCode(admin: Actor, userId: number, purpose: 'reset' | 'first') {
    const code = newCode();
    const expiresAt = new Date(Date.now() + RESET_CODE_HOURS * 3600_000).toISOString();
    await putResetCode(this.db, userId, codeHash(code), purpose, expiresAt);
    await this.audit(admin.username, 'user.reset-code-issued', userId, { purpose, expiresAt });
    return { code, expiresAt };
  }

  /** The user sets a new password with a reset code: single use, rate limited per address. */
  async resetWithCode(code: string, password: string, confirm: string, ip: string): Promise<Outcome<{ user: User }>> {
    const limit = await hitRateLimit(this.db, `reset:${ip}`, LIMITS.windowMs, LIMITS.resetPerAddress);
    if (!limit.allowed) return { ok: false, error: 'limited', retryAfterSeconds: limit.retryAfterSeconds };
    const now = new Date().toISOString();
    const found = await findResetCode(this.db, codeHash(code), now);
    const user = found && (await findUserById(this.db, found.user_id));
    if (!found || !user || user.disabled_at) return { ok: false, error: 'code' };
    if (password !== confirm) return { ok: false, error: 'mismatch' };
    const weak = passwordProblem(password, user.username);
    if (weak) return { ok: false, error: weak };
    if ((await takeResetCode(this.db, codeHash(code), now)) !== user.id) return { ok: false, error: 'code' };
    await setPasswordHash(this.db, user.id, await hashPassword(password));
    await clearRateLimit(this.db, `reset:${ip}`);
    await this.audit(user.username, 'user.password-reset', user.id, { purpose: found.purpose });
    return { ok: true, user: (await findUserById(this.db, user.id))! };
  }

  /** Changing one's own password: the current one is required; every session of the user ends (the caller keeps its own). */
  async changePassword(
    actor: Actor,
    current: string,
    password: string,
    confirm: string,
  ): Promise<Outcome<{ generation: number }>> {
    const u = await findUserById(this.db, actor.id);
    if (!u) return { ok: false, error: 'not-found' };
    const limit = await hitRateLimit(this.db, `change-password:${u.id}`, LIMITS.windowMs, LIMITS.loginPerAddress);
    if (!limit.allowed) return { ok: false, error: 'limited', retryAfterSeconds: limit.retryAfterSeconds };
    if (!(await verifyPassword(current, u.password_hash))) return { ok: false, error: 'wrong-password' };
    if (password !== confirm) return { ok: false, error: 'mismatch' };
    const weak = passwordProblem(password, u.username);
    if (weak) return { ok: false, error: weak };
    await setPasswordHash(this.db, u.id, await hashPassword(password));
    await clearRateLimit(this.db, `change-password:${u.id}`);
    await this.audit(u.username, 'user.password-changed', u.id);
    return { ok: true, generation: Number((await findUserById(this.db, u.id))!.session_generation ?? 0) };
  }

  // ---- the second factor ----

  /** A new secret to enrol (not yet in force): the otpauth URI and its QR code as SVG, drawn here. */
  async enrolment(user: Pick<User, 'username'>, secret?: string) {
    const s = secret ?? new OTPAuth.Secret({ size: 20 }).base32;
    const uri = this.totpOf(user.username, s).toString();
    const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    return { secret: s, uri, svg, grouped: s.replace(/(.{4})(?!$)/g, '$1 ') };
  }

  /** Confirms enrolment with a first code from the app; returns ten recovery codes, shown once. */
  async enrol(actor: Actor, secret: string, code: string): Promise<Outcome<{ recoveryCodes: string[] }>> {
    const u = await findUserById(this.db, actor.id);
    if (!u || !/^[A-Z2-7]{32}$/.test(secret)) return { ok: false, error: 'code' };
    const limit = await hitRateLimit(this.db, `second-factor:${u.id}`, LIMITS.windowMs, LIMITS.secondFactorPerAccount);
    if (!limit.allowed) return { ok: false, error: 'limited', retryAfterSeconds: limit.retryAfterSeconds };
    const token = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(token) || this.totpOf(u.username, secret).validate({ token, window: 1 }) === null)
      return { ok: false, error: 'code' };
    await setTotp(this.db, u.id, secret, new Date().toISOString());
    await useTotpStep(this.db, u.id, Math.floor(Date.now() / 30_000));
    const recoveryCodes = await this.newRecoveryCodes(u.id);
    await clearRateLimit(this.db, `second-factor:${u.id}`);
    await this.audit(u.username, 'user.second-factor-enrolled', u.id);
    return { ok: true, recoveryCodes };
  }

  private async newRecoveryCodes(userId: number): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newCode(12));
    await replaceRecoveryCodes(this.db, userId, codes.map(codeHash));
    return codes;
  }

  unusedRecoveryCodes = (userId: number) => countUnusedRecoveryCodes(this.db, userId);

  /** The administrator removes a user's second factor (a lost phone): they enrol again at their next login. */
  async resetSecondFactor(admin: Actor, id: number): Promise<Outcome> {
    const u = await findUserById(this.db, id);
    if (!u) return { ok: false, error: 'not-found' };
    await setTotp(this.db, id, null, null);
    await replaceRecoveryCodes(this.db, id, []);
    await this.audit(admin.username, 'user.second-factor-reset', id);
    return { ok: true };
  }

  private audit(actor: string, action: string, userId: number, detail?: Record<string, unknown>) {
    return appendAudit(this.db, { actor, action, target: `user:${userId}`, detail });
  }
}
