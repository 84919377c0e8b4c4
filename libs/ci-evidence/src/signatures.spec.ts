import { createHmac } from 'node:crypto';
import {
  newWebhookSecret,
  signStandardWebhook,
  verifyGithubSignature,
  verifyGitlabToken,
  verifyStandardWebhook,
} from './index';

describe('verifyGithubSignature', () => {
  // GitHub's documented test vector ("Validating webhook deliveries").
  const secret = "It's a Secret to Everybody";
  const body = Buffer.from('Hello, World!');
  const documented = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it("accepts GitHub's documented vector, in upper-case hex too", () => {
    expect(verifyGithubSignature(secret, body, documented)).toBe(true);
    expect(
      verifyGithubSignature(secret, body, documented.toUpperCase().replace('SHA256', 'sha256')),
    ).toBe(true);
  });

  it('refuses another secret, one changed byte, and the body signed with sha1', () => {
    expect(verifyGithubSignature('another secret', body, documented)).toBe(false);
    expect(verifyGithubSignature(secret, Buffer.from('Hello, World?'), documented)).toBe(false);
    const sha1 = createHmac('sha1', secret).update(body).digest('hex');
    expect(verifyGithubSignature(secret, body, `sha1=${sha1}`)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['no digest', 'sha256='],
    ['short digest', 'sha256=abc'],
    ['non-hex digest', `sha256=${'z'.repeat(64)}`],
    ['long digest', `sha256=${'a'.repeat(66)}`],
    ['another algorithm', `sha512=${'a'.repeat(64)}`],
    ['100 kB of garbage', 'x'.repeat(100_000)],
    ['control characters', '\u0000\uffff'],
  ])('never throws on a %s header, and says false', (_label, header) => {
    expect(verifyGithubSignature(secret, body, header)).toBe(false);
  });

  it('refuses everything when the secret is empty', () => {
    const signature = `sha256=${createHmac('sha256', '').update(body).digest('hex')}`;
    expect(verifyGithubSignature('', body, signature)).toBe(false);
  });
});

describe('verifyGitlabToken', () => {
  it('accepts the exact token only', () => {
    expect(verifyGitlabToken('s3cret-token', 's3cret-token')).toBe(true);
    expect(verifyGitlabToken('s3cret-token', 's3cret-tokeN')).toBe(false);
    expect(verifyGitlabToken('s3cret-token', 's3cret-token ')).toBe(false);
    expect(verifyGitlabToken('s3cret-token', 's3cret')).toBe(false);
    expect(verifyGitlabToken('s3cret-token', 'x'.repeat(10_000))).toBe(false);
  });

  it('refuses a missing or empty token, and an empty secret', () => {
    expect(verifyGitlabToken('s3cret-token', undefined)).toBe(false);
    expect(verifyGitlabToken('s3cret-token', '')).toBe(false);
    expect(verifyGitlabToken('', '')).toBe(false);
  });
});

describe('Standard Webhooks', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const now = new Date('2026-11-30T06:00:00Z');
  const body = Buffer.from(
    '{"type":"evidence.reported","data":{"teamId":"t","signal":"x","passed":true}}',
  );
  const headersFor = (signature: string, timestamp = now, id = 'msg_1') => ({
    id,
    timestamp: String(Math.floor(timestamp.getTime() / 1000)),
    signature,
  });

  it("reproduces the specification's test vector", () => {
    // From the Standard Webhooks specification and the package's own tests.
    const vectorBody = '{"test": 2432232314}';
    const signature = signStandardWebhook(
      secret,
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      new Date(1614265330 * 1000),
      vectorBody,
    );
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('round-trips: what signStandardWebhook signs, verifyStandardWebhook accepts', () => {
    const signature = signStandardWebhook(secret, 'msg_1', now, body);
    expect(verifyStandardWebhook(secret, body, headersFor(signature), now)).toBe('ok');
    expect(signStandardWebhook(secret, 'msg_1', now, body.toString())).toBe(signature);
  });

  it('accepts any of several space-separated signatures (secret rotation)', () => {
    const oldSecret = newWebhookSecret('generic');
    const both = `${signStandardWebhook(oldSecret, 'msg_1', now, body)} ${signStandardWebhook(secret, 'msg_1', now, body)}`;
    expect(verifyStandardWebhook(secret, body, headersFor(both), now)).toBe('ok');
    expect(verifyStandardWebhook(oldSecret, body, headersFor(both), now)).toBe('ok');
    expect(verifyStandardWebhook(newWebhookSecret('generic'), body, headersFor(both), now)).toBe(
      'bad_signature',
    );
  });

  it('refuses one changed byte of the body, another id, and a v2 or unversioned signature', () => {
    const signature = signStandardWebhook(secret, 'msg_1', now, body);
    const changed = Buffer.from(body);
    changed[10] ^= 1;
    expect(verifyStandardWebhook(secret, changed, headersFor(signature), now)).toBe(
      'bad_signature',
    );
    expect(verifyStandardWebhook(secret, body, headersFor(signature, now, 'msg_2'), now)).toBe(
      'bad_signature',
    );
    const digest = signature.slice('v1,'.length);
    expect(verifyStandardWebhook(secret, body, headersFor(`v2,${digest}`), now)).toBe(
      'bad_signature',
    );
    expect(verifyStandardWebhook(secret, body, headersFor(digest), now)).toBe('bad_signature');
  });

  it('refuses timestamps more than 5 minutes off, in both directions, and accepts the edges', () => {
    for (const offsetSeconds of [-301, 301, -86_400, 86_400]) {
      const at = new Date(now.getTime() + offsetSeconds * 1000);
      const signature = signStandardWebhook(secret, 'msg_1', at, body);
      expect(verifyStandardWebhook(secret, body, headersFor(signature, at), now)).toBe(
        'stale_timestamp',
      );
    }
    for (const offsetSeconds of [-300, 300]) {
      const at = new Date(now.getTime() + offsetSeconds * 1000);
      const signature = signStandardWebhook(secret, 'msg_1', at, body);
      expect(verifyStandardWebhook(secret, body, headersFor(signature, at), now)).toBe('ok');
    }
  });

  it('says which header is missing or unreadable, without throwing', () => {
    const signature = signStandardWebhook(secret, 'msg_1', now, body);
    const full = headersFor(signature);
    expect(verifyStandardWebhook(secret, body, { ...full, id: undefined }, now)).toBe(
      'missing_headers',
    );
    expect(verifyStandardWebhook(secret, body, { ...full, timestamp: '' }, now)).toBe(
      'missing_headers',
    );
    expect(verifyStandardWebhook(secret, body, { ...full, signature: undefined }, now)).toBe(
      'missing_headers',
    );
    expect(
      verifyStandardWebhook(secret, body, { ...full, timestamp: `${full.timestamp}abc` }, now),
    ).toBe('missing_headers');
    expect(verifyStandardWebhook(secret, body, { ...full, timestamp: '-1' }, now)).toBe(
      'missing_headers',
    );
    for (const garbage of ['v1,', 'v1,!!!', ' ', 'x'.repeat(50_000), 'v1,a v1,b '.repeat(1000)]) {
      expect(verifyStandardWebhook(secret, body, { ...full, signature: garbage }, now)).toBe(
        'bad_signature',
      );
    }
  });

  it('refuses a body that is not valid UTF-8 (the package signs the decoded text)', () => {
    const invalid = Buffer.from([0x7b, 0xff, 0x7d]);
    const lookalike = Buffer.from([0x7b, 0xfe, 0x7d]);
    const signature = signStandardWebhook(secret, 'msg_1', now, invalid);
    // Both decode to "{\ufffd}": without the UTF-8 check one would pass for the other.
    expect(signStandardWebhook(secret, 'msg_1', now, lookalike)).toBe(signature);
    expect(verifyStandardWebhook(secret, invalid, headersFor(signature), now)).toBe(
      'bad_signature',
    );
  });

  it('says bad_signature (not a crash) for an unusable stored secret', () => {
    expect(verifyStandardWebhook('whsec_', body, headersFor('v1,abc'), now)).toBe('bad_signature');
  });
});

describe('newWebhookSecret', () => {
  it('gives whsec_ + base64 of 32 random bytes for Standard Webhooks', () => {
    const secret = newWebhookSecret('generic');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret('generic')).not.toBe(secret);
  });

  it.each(['github', 'gitlab'] as const)(
    'gives a long url-safe printable token for %s',
    (provider) => {
      const secret = newWebhookSecret(provider);
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(secret.length).toBeLessThanOrEqual(255);
    },
  );
});
