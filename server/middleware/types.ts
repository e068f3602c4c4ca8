import type { Request } from 'express';
import type { User } from '../services';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    /** When the user logged in (ms): a session ends SESSION_ABSOLUTE_HOURS after it, however active. */
    loggedInAt?: number;
    csrf?: string;
    flash?: string;
    /** Why the last login of this browser ended at a request (the account disabled, or its sessions ended): the login page says so once. */
    ended?: 'disabled' | 'sessions-ended';
    /** The user's session generation at login: a raised number (disabled, password changed) ends the session. */
    generation?: number;
    /** A login whose password was right and whose second factor is still to come, and since when (ms). */
    pendingUserId?: number;
    pendingAt?: number;
    /** Logged in, but must enrol a second factor before anything else (SECOND_FACTOR=required). */
    mustEnrol?: boolean;
    /** A second-factor secret being enrolled, until its first code confirms it. */
    totpPending?: string;
    /** A single sign-on under way: state, nonce and PKCE verifier until the platform sends the visitor back. */
    ssoPending?: { state: string; nonce: string; verifier: string; at: number };
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
