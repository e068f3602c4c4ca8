/**
 * express-session store in the database: sessions survive restarts and are shared by every instance.
 */
import session from 'express-session';
import type { Knex } from 'knex';

export class KnexSessionStore extends session.Store {
  constructor(private readonly db: Knex) {
    super();
  }

  get(sid: string, cb: (err: unknown, s?: session.SessionData | null) => void): void {
    this.db('sessions').where({ sid }).first()
      .then((row) => cb(null, row && Number(row.expires) > Date.now() ? JSON.parse(row.sess) : null))
      .catch((e) => cb(e));
  }

  set(sid: string, s: session.SessionData, cb?: (err?: unknown) => void): void {
    const expires = s.cookie?.expires ? new Date(s.cookie.expires).getTime() : Date.now() + 8 * 3600_000;
    this.db('sessions').insert({ sid, sess: JSON.stringify(s), expires }).onConflict('sid').merge()
      .then(() => cb?.())
      .catch((e) => cb?.(e));
  }

  destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.db('sessions').where({ sid }).delete().then(() => cb?.()).catch((e) => cb?.(e));
  }

  touch(sid: string, s: session.SessionData, cb?: (err?: unknown) => void): void {
    this.set(sid, s, cb);
  }

  async prune(now = Date.now()): Promise<number> {
    return this.db('sessions').where('expires', '<', now).delete();
  }
}
