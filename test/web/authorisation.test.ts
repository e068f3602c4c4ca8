/**
 * Authorisation matrix: every route × every role (anonymous, employer A, employer B, the officer of the
 * county, an officer of another county, the administrator), with the expected allow / deny.
 */
import { employerSheet, rosterSheet } from '../helpers/demo-workbooks';
import { writeWorkbook } from '../helpers/workbook';
import { finishRun, insertRun } from '../../db/stores/recompute-runs';
import request from 'supertest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { writeRosterWorkbook } from '../helpers/fixtures';
import { findEmployerByUscc } from '../../db/stores/employers';
import { submitCheck } from '../../server/services/submissions';
import { findCheckByUpload } from '../../db/stores/checks';
import { csrfFrom, login, testApp, type Agent, type TestApp } from '../helpers/app';
import { listRoutes } from '../helpers/routes';
import { setIssuer } from '../helpers/notices';
import { buildDraft, publishNotice, todayInChina } from '../../server/services/notices';

let t: TestApp;
const ROLES = ['anonymous', 'employerA', 'employerB', 'officerSame', 'officerOther', 'admin'] as const;
type Role = (typeof ROLES)[number];
const agents = {} as Record<Role, { agent: Agent; csrf: string }>;
let uploadA = '',
  checkA = '',
  checkBadA = '',
  subA = 0;
let draft = 0;
let certImport = 0;
let insuranceImport = 0;
const discardable = {} as Record<string, number>;
let published = 0,
  objection = 0;
let certB = 0,
  claimB = 0,
  failedRun = 0,
  spare = 0;
let unitId = 0,
  importId = '',
  secondUserA = 0;

