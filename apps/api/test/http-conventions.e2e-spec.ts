import { startTestApp, TestApp } from './support/test-app';

/**
 * Body limits and body-parser errors answer problem+json like everything else. They use
 * POST /v1/auth/signup, a public route with a JSON body (the requests never reach its handler,
 * except the validation ones, which stop in the validation pipe).
 */
const PROBLEM_JSON = /^application\/problem\+json/;
const signup = '/v1/auth/signup';

describe('HTTP conventions on request bodies', () => {
  let small: TestApp;
  let defaults: TestApp;

  beforeAll(async () => {
    [small, defaults] = await Promise.all([
      startTestApp({ BODY_LIMIT_BYTES: '2048' }),
      startTestApp(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([small?.close(), defaults?.close()]);
  });

  const jsonOfSize = (bytes: number) => {
    const skeleton = JSON.stringify({ email: 'a@example.com', password: '', name: 'x' });
    return JSON.stringify({
      email: 'a@example.com',
      password: 'p'.repeat(bytes - skeleton.length),
      name: 'x',
    });
  };

  it('answers a body over BODY_LIMIT_BYTES with 413 problem+json', async () => {
    const body = jsonOfSize(4096);
    const response = await small
      .http()
      .post(signup)
      .set('content-type', 'application/json')
      .set('x-request-id', 'too-big-1')
      .send(body)
      .expect(413);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: 'urn:mlops:problem:payload-too-large',
      title: 'Payload too large',
      status: 413,
      instance: signup,
      requestId: 'too-big-1',
    });
  });

  it('lets a body just under the limit through to validation', async () => {
    const body = jsonOfSize(2000);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(2048);
    const response = await small
      .http()
      .post(signup)
      .set('content-type', 'application/json')
      .send(body)
      .expect(400);
    expect(response.body.type).toBe('urn:mlops:problem:validation-error');
  });

  it('defaults to a 1 MiB limit', async () => {
    const over = await defaults
      .http()
      .post(signup)
      .set('content-type', 'application/json')
      .send(jsonOfSize(1_048_577))
      .expect(413);
    expect(over.headers['content-type']).toMatch(PROBLEM_JSON);
    const under = await defaults
      .http()
      .post(signup)
      .set('content-type', 'application/json')
      .send(jsonOfSize(1_000_000));
    expect(under.status).not.toBe(413);
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await small
      .http()
      .post(signup)
      .set('content-type', 'application/json')
      .send('{"email": "a@example.com", ')
      .expect(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: 'urn:mlops:problem:bad-request',
      title: 'Bad request',
      status: 400,
      instance: signup,
    });
    expect(response.body.requestId).toEqual(response.headers['x-request-id']);
  });

  it('answers an unsupported content type with 415 problem+json', async () => {
    const response = await small
      .http()
      .post(signup)
      .set('content-type', 'application/xml')
      .send('<signup/>')
      .expect(415);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toMatchObject({
      type: 'urn:mlops:problem:unsupported-media-type',
      title: 'Unsupported media type',
      status: 415,
    });
  });

  it('rejects unknown properties and lists every invalid field', async () => {
    const response = await small
      .http()
      .post(signup)
      .send({ email: 'not-an-email', password: 'short', name: 'Ada', isAdmin: true })
      .expect(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.type).toBe('urn:mlops:problem:validation-error');
    const fields = (response.body.errors as { field: string; reasons: string[] }[]).map(
      (error) => error.field,
    );
    expect(fields.sort()).toEqual(['email', 'isAdmin', 'password']);
  });

  it('answers a wrong method on a known path with a problem+json', async () => {
    const response = await small.http().delete(signup);
    expect([404, 405]).toContain(response.status);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  });
});
