/** Loads the logged-in user from the session; role checks for routes. */
import type { NextFunction, Request, Response } from 'express';
import type { Role, User } from '../services';
import { HttpError } from './errors';

export function loadUser(accounts: { byId: (id: number) => Promise<User | undefined> }) {
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.user = null;
    const id = req.session?.userId;
    if (id) {
      const u = await accounts.byId(id);
      if (u) res.locals.user = { id: u.id, username: u.username, role: u.role, employer_id: u.employer_id, county: u.county, display_name: u.display_name };
    }
    next();
  };
}

/** Allows the listed roles; anonymous visitors of a page are sent to log in, of the API get 401. */
export function requireRole(...roles: Role[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const user = res.locals.user;
    if (!user) {
      if (req.path.startsWith('/api/') || req.originalUrl.startsWith('/api/') || req.accepts(['html', 'json']) === 'json') return next(new HttpError(401, 'login required'));
      return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    }
    if (!roles.includes(user.role)) return next(new HttpError(403, 'forbidden'));
    next();
  };
}
