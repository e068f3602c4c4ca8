/** The authorisation module on its own: role × action × scope, and the filters listings get. */
import { can, countyScope, listScope, POLICY, scoped, type Action } from '../../server/middleware/authorise';
import type { SessionUser } from '../../server/middleware/types';
import { DomainError } from '../../server/services/errors';

const user = (role: SessionUser['role'], extra: Partial<SessionUser> = {}): SessionUser => ({
  id: 1,
  username: role,
  role,
  employer_id: null,
  county: null,
  display_name: role,
  ...extra,
});
const employerA = user('employer', { employer_id: 10 });
const officerHaining = user('officer', { county: '海宁市' });
const admin = user('admin');

test('each role reaches what the policy says, and nothing without a user', () => {
  const table = Object.fromEntries(
    (Object.keys(POLICY) as Action[]).map((a) => [
      a,
      ['employer', 'officer', 'admin'].filter((r) =>
        can(user(r as SessionUser['role'], { employer_id: 1, county: '海宁市' }), a),
      ),
    ]),
  );
  expect(table).toEqual({
    'account.self': ['employer', 'officer', 'admin'],
    'accounts.manage': ['admin'],
    'clash.decide': ['officer', 'admin'],
    'cert-register.manage': ['admin'],
    'insurance-records.manage': ['admin'],
    'register.manage': ['officer', 'admin'],
    'employer.users': ['employer'],
    'employer.use': ['employer'],
    'upload.create': ['employer'],
    'upload.read': ['employer'],
    'check.read': ['employer'],
    'check.submit': ['employer'],
    'submission.list': ['employer', 'officer', 'admin'],
    'submission.read': ['employer', 'officer', 'admin'],
    'submission.review': ['officer', 'admin'],
    'bureau.use': ['officer', 'admin'],
    'employer.list': ['officer', 'admin'],
    'dashboard.read': ['officer', 'admin'],
    'notice.manage': ['officer', 'admin'],
    'objection.answer': ['officer', 'admin'],
    'parameters.read': ['officer', 'admin'],
    'parameters.add': ['admin'],
    'settings.manage': ['admin'],
    'audit.read': ['admin'],
    'certificate.read': ['employer', 'officer', 'admin'],
    'reward.decide': ['officer', 'admin'],
    'arrears.compute': ['officer', 'admin'],
    'social-average-wage.enter': ['admin'],
    'deadlines.manage': ['admin'],
  });
  expect((Object.keys(POLICY) as Action[]).filter((a) => can(null, a))).toEqual([]);
});

test('how far each role reaches with each action: its own employer, its own county, or every county', () => {
  // the user's own resource, another employer's in the same county, another county's
  const own = { employer_id: 1, county: '海宁市' };
  const sameCounty = { employer_id: 2, county: '海宁市' };
  const otherCounty = { employer_id: 3, county: '桐乡市' };
  const reached = (u: SessionUser, a: Action) =>
    can(u, a, otherCounty) ? 'all' : can(u, a, sameCounty) ? 'own-county' : can(u, a, own) ? 'own-employer' : undefined;
  const table = Object.fromEntries(
    (Object.keys(POLICY) as Action[]).map((a) => [
      a,
      Object.fromEntries(
        (['employer', 'officer', 'admin'] as const)
          .map((r) => [r, reached(user(r, { employer_id: 1, county: '海宁市' }), a)])
          .filter(([, reach]) => reach !== undefined),
      ),
    ]),
  );
  const county = { officer: 'own-county', admin: 'all' };
  expect(table).toEqual({
    'account.self': { employer: 'own-employer', officer: 'own-county', admin: 'all' },
    'accounts.manage': { admin: 'all' },
    'clash.decide': county,
    'cert-register.manage': { admin: 'all' },
    'insurance-records.manage': { admin: 'all' },
    'register.manage': county,
    'employer.users': { employer: 'own-employer' },
    'employer.use': { employer: 'own-employer' },
    'upload.create': { employer: 'own-employer' },
    'upload.read': { employer: 'own-employer' },
    'check.read': { employer: 'own-employer' },
    'check.submit': { employer: 'own-employer' },
    'submission.list': { employer: 'own-employer', ...county },
    'submission.read': { employer: 'own-employer', ...county },
    'submission.review': county,
    'bureau.use': county,
    'employer.list': county,
    'dashboard.read': county,
    'notice.manage': county,
    'objection.answer': county,
    'parameters.read': { officer: 'all', admin: 'all' },
    'parameters.add': { admin: 'all' },
    'settings.manage': { admin: 'all' },
    'audit.read': { admin: 'all' },
    'certificate.read': { employer: 'own-employer', ...county },
    'reward.decide': county,
    'arrears.compute': county,
    'social-average-wage.enter': { admin: 'all' },
    'deadlines.manage': { admin: 'all' },
  });
});

test('scope: own employer, own county, or all', () => {
  const subA = { employer_id: 10, county: '海宁市' };
  const subB = { employer_id: 11, county: '桐乡市' };
  expect([can(employerA, 'submission.read', subA), can(employerA, 'submission.read', subB)]).toEqual([true, false]);
  expect([can(officerHaining, 'submission.read', subA), can(officerHaining, 'submission.read', subB)]).toEqual([
    true,
    false,
  ]);
  expect([can(admin, 'submission.read', subA), can(admin, 'submission.read', subB)]).toEqual([true, true]);
  expect(can(employerA, 'submission.review', subA)).toBe(false);
  // an officer without a county, or an employer without an employer, reaches nothing
  expect(can(user('officer'), 'submission.read', { county: null })).toBe(false);
  expect(can(user('employer'), 'check.read', { employer_id: null })).toBe(false);
});

test('out of scope or missing is "not found", so others\' data is not revealed', () => {
  expect(scoped(employerA, 'check.read', { employer_id: 10, id: 'c' })).toEqual({ employer_id: 10, id: 'c' });
  for (const r of [undefined, { employer_id: 11 }]) {
    let err: unknown;
    try {
      scoped(employerA, 'check.read', r);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).status).toBe(404);
  }
});

test('listings: the officer always gets their county, the administrator the one asked for', () => {
  expect(countyScope(officerHaining, '桐乡市')).toBe('海宁市');
  expect(countyScope(admin, '桐乡市')).toBe('桐乡市');
  expect(countyScope(admin, 'nowhere')).toBeUndefined();
  expect(listScope(employerA, 'submission.list', '桐乡市')).toEqual({ employerId: 10 });
  expect(listScope(officerHaining, 'submission.list', '桐乡市')).toEqual({ county: '海宁市' });
  expect(listScope(admin, 'submission.list', '桐乡市')).toEqual({ county: '桐乡市' });
  expect(() => listScope(employerA, 'audit.read', undefined)).toThrow(DomainError);
});
