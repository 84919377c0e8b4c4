import { MetricsServer } from '../src/modules/metrics/metrics-access';
import { createOrganization, SignedInUser, signUp } from './support/actors';
import { startTestApp, TestApp } from './support/test-app';
import { withClient } from './support/test-database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const login = (testApp: TestApp, email: string, password: string, from?: string) => {
  const call = testApp.http().post('/v1/auth/login');
  if (from) void call.set('X-Forwarded-For', from);
  return call.send({ email, password });
};
const WRONG = 'definitely not the password';

describe('client address and TRUST_PROXY', () => {
  it('by default ignores X-Forwarded-For: rotating it does not escape the per-address limit', async () => {
    const testApp = await startTestApp({ AUTH_RATE_LIMIT_PER_IP: '3' });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        const response = await login(testApp, 'a@example.com', WRONG, `198.51.100.${attempt}`);
        statuses.push(response.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await testApp.close();
    }
  });

  it('with TRUST_PROXY=127.0.0.1 honours the header of the trusted proxy', async () => {
    const testApp = await startTestApp({ AUTH_RATE_LIMIT_PER_IP: '3', TRUST_PROXY: '127.0.0.1' });
    try {
      // Each forwarded address is its own client...
      for (let attempt = 0; attempt < 5; attempt++) {
        await login(testApp, 'a@example.com', WRONG, `198.51.100.${attempt}`).expect(401);
      }
      // ...and one of them is limited on its own.
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        statuses.push((await login(testApp, 'a@example.com', WRONG, '198.51.100.0')).status);
      }
      expect(statuses).toEqual([401, 401, 429]);
      // The audit trail records the forwarded address, not the proxy's.
      const owner = await signUp(testApp);
      const organizationId = await testApp
        .http()
        .post('/v1/organizations')
        .set(owner.auth)
        .set('X-Forwarded-For', '203.0.113.77')
        .send({ name: 'Audited', slug: 'audited-org' })
        .expect(201)
        .then((response) => response.body.id as string);
      const rows = await withClient(testApp.database.adminUrl, async (client) => {
        const result = await client.query<{ ip: string }>(
          'SELECT ip FROM audit_events WHERE organization_id = $1',
          [organizationId],
        );
        return result.rows;
      });
      expect(rows.map((row) => row.ip)).toContain('203.0.113.77');
    } finally {
      await testApp.close();
    }
  });
});

describe('failed sign-ins', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({
      TRUST_PROXY: 'loopback',
      AUTH_RATE_LIMIT_PER_ACCOUNT: '3',
      AUTH_FAILURES_PER_IP: '6',
    });
  });
  afterAll(() => testApp.close());

  it("hold back the attacker's address with a growing wait, never the owner elsewhere", async () => {
    const owner = await signUp(testApp);
    const attacker = '203.0.113.9';
    for (let attempt = 0; attempt < 3; attempt++) {
      await login(testApp, owner.email, WRONG, attacker).expect(401);
    }
    // From the attacker's address even the right password waits now.
    const first = await login(testApp, owner.email, owner.password, attacker).expect(429);
    expect(first.headers['retry-after']).toBe('1');
    expect(first.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(first.body.type).toBe('urn:mlops:problem:too-many-requests');
    // The owner, from an address without failures, signs in.
    await login(testApp, owner.email, owner.password, '198.51.100.20').expect(200);

    // After the wait the attacker may try again; the next failure doubles the wait.
    await sleep(1_100);
    await login(testApp, owner.email, WRONG, attacker).expect(401);
    const second = await login(testApp, owner.email, WRONG, attacker).expect(429);
    expect(second.headers['retry-after']).toBe('2');
    await login(testApp, owner.email, owner.password, '198.51.100.21').expect(200);
  });

  it('cannot be outrun by concurrent attempts: each is counted before its password is checked', async () => {
    const owner = await signUp(testApp);
    const attacker = '203.0.113.11';
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => login(testApp, owner.email, WRONG, attacker)),
    );
    const statuses = responses.map((response) => response.status).sort();
    // The allowance is 3: three are checked (and fail), the rest wait.
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    await login(testApp, owner.email, owner.password, '198.51.100.50').expect(200);
  });

  it('count failures per address across accounts (credential stuffing)', async () => {
    const stuffer = '203.0.113.10';
    for (let account = 0; account < 6; account++) {
      await login(testApp, `victim-${account}@example.com`, WRONG, stuffer).expect(401);
    }
    await login(testApp, 'victim-next@example.com', WRONG, stuffer).expect(429);
    const someone = await signUp(testApp);
    await login(testApp, someone.email, someone.password, '198.51.100.30').expect(200);
  });

  it('are forgotten for the account at that address after a successful sign-in', async () => {
    const user = await signUp(testApp);
    const from = '198.51.100.40';
    // Four failures in all at this address: without the reset the fourth would already wait.
    for (let round = 0; round < 2; round++) {
      await login(testApp, user.email, WRONG, from).expect(401);
      await login(testApp, user.email, WRONG, from).expect(401);
      await login(testApp, user.email, user.password, from).expect(200);
    }
  });
});

