import { sign } from 'jsonwebtoken';
import { signUp } from './support/actors';
import { startTestApp, TEST_JWT_SECRET, TestApp } from './support/test-app';

describe('authentication', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const me = (token: string) =>
    testApp.http().get('/v1/me').set('Authorization', `Bearer ${token}`);
  const claims = (userId: string) => ({ sub: userId });
  const signOptions = { issuer: 'mlops-maturity', audience: 'mlops-maturity-api', expiresIn: 60 };

  describe('sign-up and login', () => {
    it('normalises the email, keeps it unique case-insensitively and never returns the hash', async () => {
      const response = await testApp
        .http()
        .post('/v1/auth/signup')
        .send({
          email: '  Grace.Hopper@Example.COM ',
          password: 'a long enough password',
          name: 'Grace',
        })
        .expect(201);
      expect(response.body.user).toEqual({
        id: expect.any(String),
        email: 'grace.hopper@example.com',
        name: 'Grace',
      });
      expect(response.body).toEqual(
        expect.objectContaining({
          accessToken: expect.any(String),
          refreshToken: expect.stringMatching(/^mmr_/),
          expiresIn: 900,
        }),
      );
      expect(JSON.stringify(response.body)).not.toMatch(/argon2/);
      await testApp
        .http()
        .post('/v1/auth/signup')
        .send({
          email: 'GRACE.HOPPER@example.com',
          password: 'another long password',
          name: 'Copy',
        })
        .expect(409);
    });

    it('refuses short passwords and malformed emails with field errors', async () => {
      const response = await testApp
        .http()
        .post('/v1/auth/signup')
        .send({ email: 'not-an-email', password: 'short', name: 'X' })
        .expect(400);
      expect(response.body.type).toBe('urn:mlops:problem:validation-error');
      expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'email',
        'password',
      ]);
    });

    it('answers an unknown email and a wrong password identically', async () => {
      const user = await signUp(testApp);
      const wrongPassword = await testApp
        .http()
        .post('/v1/auth/login')
        .send({ email: user.email, password: 'not the password at all' })
        .expect(401);
      const unknownEmail = await testApp
        .http()
        .post('/v1/auth/login')
        .send({ email: 'nobody-here@example.com', password: 'not the password at all' })
        .expect(401);
      const { instance: _a, requestId: _b, ...first } = wrongPassword.body;
      const { instance: _c, requestId: _d, ...second } = unknownEmail.body;
      expect(first).toEqual(second);
      const ok = await testApp
        .http()
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(200);
      await me(ok.body.accessToken).expect(200);
    });
  });

  describe('access tokens', () => {
    it('accepts a valid token and refuses a missing one with 401 problem+json', async () => {
      const user = await signUp(testApp);
      await me(user.accessToken).expect(200);
      const missing = await testApp.http().get('/v1/me').expect(401);
      expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it('refuses a tampered signature, alg none, an expired token, a wrong audience or issuer', async () => {
      const user = await signUp(testApp);
      const [header, payload, signature] = user.accessToken.split('.');
      const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('A') ? 'B' : 'A'}A`;
      await me(flipped).expect(401);

      const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString(
        'base64url',
      );
      await me(`${noneHeader}.${payload}.`).expect(401);

      const expired = sign(
        { ...claims(user.id), exp: Math.floor(Date.now() / 1000) - 10 },
        TEST_JWT_SECRET,
        {
          issuer: signOptions.issuer,
          audience: signOptions.audience,
        },
      );
      await me(expired).expect(401);
      await me(
        sign(claims(user.id), TEST_JWT_SECRET, { ...signOptions, audience: 'someone-else' }),
      ).expect(401);
      await me(
        sign(claims(user.id), TEST_JWT_SECRET, { ...signOptions, issuer: 'someone-else' }),
      ).expect(401);
      await me(
        sign(claims(user.id), 'a-different-key-of-sufficient-length-000000', signOptions),
      ).expect(401);
      await me(
        sign(claims(user.id), TEST_JWT_SECRET, { ...signOptions, algorithm: 'HS512' }),
      ).expect(401);
      // The control: the same claims signed correctly are accepted.
      await me(sign(claims(user.id), TEST_JWT_SECRET, signOptions)).expect(200);
    });
  });

  describe('refresh tokens', () => {
    it('rotates on every use; reusing an old one revokes the whole family', async () => {
      const user = await signUp(testApp);
      const first = await testApp
        .http()
        .post('/v1/auth/refresh')
        .send({ refreshToken: user.refreshToken })
        .expect(200);
      expect(first.body.refreshToken).not.toBe(user.refreshToken);
      await me(first.body.accessToken).expect(200);
      const second = await testApp
        .http()
        .post('/v1/auth/refresh')
        .send({ refreshToken: first.body.refreshToken })
        .expect(200);

      const reuse = await testApp
        .http()
        .post('/v1/auth/refresh')
        .send({ refreshToken: user.refreshToken })
        .expect(401);
      expect(reuse.body.detail).toMatch(/already used/);
      // The newest descendant died with the family.
      await testApp
        .http()
        .post('/v1/auth/refresh')
        .send({ refreshToken: second.body.refreshToken })
        .expect(401);

      // Another sign-in of the same user is a different family and keeps working.
      const other = await testApp
        .http()
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(200);
      await testApp
        .http()
        .post('/v1/auth/refresh')
        .send({ refreshToken: other.body.refreshToken })
        .expect(200);
    });

    it('logout revokes the family; unknown tokens are refused', async () => {
      const user = await signUp(testApp);
      const rotated = await testApp
        .http()
        .post('/v1/auth/refresh')
        .send({ refreshToken: user.refreshToken })
        .expect(200);
      await testApp
        .http()
        .post('/v1/auth/logout')
        .send({ refreshToken: rotated.body.refreshToken })
        .expect(204);
      await testApp
        .http()
        .post('/v1/auth/refresh')
        .send({ refreshToken: rotated.body.refreshToken })
        .expect(401);
      await testApp
        .http()
        .post('/v1/auth/refresh')
        .send({ refreshToken: 'mmr_unknown-token-value' })
        .expect(401);
    });
  });
});

describe('sign-in throttling', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({
      AUTH_RATE_LIMIT_PER_ACCOUNT: '3',
      AUTH_RATE_LIMIT_PER_IP: '50',
    });
  });
  afterAll(() => testApp.close());

  it('answers 429 with Retry-After once an account sees too many attempts', async () => {
    const user = await signUp(testApp);
    for (let attempt = 0; attempt < 3; attempt++) {
      await testApp
        .http()
        .post('/v1/auth/login')
        .send({ email: user.email, password: 'wrong password!!' })
        .expect(401);
    }
    const blocked = await testApp
      .http()
      .post('/v1/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(429);
    expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
    expect(blocked.body.type).toBe('urn:mlops:problem:too-many-requests');
    // Another account from the same address is not blocked by this one's attempts.
    const other = await signUp(testApp);
    await testApp
      .http()
      .post('/v1/auth/login')
      .send({ email: other.email, password: other.password })
      .expect(200);
  });
});
