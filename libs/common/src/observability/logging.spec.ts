import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerParams, REDACTED_PATHS } from './logging';

/** A pino logger configured exactly as the app's, writing JSON lines into an array. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  const params = loggerParams('info').pinoHttp as { redact: pino.LoggerOptions['redact'] };
  return { logger: pino({ redact: params.redact }, stream), lines };
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

  it('logs at the configured level and skips probe and scrape requests', () => {
    const params = loggerParams('warn').pinoHttp as {
      level: string;
      autoLogging: { ignore: (request: { url?: string }) => boolean };
      customLogLevel: (req: unknown, res: { statusCode: number }, error?: Error) => string;
    };
    expect(params.level).toBe('warn');
    expect(params.autoLogging.ignore({ url: '/health/ready' })).toBe(true);
    expect(params.autoLogging.ignore({ url: '/metrics' })).toBe(true);
    expect(params.autoLogging.ignore({ url: '/v1/me' })).toBe(false);
    expect(params.customLogLevel({}, { statusCode: 200 })).toBe('info');
    expect(params.customLogLevel({}, { statusCode: 404 })).toBe('warn');
    expect(params.customLogLevel({}, { statusCode: 503 })).toBe('error');
    expect(params.customLogLevel({}, { statusCode: 200 }, new Error('x'))).toBe('error');
  });
});
