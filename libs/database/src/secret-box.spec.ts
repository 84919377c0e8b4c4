import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox (AES-256-GCM)', () => {
  const box = SecretBox.fromKey(randomBytes(32));

  it('opens what it sealed, and never shows the plaintext in the sealed form', () => {
    const sealed = box.seal('whsec_c2VjcmV0', 'webhook_endpoint:1');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('c2VjcmV0');
    expect(box.open(sealed, 'webhook_endpoint:1')).toBe('whsec_c2VjcmV0');
    // A fresh IV each time: the same secret seals differently.
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses another key, other associated data and any altered byte', () => {
    const sealed = box.seal('secret', 'row:1');
    expect(() => SecretBox.fromKey(randomBytes(32)).open(sealed, 'row:1')).toThrow();
    expect(() => box.open(sealed, 'row:2')).toThrow();
    const [format, iv, tag, data] = sealed.split('.');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] ^= 1;
    expect(() =>
      box.open([format, iv, tag, flipped.toString('base64url')].join('.'), 'row:1'),
    ).toThrow();
    expect(() => box.open('plain text')).toThrow('Not a sealed secret.');
  });

  it('takes exactly 32 key bytes', () => {
    expect(() => SecretBox.fromKey(randomBytes(16))).toThrow(/32 bytes/);
  });
});
