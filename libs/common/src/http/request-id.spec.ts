import type { IncomingMessage } from 'node:http';
import { requestIdOf } from './request-id';

const request = (headers: Record<string, string | string[]> = {}) =>
  ({ headers }) as unknown as IncomingMessage;

describe('requestIdOf', () => {
  it('takes a sane X-Request-Id from the client', () => {
    expect(requestIdOf(request({ 'x-request-id': 'trace-abc.123:4_5' }))).toBe('trace-abc.123:4_5');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['with spaces', 'a b'],
    ['with a newline (log injection)', 'abc\ninjected'],
    ['too long', 'x'.repeat(129)],
    ['repeated', ['a', 'b']],
  ])('generates a UUID when the header is %s', (_label, value) => {
    const id = requestIdOf(request(value === undefined ? {} : { 'x-request-id': value }));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('answers the same id every time for one request (Fastify and pino agree)', () => {
    const raw = request();
    const first = requestIdOf(raw);
    expect(requestIdOf(raw)).toBe(first);
    expect(requestIdOf(request())).not.toBe(first);
  });
});
