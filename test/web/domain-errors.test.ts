/** One domain-error type, mapped once: the kind gives the status; `Accept` (or an /api/ path) gives JSON or a page. */
import express from 'express';
import request from 'supertest';
import { errorHandler } from '../../server/middleware/errors';
import { DomainError, STATUS_OF, type ErrorKind } from '../../server/services/errors';
import { NoticeError } from '../../server/services/notices';
import { SubmissionError } from '../../server/services/submissions';
import { login, testApp, type TestApp } from '../helpers/app';

function appThrowing(err: () => unknown) {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.lang = 'en';
    next();
  });
  app.get('/x', () => {
    throw err();
  });
  app.get('/api/x', () => {
    throw err();
  });
  app.use(errorHandler(() => undefined));
  return app;
}

test.each([
  ['not-found', 404],
  ['conflict', 409],
  ['invalid', 422],
  ['forbidden', 403],
  ['gone', 410],
  ['unauthenticated', 401],
  ['too-many', 429],
] as [ErrorKind, number][])('%s answers %i, JSON for the API and a page for a browser', async (kind, status) => {
  const app = appThrowing(
    () => new DomainError(kind, `a ${kind} answer`, { zh: '中文说明', en: 'What to do about it' }, `test/${kind}`),
  );
  const api = await request(app).get('/api/x');
  expect(api.status).toBe(status);
  expect(api.body).toEqual({ error: `a ${kind} answer`, code: `test/${kind}`, message: 'What to do about it' });
  const json = await request(app).get('/x').set('Accept', 'application/json');
  expect(json.status).toBe(status);
  expect(json.body.code).toBe(`test/${kind}`);
  const page = await request(app).get('/x').set('Accept', 'text/html');
  expect(page.status).toBe(status);
  expect(page.type).toBe('text/html');
  expect(page.text).toContain('What to do about it');
});

test("the services' refusals are domain errors of the right kind", () => {
  expect(new SubmissionError('not-found', 'no such result').status).toBe(STATUS_OF['not-found']);
  expect(new SubmissionError('not-pending', 'reviewed').status).toBe(409);
  expect(new SubmissionError('reason-required', 'reason').status).toBe(422);
  expect(new SubmissionError('has-problems', 'problems').status).toBe(422);
  expect(new NoticeError('not-draft').status).toBe(409);
  expect(new NoticeError('objection-closed').status).toBe(409);
  expect(new NoticeError('bad-period').status).toBe(422);
  expect(new NoticeError('bad-period').code).toBe('bad-period');
});

describe('on the app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test('a missing submission answers 404, as JSON to the API and as a page to the bureau', async () => {
    const officer = await login(t.app, 'officer.haining');
    const api = await officer.agent.get('/api/submissions/999999');
    expect(api.status).toBe(404);
    expect(api.body).toEqual({ error: 'not found' });
    const page = await officer.agent.get('/bureau/submissions/999999');
    expect(page.status).toBe(404);
    expect(page.type).toBe('text/html');
    const review = await officer.agent
      .post('/bureau/submissions/999999/accept')
      .type('form')
      .send({ _csrf: officer.csrf });
    expect(review.status).toBe(404);
  });
});
