/**
 * When the database cannot be written, the session store's errors once reached the log with
 * the whole statement (session id and CSRF token in it), and the login and objection forms were sent with a
 * token that was never stored, so posting them gave a 403. Now the form pages answer with the storage page
 * and the log keeps the driver's text only.
 */
import request from 'supertest';
import { csrfFrom, login, testApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

const FULL = "SELECT RAISE(FAIL, 'database or disk is full')";

test('a full disk under the session store: the storage page on the login and objection forms, no statement in the log', async () => {
  const notice = await t.db('notices').where({ status: 'published' }).first('id');
  const officer = await login(t.app, 'officer.haining'); // a session stored before the fault
  await t.db.raw(`CREATE TRIGGER sessions_full_i BEFORE INSERT ON sessions BEGIN ${FULL}; END`);
  await t.db.raw(`CREATE TRIGGER sessions_full_u BEFORE UPDATE ON sessions BEGIN ${FULL}; END`);
  try {
    const logsBefore = t.logs.length;
    const page = await request(t.app).get('/login');
    expect(page.status).toBe(507);
    expect(page.text).toContain('存储空间已满');
    const en = await request(t.app).get(`/notices/${notice.id}/objection?lang=en`);
    expect(en.status).toBe(507);
    expect(en.text).toContain('storage is full');
    // an existing session posting a form: its token is stored, the write that follows fails → storage page, not 403
    const out = await officer.agent.post('/logout').type('form').send({ _csrf: officer.csrf });
    expect(out.status).not.toBe(403);
    // the store's own error, whoever logs it, names the fault without the statement, the id or the token
    const { KnexSessionStore } = await import('../../db/stores/sessions');
    const err = await new Promise<Error>((resolve) =>
      new KnexSessionStore(t.db).set(
        'sid-secret-1',
        { csrf: 'token-secret-1', cookie: { originalMaxAge: 1000 } } as never,
        (e) => resolve(e as Error),
      ),
    );
    expect(err.message).toContain('database or disk is full');
    expect(err.message).not.toMatch(/insert|sid-secret-1|token-secret-1/);
    const logged = t.logs.slice(logsBefore).join('\n');
    expect(logged).toContain('storage fault');
    expect(logged).not.toMatch(/insert into|on conflict|"csrf"|qd\.sid/i);
  } finally {
    await t.db.raw('DROP TRIGGER sessions_full_i');
    await t.db.raw('DROP TRIGGER sessions_full_u');
  }
  // storage back: the same visitor can log in
  const agent = request.agent(t.app);
  const csrf = csrfFrom((await agent.get('/login')).text);
  expect(
    (await agent.post('/login').type('form').send({ username: 'employer.a', password: 'demo1234', _csrf: csrf }))
      .status,
  ).toBe(303);
});
