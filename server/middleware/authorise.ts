/**
 * Authorisation in one place: role × action × scope. POLICY says, for each action, which roles may take
 * it and how far each reaches — the user's own employer, their own county, or everything. Routes guard
 * with `allow(action)` and check each resource they load with `scoped(...)`; listings ask `listScope` or
 * `countyScope` for their filter. Nothing else in the routes decides who may see what.
 */
import type { NextFunction, Request, Response } from 'express';
import { BlockList, isIP } from 'node:net';
import { COUNTIES } from '../rules/types';
import type { Role } from '../services';
import { DomainError, notFound } from '../services/errors';
import type { SessionUser } from './types';

export type Reach = 'own-employer' | 'own-county' | 'all';

export const POLICY = {
  /** the employer's own pages: upload, results, reports, submit, history */
  'employer.use': { employer: 'own-employer' },
  'upload.create': { employer: 'own-employer' },
  'upload.read': { employer: 'own-employer' },
  'check.read': { employer: 'own-employer' },
  'check.submit': { employer: 'own-employer' },
  'submission.list': { employer: 'own-employer', officer: 'own-county', admin: 'all' },
  'submission.read': { employer: 'own-employer', officer: 'own-county', admin: 'all' },
  'submission.review': { officer: 'own-county', admin: 'all' },
  /** which unit keeps a month two units count (docs/rules.md §4.2), decided on a submission of the officer's county */
  'clash.decide': { officer: 'own-county', admin: 'all' },
  /** the 残联's certificate register of the city (docs/rules.md §4.3): imported and confirmed by the administrator */
  'cert-register.manage': { admin: 'all' },
  /** the insurer's social-insurance payment records (docs/rules.md §4.4): imported by the administrator */
  'insurance-records.manage': { admin: 'all' },
  /** the bureau's pages: submissions received, employers that have not submitted */
  'bureau.use': { officer: 'own-county', admin: 'all' },
  'employer.list': { officer: 'own-county', admin: 'all' },
  'dashboard.read': { officer: 'own-county', admin: 'all' },
  'notice.manage': { officer: 'own-county', admin: 'all' },
  'objection.answer': { officer: 'own-county', admin: 'all' },
  'parameters.read': { officer: 'all', admin: 'all' },
  'parameters.add': { admin: 'all' },
  'settings.manage': { admin: 'all' },
  'audit.read': { admin: 'all' },
  /** the year's procedure (docs/rules.md §11–§16) */
  'certificate.read': { employer: 'own-employer', officer: 'own-county', admin: 'all' },
  'reward.decide': { officer: 'own-county', admin: 'all' },
  'arrears.compute': { officer: 'own-county', admin: 'all' },
  'social-average-wage.enter': { admin: 'all' },
  'deadlines.manage': { admin: 'all' },
  /** accounts: one's own password and second factor; the administrator keeps officers and administrators */
  'account.self': { employer: 'own-employer', officer: 'own-county', admin: 'all' },
  'accounts.manage': { admin: 'all' },
  /** the register of units per data year and its activation letters (the city, or the officer's county) */
  'register.manage': { officer: 'own-county', admin: 'all' },
  /** a unit's own users: the list; the first user invites and removes (server/services/register.ts) */
  'employer.users': { employer: 'own-employer' },
} satisfies Record<string, Partial<Record<Role, Reach>>>;

export type Action = keyof typeof POLICY;

/** What a resource says about its owner: the employer it belongs to and/or its county. */
export interface Owned {
  employer_id?: number | null;
  county?: string | null;
}

export function reachOf(user: SessionUser | null, action: Action): Reach | undefined {
  return user ? (POLICY[action] as Partial<Record<Role, Reach>>)[user.role] : undefined;
}

/** May the user take the action (on this resource, when one is given)? */
export function can(user: SessionUser | null, action: Action, resource?: Owned): boolean {
  const reach = reachOf(user, action);
  if (!reach || !user) return false;
  if (!resource || reach === 'all') return true;
  if (reach === 'own-county') return !!user.county && resource.county === user.county;
  return user.employer_id !== null && user.employer_id !== undefined && resource.employer_id === user.employer_id;
}

const wantsJson = (req: Request) => req.originalUrl.startsWith('/api/') || req.accepts(['html', 'json']) === 'json';

/**
 * Route guard: anonymous visitors of a page are sent to log in, of the API get 401; a role the action
 * does not admit gets 403.
 */
export function allow(action: Action) {
  return (req: Request, res: Response, next: NextFunction) => {
    const user = res.locals.user as SessionUser | null;
    if (!user) {
      if (wantsJson(req)) return next(new DomainError('unauthenticated', 'login required'));
      return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    }
    if (!reachOf(user, action)) return next(new DomainError('forbidden', 'forbidden'));
    next();
  };
}

/**
 * The resource if the user may take the action on it; otherwise "not found" — whether someone else's
 * data exists is not revealed.
 */
export function scoped<T extends Owned>(user: SessionUser | null, action: Action, resource: T | undefined | null): T {
  if (!resource || !can(user, action, resource)) throw notFound();
  return resource;
}

/** The county a listing may show: the officer's own; for whoever reaches everything, the one asked for (or all). */
export function countyScope(user: SessionUser, asked: unknown, action: Action = 'bureau.use'): string | undefined {
  if (reachOf(user, action) !== 'all') return user.county ?? '—';
  return typeof asked === 'string' && (COUNTIES as readonly string[]).includes(asked) ? asked : undefined;
}

/** The filter for a listing: the user's own employer, own county, or the county asked for (or all). */
export function listScope(
  user: SessionUser,
  action: Action,
  askedCounty: unknown,
): { employerId: number } | { county: string | undefined } {
  const reach = reachOf(user, action);
  if (reach === 'own-employer') return { employerId: user.employer_id ?? -1 };
  if (reach === 'own-county') return { county: user.county ?? '—' };
  if (reach === 'all') return { county: countyScope(user, askedCounty, action) };
  throw new DomainError('forbidden', 'forbidden');
}

/**
 * Operator endpoints (/metrics) answer only the addresses the operator allows (METRICS_ALLOW: addresses and
 * CIDR ranges); any other address gets 404, so the endpoint's existence is not revealed. The address is the
 * client's as TRUST_PROXY makes it (req.ip).
 */
export function allowAddresses(allowed: string[]) {
  const list = new BlockList();
  for (const entry of allowed) {
    const [addr, bits] = entry.split('/');
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(addr)) throw new Error(`METRICS_ALLOW: not an address or CIDR range: ${entry}`);
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return (req: Request, _res: Response, next: NextFunction) => {
    const ip = (req.ip ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(ip) || !list.check(ip, type)) return next(notFound());
    next();
  };
}
