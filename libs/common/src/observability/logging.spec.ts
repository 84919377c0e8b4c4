import { Writable } from 'node:stream';
import pino from 'pino';
import { createRootLogger, levelForStatus, REDACTED_PATHS, redactUrl } from './logging';

/** A pino logger configured exactly as the app's, writing JSON lines into an array. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createRootLogger('info', stream as unknown as pino.DestinationStream), lines };
}

describe('log redaction', () => {
  it('never writes credentials, cookies, API keys or webhook signatures', () => {
    const { logger, lines } = capturingLogger();
    logger.info(
      {
        req: {
          method: 'POST',
          url: '/v1/webhooks/github',
          headers: {
            authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.secret-token',
            cookie: 'session=cookie-secret',
            'x-api-key': 'mlops_live_key-secret',
            'x-hub-signature-256': 'sha256=signature-secret',
            'x-hub-signature': 'sha1=signature-secret-1',
            'webhook-signature': 'v1,webhook-secret',
            'x-gitlab-token': 'gitlab-secret',
            'user-agent': 'curl/8',
          },
        },
        res: { statusCode: 200, headers: { 'set-cookie': 'session=set-cookie-secret' } },
        body: { password: 'password-secret', refreshToken: 'refresh-secret', email: 'a@b.c' },
      },
      'request completed',
    );
    expect(lines).toHaveLength(1);
    const text = JSON.stringify(lines[0]);
    expect(text).not.toMatch(/secret/);
    const headers = (lines[0].req as { headers: Record<string, string> }).headers;
    expect(headers.authorization).toBe('[redacted]');
    expect(headers.cookie).toBe('[redacted]');
    expect(headers['x-hub-signature-256']).toBe('[redacted]');
    expect(headers['user-agent']).toBe('curl/8'); // harmless headers stay
    expect((lines[0].body as Record<string, string>).email).toBe('a@b.c');
  });

  it('covers the headers that carry secrets', () => {
    for (const header of ['authorization', 'cookie', 'x-api-key', 'x-hub-signature-256']) {
      expect(REDACTED_PATHS.some((path) => path.includes(header))).toBe(true);
    }
  });

  it('picks the level from the status', () => {
    expect(levelForStatus(200)).toBe('info');
    expect(levelForStatus(404)).toBe('warn');
    expect(levelForStatus(503)).toBe('error');
  });

  it('redacts credentials from URLs: query values, the old invitation path, opaque tokens', () => {
    expect(redactUrl('/v1/x?token=abc&page=2&api_key=k&password=p')).toBe(
      '/v1/x?token=[redacted]&page=2&api_key=[redacted]&password=[redacted]',
    );
    expect(redactUrl('/v1/invitations/mmi_org.secret/accept')).toBe(
      '/v1/invitations/[redacted]/accept',
    );
    expect(redactUrl('/v1/anything/mmr_refreshsecret')).toBe('/v1/anything/[redacted]');
    expect(redactUrl('/v1/organizations/1/teams?limit=5')).toBe(
      '/v1/organizations/1/teams?limit=5',
    );
  });
});
