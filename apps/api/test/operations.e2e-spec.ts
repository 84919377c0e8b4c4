import { startTestApp, TestApp } from './support/test-app';

describe('operations endpoints and HTTP conventions', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('answers liveness and readiness (database reachable, migrations applied, queue running)', async () => {
    await testApp.http().get('/health/live').expect(200, { status: 'ok' });
    const ready = await testApp.http().get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.checks).toEqual([
      { name: 'database', status: 'up' },
      { name: 'migrations', status: 'up' },
      { name: 'jobQueue', status: 'up' },
    ]);
  });

  it('answers an unknown route with a 404 problem+json carrying the request id', async () => {
    const response = await testApp
      .http()
      .get('/v1/no-such-thing')
      .set('X-Request-Id', 'trace-abc.123')
      .expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['x-request-id']).toBe('trace-abc.123');
    expect(response.body).toEqual({
      type: 'urn:mlops:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: 'No route matches GET /v1/no-such-thing.',
      instance: '/v1/no-such-thing',
      requestId: 'trace-abc.123',
    });
  });

  it('generates a request id when the client sends none or an unusable one', async () => {
    const generated = await testApp.http().get('/health/live').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const replaced = await testApp
      .http()
      .get('/health/live')
      .set('X-Request-Id', 'bad id with spaces')
      .expect(200);
    expect(replaced.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  it('exposes Prometheus metrics with request durations by route template and pool gauges', async () => {
    await testApp.http().get('/health/live').expect(200);
    const metrics = await testApp.http().get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} [1-9]/,
    );
    expect(metrics.text).toMatch(/db_pool_connections_total \d+/);
    expect(metrics.text).toMatch(/db_pool_requests_waiting \d+/);
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const spec = await testApp.http().get('/openapi.json').expect(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(spec.body.paths['/health/ready']).toBeDefined();
    const docs = await testApp.http().get('/docs').redirects(1).expect(200);
    expect(docs.text).toContain('swagger');
  });
});
