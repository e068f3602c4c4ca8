/**
 * express-session store in the database: sessions survive restarts and are shared by every instance.
 * Expired rows are deleted as sessions are written (at most every `pruneEveryMs`). The store's errors carry
 * the driver's text only: the database client puts the whole statement in its message, and a session
 * statement holds the session id and its CSRF token, which must never reach a log.
 */
import session from 'express-session';
import type { Knex } from 'knex';
import { readerOf } from '../connection';

/** The driver's own error, without the statement and its values. */
function driverError(e: unknown): Error {
  const err = e as { message?: string; code?: string; errno?: number } | null;
  const m = String(err?.message ?? e);
  const cut = m.lastIndexOf(' - ');
  const text =
    /^\s*(insert|update|select|delete)\b/i.test(m) && cut > 0
      ? m.slice(cut + 3)
      : /^\s*(insert|update|select|delete)\b/i.test(m)
        ? 'session store query failed'
        : m;
  return Object.assign(new Error(`session store: ${text.slice(0, 200)}`), { code: err?.code, errno: err?.errno });
}

export class KnexSessionStore extends session.Store {
  private lastPrune = 0;
  private readonly pruneEveryMs: number;
  private readonly touchAfterMs: number;
  /** The expiry stored for a session this instance has just read: a request that changes nothing writes only when it is due. */
  private readonly storedExpiry = new Map<string, number>();

  /**
   * `touchAfterMs`: a request that changes nothing in the session renews its stored expiry only when that
   * would move it by more than this (default 10 minutes), so reading a page or polling a status is not a
   * write; the idle lifetime is then exact to within this margin.
   */
  constructor(
    private readonly db: Knex,
    opts: { pruneEveryMs?: number; touchAfterMs?: number } = {},
  ) {
    super();
    this.pruneEveryMs = opts.pruneEveryMs ?? 15 * 60_000;
    this.touchAfterMs = opts.touchAfterMs ?? 10 * 60_000;
  }

  private remember(sid: string, expires: number): void {
    if (this.storedExpiry.size > 50_000) this.storedExpiry.clear();
    this.storedExpiry.set(sid, expires);
  }

  get(sid: string, cb: (err: unknown, s?: session.SessionData | null) => void): void {
    readerOf(this.db)('sessions')
      .where({ sid })
      .first()
      .then((row) => {
        const live = row && Number(row.expires) > Date.now();
        if (live) this.remember(sid, Number(row.expires));
        else this.storedExpiry.delete(sid);
        cb(null, live ? JSON.parse(row.sess) : null);
      })
      .catch((e) => cb(driverError(e)));
  }

  set(sid: string, s: session.SessionData, cb?: (err?: unknown) => void): void {
    const expires = s.cookie?.expires ? new Date(s.cookie.expires).getTime() : Date.now() + 8 * 3600_000;
    const now = Date.now();
    const prune = now - this.lastPrune >= this.pruneEveryMs;
    if (prune) this.lastPrune = now;
    this.db('sessions')
      .insert({ sid, sess: JSON.stringify(s), expires })
      .onConflict('sid')
      .merge()
      .then(() => this.remember(sid, expires))
      .then(() => (prune ? this.prune(now) : 0))
      .then(() => cb?.())
      .catch((e) => cb?.(driverError(e)));
  }

  destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.storedExpiry.delete(sid);
    this.db('sessions')
      .where({ sid })
      .delete()
      .then(() => cb?.())
      .catch((e) => cb?.(driverError(e)));
  }

  /** Called on every request that changed nothing: a write only when the stored expiry is due to move. */
  touch(sid: string, s: session.SessionData, cb?: (err?: unknown) => void): void {
    const expires = s.cookie?.expires ? new Date(s.cookie.expires).getTime() : Date.now() + 8 * 3600_000;
    const stored = this.storedExpiry.get(sid);
    if (stored !== undefined && expires - stored < this.touchAfterMs) {
      cb?.();
      return;
    }
    this.db('sessions')
      .where({ sid })
      .update({ expires })
      .then(() => this.remember(sid, expires))
      .then(() => cb?.())
      .catch((e) => cb?.(driverError(e)));
  }

  async prune(now = Date.now()): Promise<number> {
    return this.db('sessions').where('expires', '<', now).delete();
  }
}