beforeAll(async () => {
  t = await testApp();
  const anon = request.agent(t.app);
  // the anonymous visitor holds a valid CSRF token, so what refuses it below is authorisation, not CSRF
  agents.anonymous = { agent: anon, csrf: csrfFrom((await anon.get('/login')).text) };
  agents.employerA = await login(t.app, 'employer.a');
  agents.employerB = await login(t.app, 'employer.b');
  agents.officerSame = await login(t.app, 'officer.haining');
  agents.officerOther = await login(t.app, 'officer.tongxiang');
  agents.admin = await login(t.app, 'admin');
  const a = (await findEmployerByUscc(t.db, '91330481MA2B3C4D01'))!;
  const file = join(t.dataDir, 'a.xlsx');
  await writeRosterWorkbook(file, a, 'short');
  uploadA = await t.services.uploads.receive({ id: 1, username: 'employer.a' }, a, file, 'a.xlsx', 1);
  await t.services.uploads.process(uploadA, a);
  checkA = (await findCheckByUpload(t.db, uploadA))!.id;
  subA = (await submitCheck(t.db, { id: 1, username: 'employer.a' }, a.id, checkA, { rewardChoice: 'apply' })).id;
  // a workbook with a problem at a cell: the one that has an annotated copy
  const bad = join(t.dataDir, 'a-bad.xlsx');
  const roster = rosterSheet(10, 1);
  roster[3][1] = '330481199001011235'; // a wrong check digit
  await writeWorkbook(bad, [
    { name: '单位信息', rows: employerSheet({ 统一社会信用代码: a.uscc }) },
    { name: '职工名册', rows: roster },
  ]);
  const uploadBad = await t.services.uploads.receive({ id: 1, username: 'employer.a' }, a, bad, 'a-bad.xlsx', 1);
  await t.services.uploads.process(uploadBad, a);
  checkBadA = (await findCheckByUpload(t.db, uploadBad))!.id;
  // a certificate register previewed, for the administrator's pages
  const regFile = join(t.dataDir, 'cert-register.csv');
  writeFileSync(
    regFile,
    '残疾人证号,残疾类别,残疾等级,发证日期,有效期至,状态\n' + '33048119900101123X44,4,4,2015-01-01,,正常\n',
  );
  const insFile = join(t.dataDir, 'insurance.csv');
  writeFileSync(
    insFile,
    '身份证号,统一社会信用代码,年度,缴费月份\n' + '33048119900101123X,91330481MA2B3C4D01,2025,1-12\n',
  );
  insuranceImport = (await t.services.insuranceRecords.receive({ id: 1, username: 'admin' }, insFile, 'insurance.csv'))
    .id;
  certImport = (await t.services.certRegister.receive({ id: 1, username: 'admin' }, regFile, 'cert-register.csv')).id;
  const officer = { id: 2, username: 'officer.haining' };
  await setIssuer(t, '海宁市');
  draft = await buildDraft(t.db, officer, '海宁市', 2025);
  // one draft per role to discard, so that one role's allowed discard does not turn into another's 404
  for (const [i, role] of ROLES.entries()) discardable[role] = await buildDraft(t.db, officer, '海宁市', 2016 + i);
  published = await buildDraft(t.db, officer, '海宁市', 2024);
  await publishNotice(t.db, officer, published, {
    docNo: '海残联〔2026〕1号',
    periodStart: todayInChina(),
    days: 7,
    note: '',
  });
  await t.db('notices').where({ id: published }).first(); // published with no entries: objections need an entry, so add one directly
  objection =
    (
      await t
        .db('objections')
        .insert({
          notice_id: published,
          entry_uscc: '91330481MA2B3C4D01',
          entry_name: 'x',
          name: '某',
          contact: '1',
          reason: 'r',
          status: 'open',
          created_at: new Date().toISOString(),
        })
        .returning('id')
    )[0].id ?? 0;
  // employer B's 2024 submission was accepted (so it has a certificate) and its 2025 one applied for the reward (桐乡市)
  certB = (await t.db('certificates').first()).id;
  claimB = (await t.db('reward_claims').where({ year: 2025 }).first()).id;
  // a recompute that failed, for the administrator's "Run again"
  failedRun = (await insertRun(t.db, { year: 2018, total: 0, started_by: 1, claimed_by: 'elsewhere', heartbeat: 0 }))!;
  await finishRun(t.db, failedRun, 'elsewhere', 'failed', 'test');
  // an officer the administrator's account actions work on, so no other role's login is disabled
  const made = await t.services.accounts.createBureauUser(
    { id: 1, username: 'admin' },
    { username: 'officer.spare', displayName: '备用', role: 'officer', county: '海宁市' },
  );
  spare = made.ok ? made.id : 0;
  // a 海宁市 register (of a year no other route here files for), an import of it, and a second user of employer A
  const csv = join(t.dataDir, 'register.csv');
  writeFileSync(
    csv,
    '统一社会信用代码,单位名称,所在县（市、区）,单位类型\n91330481MA2B3C4D01,嘉兴示例精密机械有限公司,海宁市,企业\n',
  );
  importId = await t.services.register.receive(officer, {
    year: 2019,
    county: '海宁市',
    path: csv,
    fileName: 'register.csv',
    content: readFileSync(csv),
  });
  unitId = await (async () => {
    const r = await t.services.register.addUnit(officer, 2019, {
      uscc: '123304814700000017',
      name: '海宁市第一人民医院',
      county: '海宁市',
      unit_type: '事业单位',
      contact_name: null,
      contact_phone: null,
    });
    return typeof r === 'number' ? r : 0;
  })();
  const a2 = await t.services.accounts.create({
    username: 'employer.a2',
    password_hash: 'x',
    role: 'employer',
    employer_id: a.id,
    county: null,
    display_name: '填报人',
  });
  secondUserA = a2;
});
afterAll(async () => {
  await t.close();
});

// allowed roles per route; everyone else is denied (401/403/404, or a redirect to /login for pages)
const A: Role[] = ['employerA'];
const EMPLOYERS: Role[] = ['employerA', 'employerB'];
const BUREAU_SAME: Role[] = ['officerSame', 'admin'];
const BUREAU: Role[] = ['officerSame', 'officerOther', 'admin'];
const ALL: Role[] = [...ROLES];
const LOGGED_IN: Role[] = ROLES.filter((r) => r !== 'anonymous');
const TONGXIANG: Role[] = ['officerOther', 'admin'];

