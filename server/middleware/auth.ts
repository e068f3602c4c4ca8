/** Loads the logged-in user from the session (authorisation: ./authorise.ts). */
import type { NextFunction, Request, Response } from 'express';
import type { User } from '../services';

/**
 * An activity-renewed session (the cookie's rolling 8 hours) still ends `absoluteMs` after login: a stolen
 * or forgotten session cannot be kept alive for ever. Past it the session is emptied and the visitor is
 * anonymous again.
 */
export function loadUser(accounts: { byId: (id: number) => Promise<User | undefined> }, absoluteMs = 12 * 3600_000) {
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.user = null;
    if (req.session?.userId && !(Date.now() - (req.session.loggedInAt ?? 0) < absoluteMs)) {
      delete req.session.userId;
      delete req.session.loggedInAt;
      delete req.session.csrf;
    }
    const id = req.session?.userId;
    if (id) {
      const u = await accounts.byId(id);
      // a disabled account, or one whose sessions were ended (password changed or reset), is logged out at once
      const current = u && !u.disabled_at && Number(u.session_generation ?? 0) === (req.session.generation ?? 0);
      if (!current) {
        req.session.ended = !u || u.disabled_at ? 'disabled' : 'sessions-ended';
        delete req.session.userId;
        delete req.session.loggedInAt;
        delete req.session.generation;
        delete req.session.mustEnrol;
        delete req.session.csrf;
      }
      if (u && current)
        res.locals.user = {
          id: u.id,
          username: u.username,
          role: u.role,
          employer_id: u.employer_id,
          county: u.county,
          display_name: u.display_name,
        };
    }
    next();
  };
}
