/** Loads the logged-in user from the session (authorisation: ./authorise.ts). */
import type { NextFunction, Request, Response } from 'express';
import type { User } from '../services';

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

/** Role guards live with the rest of authorisation. */
export { requireRole } from './authorise';