describe('rate limits shared by replicas', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    const env = { AUTH_RATE_LIMIT_PER_IP: '4', AUTH_RATE_LIMIT_PER_ACCOUNT: '2' };
    first = await startTestApp(env);
    second = await startTestApp(env, { database: first.database });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('count requests per address across both app instances', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const replica = attempt % 2 === 0 ? first : second;
      statuses.push(
        (await replica.http().post('/v1/auth/refresh').send({ refreshToken: 'mmr_nothing-here' }))
          .status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('count failed sign-ins across both app instances', async () => {
    // A fresh limit: the per-address request limit of the previous test is per route.
    await login(first, 'shared@example.com', WRONG).expect(401);
    await login(second, 'shared@example.com', WRONG).expect(401);
    await login(first, 'shared@example.com', WRONG).expect(429);
    await login(second, 'shared@example.com', WRONG).expect(429);
  });
});

describe('API key last use', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('is recorded only once the secret was checked', async () => {
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const keys = `/v1/organizations/${organizationId}/api-keys`;
    const created = await testApp
      .http()
      .post(keys)
      .set(owner.auth)
      .send({ name: 'ci', scopes: ['assessments:read'] })
      .expect(201);
    const key = created.body.key as string;
    const lastUsedAt = async () => {
      const list = await testApp.http().get(keys).set(owner.auth).expect(200);
      return list.body.items.find((item: { id: string }) => item.id === created.body.id)
        .lastUsedAt as string | null;
    };
    const forged = `${key.slice(0, -6)}${key.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA'}`;
    const teams = `/v1/organizations/${organizationId}/teams`;
    await testApp.http().get(teams).set('Authorization', `Bearer ${forged}`).expect(401);
    expect(await lastUsedAt()).toBeNull();
    await testApp.http().get(teams).set('Authorization', `Bearer ${key}`).expect(200);
    const used = await lastUsedAt();
    expect(used).toEqual(expect.any(String));
    expect(Date.now() - new Date(used as string).getTime()).toBeLessThan(60_000);
  });
});

