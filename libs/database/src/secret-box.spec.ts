import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('k'.repeat(32));

  it('opens what it sealed, for the same context only', () => {
    const sealed = box.seal('whsec_abc', 'integration 1');
    expect(sealed).not.toContain('whsec_abc');
    expect(box.open(sealed, 'integration 1')).toBe('whsec_abc');
    expect(() => box.open(sealed, 'integration 2')).toThrow();
  });

  it('seals the same secret differently each time (random IV)', () => {
    expect(box.seal('s', 'c')).not.toBe(box.seal('s', 'c'));
  });

  it('refuses a tampered value and another key', () => {
    const sealed = box.seal('secret', 'c');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => box.open(parts.join('.'), 'c')).toThrow();
    expect(() => new SecretBox('x'.repeat(32)).open(sealed, 'c')).toThrow();
    expect(() => box.open('garbage', 'c')).toThrow('not a sealed secret');
  });

  it('refuses short key material', () => {
    expect(() => new SecretBox('short')).toThrow();
  });
});