const routes: {
  method: 'get' | 'post';
  path: (role?: Role) => string;
  allowed: Role[];
  body?: Record<string, string>;
}[] = [
  { method: 'get', path: () => '/', allowed: ALL },
  { method: 'get', path: () => '/login', allowed: ALL },
  { method: 'post', path: () => '/employer/uploads', allowed: EMPLOYERS },
  {
    method: 'post',
    path: () => `/notices/${published}/objection`,
    allowed: ALL,
    body: { name: '某', contact: '1', uscc: 'none', reason: 'r' },
  },
  { method: 'post', path: () => '/api/check', allowed: ALL },
  { method: 'get', path: () => `/employer/checks/${checkBadA}/annotated.xlsx`, allowed: A },
  { method: 'post', path: () => `/bureau/submissions/${subA}/accept`, allowed: BUREAU_SAME },
  { method: 'get', path: () => '/bureau/insurance-records', allowed: ['admin'] },
  { method: 'post', path: () => '/bureau/insurance-records', allowed: ['admin'] },
  { method: 'get', path: () => `/bureau/insurance-records/${insuranceImport}`, allowed: ['admin'] },
  { method: 'post', path: () => `/bureau/insurance-records/${insuranceImport}/discard`, allowed: ['admin'] },
  { method: 'post', path: () => `/bureau/insurance-records/${insuranceImport}/confirm`, allowed: ['admin'] },
  { method: 'get', path: () => '/bureau/certificate-register', allowed: ['admin'] },
  { method: 'post', path: () => '/bureau/certificate-register', allowed: ['admin'] },
  { method: 'get', path: () => `/bureau/certificate-register/${certImport}`, allowed: ['admin'] },
  { method: 'post', path: () => `/bureau/certificate-register/${certImport}/discard`, allowed: ['admin'] },
  { method: 'post', path: () => `/bureau/certificate-register/${certImport}/confirm`, allowed: ['admin'] },
  {
    method: 'post',
    path: () => `/bureau/submissions/${subA}/clashes`,
    allowed: BUREAU_SAME,
    body: { here: '1', other: '2', m1: 'here' },
  },
  { method: 'get', path: () => '/healthz', allowed: ALL },
  { method: 'get', path: () => '/readyz', allowed: ALL },
  // by address, not by role (METRICS_ALLOW, test/web/metrics.test.ts): every role from the loopback
  { method: 'get', path: () => '/metrics', allowed: ALL },
  { method: 'get', path: () => '/template.xlsx', allowed: ALL },
  { method: 'get', path: () => '/api/openapi.json', allowed: ALL },
  { method: 'get', path: () => '/api/parameters?date=2025-06-30', allowed: ALL },
  { method: 'get', path: () => '/employer', allowed: EMPLOYERS },
  { method: 'get', path: () => '/employer/demo-workbook.xlsx', allowed: EMPLOYERS },
  { method: 'get', path: () => `/employer/uploads/${uploadA}`, allowed: A },
  { method: 'get', path: () => `/employer/uploads/${uploadA}/status`, allowed: A },
  { method: 'get', path: () => `/employer/checks/${checkA}`, allowed: A },
  { method: 'get', path: () => `/employer/submissions/${subA}`, allowed: A },
  { method: 'post', path: () => `/employer/checks/${checkA}/submit`, allowed: A },
  { method: 'post', path: () => `/employer/uploads/${uploadA}/retry`, allowed: A },
  { method: 'get', path: () => '/bureau', allowed: BUREAU },
  { method: 'get', path: () => '/bureau/missing', allowed: BUREAU },
  { method: 'get', path: () => '/bureau/parameters', allowed: BUREAU },
  { method: 'get', path: () => `/bureau/submissions/${subA}`, allowed: BUREAU_SAME },
  {
    method: 'post',
    path: () => `/bureau/submissions/${subA}/return`,
    allowed: BUREAU_SAME,
    body: { reason: '请补充社保证明' },
  },
  {
    method: 'post',
    path: () => '/bureau/parameters',
    allowed: ['admin'],
    body: { paramId: 'quota-ratio', from: '2030-01-01', value: '1.5', source: '测试' },
  },
  { method: 'get', path: () => '/bureau/audit', allowed: ['admin'] },
  { method: 'get', path: () => '/bureau/settings', allowed: ['admin'] },
  {
    method: 'post',
    path: () => '/bureau/settings',
    allowed: ['admin'],
    body: { mode: 'notice', correctionWindowDays: '90', days: '365', orphanDays: '180' },
  },
  { method: 'get', path: () => `/employer/checks/${checkA}/report`, allowed: A },
  { method: 'get', path: () => `/employer/checks/${checkA}/confirm`, allowed: A },
  { method: 'get', path: () => `/employer/checks/${checkA}/problems.csv`, allowed: A },
  { method: 'get', path: () => `/employer/submissions/${subA}/receipt`, allowed: A },
  {
    method: 'get',
    path: () => `/receipts/${t.services.submissions.receipt({ id: subA, year: 0, version: 0 }).code}`,
    allowed: ALL,
  },
  { method: 'get', path: () => `/employer/checks/${checkA}/report.xlsx`, allowed: A },
  { method: 'get', path: () => `/bureau/submissions/${subA}/report.xlsx`, allowed: BUREAU_SAME },
  { method: 'get', path: () => '/bureau/dashboard', allowed: BUREAU },
  { method: 'get', path: () => '/bureau/notices', allowed: BUREAU },
  {
    method: 'post',
    path: () => '/bureau/notices/build',
    allowed: BUREAU,
    body: { year: '2025', county: '海宁市', confirm: '1' },
  },
  { method: 'get', path: () => `/bureau/notices/${draft}`, allowed: BUREAU_SAME },
  { method: 'post', path: () => `/bureau/notices/${draft}/rebuild`, allowed: BUREAU_SAME },
  { method: 'post', path: (role) => `/bureau/notices/${discardable[role!]}/discard`, allowed: BUREAU_SAME },
  { method: 'post', path: () => `/bureau/notices/${draft}/publish`, allowed: BUREAU_SAME },
  { method: 'get', path: () => `/bureau/notices/${published}`, allowed: BUREAU_SAME },
  {
    method: 'post',
    path: () => `/bureau/notices/${draft}/details`,
    allowed: BUREAU_SAME,
    body: { docNo: '1', periodStart: '2026-01-01', days: '7' },
  },
  { method: 'post', path: () => `/bureau/notices/${published}/correct`, allowed: BUREAU_SAME },
  { method: 'post', path: () => `/bureau/notices/${published}/objections/${objection}/accept`, allowed: BUREAU_SAME },
  {
    method: 'post',
    path: () => `/bureau/notices/${published}/objections/${objection}/verify`,
    allowed: BUREAU_SAME,
    body: { findings: '已核实' },
  },
  {
    method: 'post',
    path: () => `/bureau/notices/${published}/objections/${objection}/answer`,
    allowed: BUREAU_SAME,
    body: { answer: '已核实', outcome: 'rejected' },
  },
  {
    method: 'post',
    path: () => `/bureau/settings/counties/${encodeURIComponent('海宁市')}`,
    allowed: ['admin'],
    body: {
      issuingBody: '海宁市残疾人联合会',
      contactPerson: '张老师',
      telephone: '0573-87000000',
      address: '海宁市',
      officeHours: '工作日',
    },
  },
  { method: 'get', path: () => '/notices', allowed: ALL },
  { method: 'get', path: () => '/notices/feed.atom', allowed: ALL },
  { method: 'get', path: () => `/notices/${published}`, allowed: ALL },
  { method: 'get', path: () => `/notices/${published}.xlsx`, allowed: ALL },
  { method: 'get', path: () => `/notices/${published}.csv`, allowed: ALL },
  { method: 'get', path: () => `/notices/${published}.json`, allowed: ALL },
  { method: 'get', path: () => `/notices/${published}/objection`, allowed: ALL },
  { method: 'get', path: () => '/api/submissions', allowed: LOGGED_IN },
  { method: 'get', path: () => `/api/submissions/${subA}`, allowed: ['employerA', 'officerSame', 'admin'] },
  { method: 'get', path: () => '/certificates/verify', allowed: ALL },
  { method: 'get', path: () => '/rewards?county=桐乡市&year=2025', allowed: ALL },
  { method: 'get', path: () => `/employer/certificates/${certB}`, allowed: ['employerB'] },
  { method: 'get', path: () => `/employer/checks/${checkA}/next-year.xlsx`, allowed: A },
  { method: 'get', path: () => `/bureau/certificates/${certB}`, allowed: TONGXIANG },
  { method: 'get', path: () => '/bureau/rewards', allowed: BUREAU },
  { method: 'get', path: () => `/bureau/rewards/${claimB}/approve`, allowed: TONGXIANG },
  { method: 'post', path: () => `/bureau/rewards/${claimB}/approve`, allowed: TONGXIANG },
  { method: 'post', path: () => `/bureau/rewards/${claimB}/refuse`, allowed: TONGXIANG, body: { reason: '材料不全' } },
  { method: 'post', path: () => `/bureau/rewards/${claimB}/paid`, allowed: TONGXIANG, body: { paidOn: '2026-10-15' } },
  { method: 'get', path: () => '/bureau/social-average-wage', allowed: ['admin'] },
  {
    method: 'post',
    path: () => '/bureau/social-average-wage',
    allowed: ['admin'],
    body: { year: '2019', amount: '50000', source: '测试' },
  },
  { method: 'post', path: () => `/bureau/social-average-wage/runs/${failedRun}/again`, allowed: ['admin'] },
  { method: 'get', path: () => '/bureau/deadlines', allowed: ['admin'] },
  {
    method: 'post',
    path: () => '/bureau/deadlines',
    allowed: ['admin'],
    body: {
      year: '2025',
      verificationFrom: '2026-04-01',
      verificationTo: '2026-06-30',
      collectionFrom: '2026-09-01',
      collectionTo: '2026-09-30',
    },
  },
  { method: 'get', path: () => '/bureau/arrears', allowed: BUREAU },
  { method: 'get', path: () => '/login/second-factor', allowed: ALL },
  { method: 'get', path: () => '/forgot-password', allowed: ALL },
  { method: 'get', path: () => '/account/reset', allowed: ALL },
  {
    method: 'post',
    path: () => '/account/reset',
    allowed: ALL,
    body: { code: 'AAAA-BBBB', password: 'x', confirm: 'x' },
  },
  { method: 'get', path: () => '/account', allowed: LOGGED_IN },
  {
    method: 'post',
    path: () => '/account/password',
    allowed: LOGGED_IN,
    body: { current: 'wrong', password: 'x', confirm: 'x' },
  },
  { method: 'get', path: () => '/account/second-factor', allowed: LOGGED_IN },
  { method: 'post', path: () => '/account/second-factor', allowed: LOGGED_IN, body: { code: '000000' } },
  { method: 'get', path: () => '/bureau/accounts', allowed: ['admin'] },
  { method: 'post', path: () => '/bureau/accounts', allowed: ['admin'], body: { username: '!', displayName: '' } },
  { method: 'get', path: () => `/bureau/accounts/${spare}`, allowed: ['admin'] },
  {
    method: 'post',
    path: () => `/bureau/accounts/${spare}`,
    allowed: ['admin'],
    body: { displayName: '备用', county: '海宁市' },
  },
  { method: 'post', path: () => `/bureau/accounts/${spare}/disable`, allowed: ['admin'] },
  { method: 'post', path: () => `/bureau/accounts/${spare}/enable`, allowed: ['admin'] },
  { method: 'post', path: () => `/bureau/accounts/${spare}/reset-password`, allowed: ['admin'] },
  { method: 'post', path: () => `/bureau/accounts/${spare}/reset-second-factor`, allowed: ['admin'] },
  { method: 'post', path: () => `/bureau/accounts/${spare}/sso`, allowed: ['admin'], body: { subject: 'spare-sub' } },
  { method: 'get', path: () => '/bureau/register', allowed: BUREAU },
  { method: 'get', path: () => '/bureau/register/template.xlsx', allowed: BUREAU },
  { method: 'post', path: () => '/bureau/register/import', allowed: BUREAU, body: { year: '2019' } },
  { method: 'get', path: () => `/bureau/register/imports/${importId}`, allowed: BUREAU_SAME },
  { method: 'post', path: () => `/bureau/register/imports/${importId}/confirm`, allowed: BUREAU_SAME },
  { method: 'get', path: () => '/bureau/register/units/new?year=2019', allowed: BUREAU },
  { method: 'post', path: () => '/bureau/register/units', allowed: BUREAU, body: { year: '2019', uscc: 'bad' } },
  { method: 'get', path: () => `/bureau/register/units/${unitId}`, allowed: BUREAU_SAME },
  {
    method: 'post',
    path: () => `/bureau/register/units/${unitId}`,
    allowed: BUREAU_SAME,
    body: { uscc: '123304814700000017', name: '海宁市第一人民医院', county: '海宁市', unitType: '事业单位' },
  },
  { method: 'post', path: () => `/bureau/register/units/${unitId}/letter`, allowed: BUREAU_SAME },
  { method: 'post', path: () => '/bureau/register/letters', allowed: BUREAU, body: { year: '2019', county: '海宁市' } },
  { method: 'get', path: () => '/activate', allowed: ALL },
  {
    method: 'post',
    path: () => '/activate',
    allowed: ALL,
    body: { uscc: '123304814700000017', code: 'AAAA-BBBB', username: 'x', password: 'x', confirm: 'x' },
  },
  { method: 'get', path: () => '/employer/users', allowed: EMPLOYERS },
  { method: 'post', path: () => '/employer/users/invite', allowed: EMPLOYERS },
  { method: 'post', path: () => `/employer/users/${secondUserA}/remove`, allowed: A },
];

