import { deliveryIdOf, eventOf, redactHeaders } from './index';

describe('deliveryIdOf', () => {
  it('reads each provider its own header', () => {
    expect(
      deliveryIdOf('github', { 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' }),
    ).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(deliveryIdOf('generic', { 'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' })).toBe(
      'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
    );
  });

  it('prefers GitLab Idempotency-Key, then X-Gitlab-Event-UUID', () => {
    expect(deliveryIdOf('gitlab', { 'idempotency-key': 'k-1', 'x-gitlab-event-uuid': 'u-1' })).toBe(
      'k-1',
    );
    expect(deliveryIdOf('gitlab', { 'x-gitlab-event-uuid': 'u-1' })).toBe('u-1');
    expect(deliveryIdOf('gitlab', { 'idempotency-key': ' ', 'x-gitlab-event-uuid': 'u-1' })).toBe(
      'u-1',
    );
  });

  it('says null for a missing, blank or absurdly long id, and ignores other providers’ headers', () => {
    expect(deliveryIdOf('github', {})).toBeNull();
    expect(deliveryIdOf('github', { 'x-github-delivery': '   ' })).toBeNull();
    expect(deliveryIdOf('github', { 'x-github-delivery': 'x'.repeat(257) })).toBeNull();
    expect(deliveryIdOf('github', { 'webhook-id': 'msg_1' })).toBeNull();
    expect(deliveryIdOf('gitlab', { 'x-github-delivery': 'd' })).toBeNull();
  });
});

describe('eventOf', () => {
  it('reads GitHub and GitLab headers and the Standard Webhooks body type', () => {
    expect(eventOf('github', { 'x-github-event': 'workflow_run' }, {})).toBe('workflow_run');
    expect(eventOf('gitlab', { 'x-gitlab-event': 'Pipeline Hook' }, {})).toBe('Pipeline Hook');
    expect(eventOf('generic', {}, { type: 'evidence.reported' })).toBe('evidence.reported');
  });

  it.each([null, [], 'evidence.reported', { type: 42 }, { type: '' }, {}])(
    'says null for a generic body %p',
    (body) => {
      expect(eventOf('generic', {}, body)).toBeNull();
    },
  );
});

describe('redactHeaders', () => {
  it('drops every credential and keeps the rest', () => {
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/abc',
      'x-github-delivery': 'd-1',
      'x-github-event': 'ping',
      'idempotency-key': 'k-1',
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1700000000',
      'x-hub-signature': 'sha1=abc',
      'x-hub-signature-256': 'sha256=abc',
      'x-gitlab-token': 'secret',
      'webhook-signature': 'v1,abc',
      authorization: 'Bearer abc',
      'proxy-authorization': 'Basic abc',
      cookie: 'session=abc',
      'x-custom-token': 'abc',
      'x-client-secret': 'abc',
      'x-buildkite-signature': 'abc',
      'x-db-password': 'abc',
      'x-api-key': 'abc',
      'x-absent': undefined,
    };
    expect(redactHeaders(headers)).toEqual({
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/abc',
      'x-github-delivery': 'd-1',
      'x-github-event': 'ping',
      'idempotency-key': 'k-1',
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1700000000',
    });
  });

  it('matches credential names whatever their case, and keeps a __proto__ header as data', () => {
    const redacted = redactHeaders(
      JSON.parse('{"X-Gitlab-Token":"s","Authorization":"b","__proto__":"p"}'),
    );
    expect(Object.keys(redacted)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
  });
});
