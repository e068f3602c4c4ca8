/**
 * Single sign-on through the province's unified identity platform (OpenID Connect, authorization code
 * flow with PKCE, through openid-client). An employer is matched by the credit-code claim of the platform's
 * account (统一社会信用代码), an officer or administrator by the mapping the administrator keeps from the
 * platform's subject to the account. The platform does the authentication, its own second factor
 * included; a disabled account is refused as at the password login.
 */
import type { Knex } from 'knex';
import { appendAudit } from '../../db/stores/audit';
import { findEmployerByUscc } from '../../db/stores/employers';
import {
  deleteSubject,
  findFirstUserOfEmployer,
  findUserById,
  findUserIdBySubject,
  listSubjectsOf,
  putSubject,
  type User,
} from '../../db/stores/users';
import type { Config } from '../config';
import type { Actor } from './accounts';

type OidcLib = typeof import('openid-client');
type Configuration = import('openid-client').Configuration;

/** What the login start keeps in the visitor's session until the platform sends them back. */
export interface PendingSso {
  state: string;
  nonce: string;
  verifier: string;
  at: number;
}

export type SsoResult =
  { ok: true; user: User } | { ok: false; error: 'unmatched' | 'disabled' | 'failed' | 'expired' };

const loopback = (u: URL) => u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);

export class SingleSignOn {
  private lib?: Promise<OidcLib>;
  private conf?: Promise<Configuration>;

  constructor(
    private readonly db: Knex,
    private readonly cfg: Config['oidc'],
  ) {}

  get enabled(): boolean {
    return !!(this.cfg.issuer && this.cfg.clientId && this.cfg.redirectUri);
  }

  // the library is an ES module, loaded when single sign-on is first used
  private oidc(): Promise<OidcLib> {
    return (this.lib ??= import('openid-client'));
  }

  private configuration(): Promise<Configuration> {
    this.conf ??= this.oidc().then((c) => {
      const issuer = new URL(this.cfg.issuer);
      // plain http only to a provider on this machine (a test or a local gateway), never over the network
      return c.discovery(
        issuer,
        this.cfg.clientId,
        this.cfg.clientSecret || undefined,
        undefined,
        loopback(issuer) ? { execute: [c.allowInsecureRequests] } : undefined,
      );
    });
    // a failed discovery is tried again next time instead of being remembered
    this.conf.catch(() => (this.conf = undefined));
    return this.conf;
  }

  /** Where to send the visitor, and what to keep in their session for the return. */
  async start(): Promise<{ url: string; pending: PendingSso }> {
    const c = await this.oidc();
    const config = await this.configuration();
    const verifier = c.randomPKCECodeVerifier();
    const pending = { state: c.randomState(), nonce: c.randomNonce(), verifier, at: Date.now() };
    const url = c.buildAuthorizationUrl(config, {
      redirect_uri: this.cfg.redirectUri,
      scope: this.cfg.scope,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await c.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, pending };
  }

  /** The platform sent the visitor back: check the answer, find the account. */
  async finish(query: string, pending: PendingSso | undefined): Promise<SsoResult> {
    if (!pending || Date.now() - pending.at > 10 * 60_000) return { ok: false, error: 'expired' };
    const c = await this.oidc();
    const config = await this.configuration();
    let sub: string, uscc: unknown;
    try {
      const back = new URL(this.cfg.redirectUri);
      back.search = query;
      const tokens = await c.authorizationCodeGrant(config, back, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
      sub = tokens.claims()!.sub;
      const info = await c.fetchUserInfo(config, tokens.access_token, sub);
      uscc = info[this.cfg.usccClaim] ?? tokens.claims()?.[this.cfg.usccClaim];
    } catch {
      await appendAudit(this.db, { actor: 'single sign-on', action: 'auth.sso-failed', target: 'sso' });
      return { ok: false, error: 'failed' };
    }
    const mapped = await findUserIdBySubject(this.db, sub);
    let user = mapped ? await findUserById(this.db, mapped) : undefined;
    if (!user && typeof uscc === 'string') {
      const employer = await findEmployerByUscc(this.db, uscc.trim().toUpperCase());
      user = employer ? await findFirstUserOfEmployer(this.db, employer.id) : undefined;
    }
    if (!user) {
      await appendAudit(this.db, {
        actor: 'single sign-on',
        action: 'auth.sso-refused',
        target: 'sso',
        detail: { reason: 'unmatched', creditCodeClaim: typeof uscc === 'string' },
      });
      return { ok: false, error: 'unmatched' };
    }
    if (user.disabled_at) {
      await appendAudit(this.db, {
        actor: user.username,
        action: 'auth.login-refused',
        target: `user:${user.id}`,
        detail: { reason: 'disabled', via: 'sso' },
      });
      return { ok: false, error: 'disabled' };
    }
    await appendAudit(this.db, {
      actor: user.username,
      action: 'auth.login',
      target: `user:${user.id}`,
      detail: { via: 'sso' },
    });
    return { ok: true, user };
  }

  subjectsOf = (userId: number) => listSubjectsOf(this.db, userId);

  /** The administrator maps a platform subject to an officer's or administrator's account (or removes it). */
  async mapSubject(admin: Actor, userId: number, subject: string, remove = false): Promise<boolean> {
    const s = subject.trim().slice(0, 200);
    if (!s) return false;
    if (remove) await deleteSubject(this.db, s);
    else await putSubject(this.db, s, userId);
    await appendAudit(this.db, {
      actor: admin.username,
      action: remove ? 'user.sso-unmapped' : 'user.sso-mapped',
      target: `user:${userId}`,
      detail: { subject: s },
    });
    return true;
  }
}