const cases = routes.flatMap((r) =>
  ROLES.map((role) => [`${r.method.toUpperCase()} ${r.path.toString().replace(/.*=> /, '')}`, role, r] as const),
);

test.each(cases)('%s as %s', async (_name, role, r) => {
  const { agent, csrf } = agents[role];
  const res =
    r.method === 'get'
      ? await agent.get(r.path(role))
      : await agent
          .post(r.path(role))
          .type('form')
          .send({ _csrf: csrf, ...(r.body ?? {}) });
  const allowed = r.allowed.includes(role);
  if (allowed) {
    // allowed = not refused; a 409 or 422 is a business answer (e.g. already reviewed), not an authorisation one
    expect([401, 403, 404]).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
    if (res.status === 303 || res.status === 302) expect(res.headers.location).not.toMatch(/^\/login/);
  } else if (role === 'anonymous' && !r.path().startsWith('/api/')) {
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login\?next=/);
  } else {
    expect([401, 403, 404]).toContain(res.status);
  }
});

// public by design, each with its own test: logging in (security.test.ts) and out, the login's second step
// (accounts.test.ts), single sign-on (single-sign-on.test.ts: off here, where no identity platform is set)
const NOT_IN_MATRIX = [
  'POST /login',
  'POST /logout',
  'POST /login/second-factor',
  'GET /login/sso',
  'GET /login/sso/callback',
];

