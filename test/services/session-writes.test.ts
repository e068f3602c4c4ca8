/**
 * A request that changes nothing in the session does not write it (reading pages and polling
 * an upload's status were one database write each); a change in the session is still written at once.
 */
import { login, testApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

test('pages read in a logged-in session leave its stored row alone; logging out removes it', async () => {
  const { agent, csrf } = await login(t.app, 'employer.a');
  const rows = async () => t.db('sessions').select('sid', 'sess', 'expires');
  const before = await rows();
  expect(before).toHaveLength(1);
  await new Promise((r) => setTimeout(r, 30)); // a touch would now store a later expiry
  for (let i = 0; i < 5; i++) expect((await agent.get('/employer')).status).toBe(200);
  expect(await rows()).toEqual(before);
  const out = await agent.post('/logout').type('form').send({ _csrf: csrf });
  expect(out.status).toBeLessThan(400);
  expect(await rows()).toHaveLength(0);
});
