import { forbiddenAddress } from './address-guard';
import { decide, MAX_ATTEMPTS, retryAfterSeconds } from './delivery-policy';

const now = new Date('2026-11-30T12:00:00Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('webhook delivery policy', () => {
  it('follows the Standard Webhooks schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h', () => {
    const delays = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400];
    delays.forEach((delay, index) => {
      expect(decide(index + 1, { kind: 'response', status: 500 }, now)).toEqual({
        status: 'pending',
        error: 'HTTP 500',
        nextAttemptAt: later(delay),
      });
    });
    expect(MAX_ATTEMPTS).toBe(10);
    expect(decide(10, { kind: 'error', message: 'ECONNREFUSED' }, now)).toEqual({
      status: 'failed',
      error: 'ECONNREFUSED',
    });
  });

  it('succeeds on 2xx only, disables on 410, never retries a refused address', () => {
    expect(decide(1, { kind: 'response', status: 204 }, now)).toEqual({ status: 'succeeded' });
    expect(decide(1, { kind: 'response', status: 302 }, now).status).toBe('pending');
    expect(decide(3, { kind: 'response', status: 410 }, now)).toMatchObject({
      status: 'failed',
      disableEndpoint: expect.stringContaining('410'),
    });
    expect(decide(1, { kind: 'refused', message: 'refused: 127.0.0.1 is loopback' }, now)).toEqual({
      status: 'failed',
      error: 'refused: 127.0.0.1 is loopback',
    });
  });

  it('honours Retry-After (seconds or HTTP-date) when longer than the schedule, up to a day', () => {
    expect(decide(1, { kind: 'response', status: 503, retryAfter: '120' }, now)).toMatchObject({
      nextAttemptAt: later(120),
    });
    expect(decide(2, { kind: 'response', status: 429, retryAfter: '1' }, now)).toMatchObject({
      nextAttemptAt: later(300),
    });
    expect(
      decide(
        1,
        { kind: 'response', status: 503, retryAfter: 'Mon, 30 Nov 2026 13:00:00 GMT' },
        now,
      ),
    ).toMatchObject({ nextAttemptAt: later(3600) });
    expect(decide(1, { kind: 'response', status: 503, retryAfter: '999999' }, now)).toMatchObject({
      nextAttemptAt: later(86400),
    });
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
  });
});

describe('forbiddenAddress (SSRF guard)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.31.255.1', 'private'],
    ['192.168.0.10', 'private'],
    ['169.254.169.254', 'metadata'],
    ['100.100.100.200', 'carrier-grade'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(forbiddenAddress(address)).toContain(reason);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1'])(
    'allows %s',
    (address) => {
      expect(forbiddenAddress(address)).toBeNull();
    },
  );
});