test('the matrix covers every route the router has', () => {
  const covered = (method: string, pattern: string) => {
    const re = new RegExp(`^${pattern.replace(/\/$/, '').replace(/:\w+/g, '[^/?]+')}/?(\\?.*)?$`);
    return routes.some((r) => r.method.toUpperCase() === method && re.test(r.path('admin')));
  };
  const missing = listRoutes(t.app).filter(
    (r) => r.method !== 'HEAD' && !NOT_IN_MATRIX.includes(`${r.method} ${r.path}`) && !covered(r.method, r.path),
  );
  expect(missing).toEqual([]);
});

test('the submission list of an API caller is scoped to what they may see', async () => {
  const b = await agents.employerB.agent.get('/api/submissions');
  expect(b.body.submissions.length).toBeGreaterThan(0);
  expect(
    b.body.submissions.every((s: { employer: { uscc: string } }) => s.employer.uscc === '91330483MA2B3C5E0L'),
  ).toBe(true);
  const other = await agents.officerOther.agent.get('/api/submissions');
  expect(other.body.submissions.length).toBeGreaterThan(0);
  expect(other.body.submissions.every((s: { employer: { county: string } }) => s.employer.county === '桐乡市')).toBe(
    true,
  );
  const all = await agents.admin.agent.get('/api/submissions');
  expect(new Set(all.body.submissions.map((s: { employer: { county: string } }) => s.employer.county))).toEqual(
    new Set(['海宁市', '桐乡市']),
  );
});
