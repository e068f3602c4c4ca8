/**
 * The account service: the one password policy, officers created with a one-time code, disabling, codes
 * single use, changing a password.
 */
import { testApp, type TestApp } from '../helpers/app';
import { passwordProblem } from '../../server/services/admin-accounts';
import { FIXTURE_PASSWORD } from '../helpers/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const admin = { id: 1, username: 'admin' };

test('one password policy: 12 characters, not the username, not a common password', () => {
  expect(passwordProblem('short')).toBe('short');
  expect(passwordProblem('x' + FIXTURE_PASSWORD + 'abcdef')).toBe('demo');
  expect(passwordProblem('officer.jiaxing!', 'officer.jiaxing')).toBe('same-as-username');
  expect(passwordProblem('1qaz2wsx3edc')).toBe('common');
  expect(passwordProblem('QWERTY123456')).toBe('common');
  expect(passwordProblem('海宁 残联 报送 2026 春')).toBeNull();
  expect(passwordProblem('orchard-lantern-57', 'officer.jiaxing')).toBeNull();
});

test('an officer is created with a one-time code that sets the first password once', async () => {
  const made = await t.services.accounts.createBureauUser(admin, {
    username: 'officer.new',
    displayName: '新专管员',
    role: 'officer',
    county: '海宁市',
  });
  if (!made.ok) throw new Error(made.error);
  expect(made.code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
  const u = (await t.services.accounts.byId(made.id))!;
  expect(u.county).toBe('海宁市');
  expect(u.role).toBe('officer');
  // the code is not stored as such
  expect(JSON.stringify(await t.db('reset_codes').select())).not.toContain(made.code.replace(/-/g, ''));
  const weak = await t.services.accounts.resetWithCode(made.code, 'officer.new-pass', 'officer.new-pass', '10.0.0.1');
  expect(weak).toEqual({ ok: false, error: 'same-as-username' });
  const done = await t.services.accounts.resetWithCode(
    made.code,
    'orchard-lantern-57',
    'orchard-lantern-57',
    '10.0.0.1',
  );
  expect(done.ok).toBe(true);
  expect((await t.services.accounts.login('officer.new', 'orchard-lantern-57', '10.0.0.1')).kind).toBe('ok');
  // single use
  const again = await t.services.accounts.resetWithCode(
    made.code,
    'another-lantern-58',
    'another-lantern-58',
    '10.0.0.1',
  );
  expect(again).toEqual({ ok: false, error: 'code' });
});

test('a disabled account cannot log in; enabled again, it can', async () => {
  const u = (await t.services.accounts.byUsername('officer.tongxiang'))!;
  expect((await t.services.accounts.setDisabled(admin, u.id, true)).ok).toBe(true);
  expect((await t.services.accounts.login('officer.tongxiang', FIXTURE_PASSWORD, '10.0.0.2')).kind).toBe('disabled');
  expect((await t.services.accounts.setDisabled(admin, u.id, false)).ok).toBe(true);
  expect((await t.services.accounts.login('officer.tongxiang', FIXTURE_PASSWORD, '10.0.0.2')).kind).toBe('ok');
});

test('changing a password needs the current one and meets the policy', async () => {
  const u = (await t.services.accounts.byUsername('employer.b'))!;
  const actor = { id: u.id, username: u.username };
  expect(await t.services.accounts.changePassword(actor, 'wrong', 'orchard-lantern-57', 'orchard-lantern-57')).toEqual({
    ok: false,
    error: 'wrong-password',
  });
  expect(await t.services.accounts.changePassword(actor, FIXTURE_PASSWORD, 'qwerty123456', 'qwerty123456')).toEqual({
    ok: false,
    error: 'common',
  });
  const before = Number(u.session_generation ?? 0);
  const ok = await t.services.accounts.changePassword(
    actor,
    FIXTURE_PASSWORD,
    'orchard-lantern-57',
    'orchard-lantern-57',
  );
  expect(ok).toEqual({ ok: true, generation: before + 1 });
  expect((await t.services.accounts.login('employer.b', 'orchard-lantern-57', '10.0.0.3')).kind).toBe('ok');
});

test('the first administrator (quota admin create) meets the same password policy', async () => {
  const { createAdministrator } = await import('../../server/services/admin-accounts');
  expect(await createAdministrator(t.db, 'ops.admin', 'qwerty123456', '')).toEqual({ ok: false, error: 'common' });
  expect(await createAdministrator(t.db, 'ops.admin', 'ops.admin-2026-x', '')).toEqual({
    ok: false,
    error: 'same-as-username',
  });
  expect((await createAdministrator(t.db, 'ops.admin', 'orchard-lantern-57', '')).ok).toBe(true);
});