/** Checks `url` (same origin) against a CSP directive list, the way a browser falls back. */
function allowedByCsp(csp: string, directive: string, kind: 'self' | 'inline' | 'data'): boolean {
  const directives = new Map(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
  const sources = directives.get(directive) ?? directives.get('default-src') ?? [];
  if (kind === 'self') return sources.includes("'self'");
  if (kind === 'inline') return sources.includes("'unsafe-inline'");
  return sources.includes('data:');
}

describe('security headers', () => {
  let testApp: TestApp;
  let owner: SignedInUser;
  beforeAll(async () => {
    testApp = await startTestApp();
    owner = await signUp(testApp);
  });
  afterAll(() => testApp.close());

  it('sends HSTS, nosniff, no framing and a CSP on every response', async () => {
    for (const response of [
      await testApp.http().get('/health/live'),
      await testApp.http().get('/v1/me').set(owner.auth),
      await testApp.http().get('/v1/nothing'),
    ]) {
      expect(response.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('lets /docs load: every script, stylesheet and inline style it uses is allowed by the CSP', async () => {
    const page = await testApp.http().get('/docs').redirects(1).expect(200);
    const csp = page.headers['content-security-policy'] as string;
    const html = page.text;
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      const src = /src="([^"]+)"/.exec(attributes)?.[1];
      if (!src) {
        // An inline script would need 'unsafe-inline' or a hash, which this CSP does not give.
        expect(body.trim()).toBe('');
        continue;
      }
      expect(src).not.toMatch(/^[a-z]+:\/\//i); // same origin
      expect(allowedByCsp(csp, 'script-src', 'self')).toBe(true);
      const asset = await testApp.http().get(new URL(src, 'http://x/docs').pathname).expect(200);
      expect(asset.headers['content-type']).toMatch(/javascript/);
    }
    for (const [, href] of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)) {
      expect(allowedByCsp(csp, 'style-src', 'self')).toBe(true);
      await testApp.http().get(new URL(href, 'http://x/docs').pathname).expect(200);
    }
    if (/<style|style="/.test(html)) expect(allowedByCsp(csp, 'style-src', 'inline')).toBe(true);
    // Swagger UI fetches the document from this origin and draws data: images.
    expect(allowedByCsp(csp, 'connect-src', 'self')).toBe(true);
    expect(allowedByCsp(csp, 'img-src', 'data')).toBe(true);
    const init = await testApp.http().get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('openapi');
  });

  it('marks every response that carries a token or secret Cache-Control: no-store', async () => {
    const signup = await testApp
      .http()
      .post('/v1/auth/signup')
      .send({ email: 'cache@example.com', password: 'a long enough password', name: 'C' })
      .expect(201);
    const login = await testApp
      .http()
      .post('/v1/auth/login')
      .send({ email: 'cache@example.com', password: 'a long enough password' })
      .expect(200);
    const refresh = await testApp
      .http()
      .post('/v1/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(200);
    const organizationId = await createOrganization(testApp, owner);
    const apiKey = await testApp
      .http()
      .post(`/v1/organizations/${organizationId}/api-keys`)
      .set(owner.auth)
      .send({ name: 'k', scopes: ['assessments:read'] })
      .expect(201);
    const invitation = await testApp
      .http()
      .post(`/v1/organizations/${organizationId}/invitations`)
      .set(owner.auth)
      .send({ email: 'someone@example.com', role: 'member' })
      .expect(201);
    for (const response of [signup, login, refresh, apiKey, invitation]) {
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('/metrics access', () => {
  it('with METRICS_TOKEN answers 401 problem+json without the bearer token', async () => {
    const testApp = await startTestApp({ METRICS_TOKEN: 'metrics-token-0123456789' });
    try {
      const missing = await testApp.http().get('/metrics').expect(401);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      await testApp
        .http()
        .get('/metrics')
        .set('Authorization', 'Bearer metrics-token-wrong-000000')
        .expect(401);
      const scraped = await testApp
        .http()
        .get('/metrics')
        .set('Authorization', 'Bearer metrics-token-0123456789')
        .expect(200);
      expect(scraped.text).toContain('http_request_duration_seconds');
    } finally {
      await testApp.close();
    }
  });

  it('with METRICS_PORT serves it there and not on the main port', async () => {
    const testApp = await startTestApp({ METRICS_PORT: '0', HOST: '127.0.0.1' });
    try {
      await testApp.http().get('/metrics').expect(404);
      const port = testApp.app.get(MetricsServer).port();
      expect(port).toEqual(expect.any(Number));
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('db_pool_connections_total');
    } finally {
      await testApp.close();
    }
  });

  it('in production without either is not served', async () => {
    const testApp = await startTestApp({ NODE_ENV: 'production' });
    try {
      await testApp.http().get('/metrics').expect(404);
    } finally {
      await testApp.close();
    }
  });
});

describe('email normalisation', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('treats the NFC and NFD forms of an address as one account', async () => {
    const composed = 'Jos\u00e9.Nfc@example.com';
    const decomposed = 'Jose\u0301.nfc@example.com';
    expect(composed).not.toBe(decomposed);
    const password = 'a long enough password';
    const created = await testApp
      .http()
      .post('/v1/auth/signup')
      .send({ email: composed, password, name: 'José' })
      .expect(201);
    expect(created.body.user.email).toBe('jos\u00e9.nfc@example.com');
    await login(testApp, decomposed, password).expect(200);
    await testApp
      .http()
      .post('/v1/auth/signup')
      .send({ email: decomposed, password, name: 'Copy' })
      .expect(409);
    // Invitations too: an invitation to the NFD form is one for the NFC account.
    const owner = await signUp(testApp);
    const organizationId = await createOrganization(testApp, owner);
    const invitation = await testApp
      .http()
      .post(`/v1/organizations/${organizationId}/invitations`)
      .set(owner.auth)
      .send({ email: decomposed, role: 'member' })
      .expect(201);
    expect(invitation.body.email).toBe('jos\u00e9.nfc@example.com');
  });
});

/** Redis for the REDIS_URL store: TEST_REDIS_URL, or the development machines' local one. */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
async function redisAnswers(url: string): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 500,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

describe('rate limits in Redis (REDIS_URL)', () => {
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  // One address per run: the counters outlive the test databases.
  const address = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  beforeAll(async () => {
    if (!(await redisAnswers(redisUrl))) {
      // The default run needs no Redis; .ci/run and the development machines have one.
      console.warn(`Redis at ${redisUrl} does not answer: the REDIS_URL tests are skipped.`);
      return;
    }
    const env = {
      REDIS_URL: redisUrl,
      TRUST_PROXY: 'loopback',
      AUTH_RATE_LIMIT_PER_IP: '4',
      AUTH_RATE_LIMIT_PER_ACCOUNT: '2',
    };
    // Two databases: only Redis can make them share a count.
    first = await startTestApp(env);
    second = await startTestApp(env);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('are shared by instances that share nothing else', async () => {
    if (!first || !second) return;
    const refresh = (app: TestApp) =>
      app
        .http()
        .post('/v1/auth/refresh')
        .set('X-Forwarded-For', address)
        .send({ refreshToken: 'mmr_nothing-here' });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      statuses.push((await refresh(attempt % 2 === 0 ? first : second)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);

    await login(first, 'redis@example.com', WRONG, address).expect(401);
    await login(second, 'redis@example.com', WRONG, address).expect(401);
    const held = await login(first, 'redis@example.com', WRONG, address).expect(429);
    expect(held.headers['retry-after']).toBe('1');
    // Nothing went to PostgreSQL.
    for (const app of [first, second]) {
      const rows = await withClient(app.database.adminUrl, (client) =>
        client.query('SELECT 1 FROM rate_limit_counters'),
      );
      expect(rows.rowCount).toBe(0);
    }
  });
});
