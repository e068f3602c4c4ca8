/**
 * Which proxy's X-Forwarded-For the app believes (TRUST_PROXY): the per-address login limit counts the
 * client the trusted proxy names; from a proxy that is not trusted the header is ignored and the limit
 * counts the connection's own address, so a client cannot pick a fresh address per guess by forging it.
 */
import request from 'supertest';
import { csrfFrom, testApp, type TestApp } from '../helpers/app';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

async function failures(forwarded: (i: number) => string) {
  const agent = request.agent(t.app);
  const csrf = csrfFrom((await agent.get('/login')).text);
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const res = await agent
      .post('/login')
      .set('X-Forwarded-For', forwarded(i))
      .type('form')
      .send({ username: 'no.such.user', password: 'wrong', _csrf: csrf });
    statuses.push(res.status);
  }
  return statuses;
}

test('a proxy on another host, named in TRUST_PROXY: each client it forwards has its own count', async () => {
  // the test's connections come from loopback, standing in for the proxy's address here
  t = await testApp({ config: { trustProxy: '10.1.2.3, 127.0.0.1, ::1' } });
  expect(await failures((i) => `203.0.113.${i + 1}`)).toEqual(Array(11).fill(401));
});

test('a sender not named in TRUST_PROXY: its X-Forwarded-For is ignored, the 11th failure is refused', async () => {
  t = await testApp({ config: { trustProxy: '10.1.2.3' } });
  const statuses = await failures((i) => `203.0.113.${i + 1}`);
  expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
  expect(statuses[10]).toBe(429);
});
