import type { Request } from 'express';
import type { User } from '../services';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    /** When the user logged in (ms): a session ends SESSION_ABSOLUTE_HOURS after it, however active. */
    loggedInAt?: number;
    csrf?: string;
    flash?: string;
  }
}

export type SessionUser = Pick<User, 'id' | 'username' | 'role' | 'employer_id' | 'county' | 'display_name'>;

export interface AppLocals {
  lang: 'zh' | 'en';
  user: SessionUser | null;
  csrf: string;
}

export function localsOf(req: Request): AppLocals {
  return req.res!.locals as AppLocals;
}
