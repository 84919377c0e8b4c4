import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { readOrCreateServiceSecret } from './service-secrets';

const FORMAT = 'v1';
const IV_BYTES = 12;
/** The service_secrets row that holds the key when SECRETS_KEY is not configured. */
export const SECRET_BOX_SERVICE_SECRET = 'secret-box-key';

/**
 * Encrypts secrets the service must be able to read back (outbound webhook signing secrets, CI
 * integration secrets) with AES-256-GCM before they are stored: `v1.<iv>.<tag>.<ciphertext>`
 * (base64url). The optional associated data binds a sealed value to its record (say
 * `webhook_endpoint:<id>`): a value copied onto another row does not open. One generic helper
 * for every feature that stores such secrets; node:crypto does the cryptography.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new Error('The secret box key must be 32 bytes (AES-256).');
    return new SecretBox(key);
  }

  /**
   * The key derived (HKDF-SHA256) from SECRETS_KEY (any text of 32+ characters), or else from a
   * secret generated once and kept in service_secrets (owner role only), so every instance and
   * restart agrees on it, as with the JWT signing key.
   */
  static async load(configuredKey: string | undefined, ownerUrl: string): Promise<SecretBox> {
    const material =
      configuredKey ?? (await readOrCreateServiceSecret(ownerUrl, SECRET_BOX_SERVICE_SECRET));
    if (material.length < 32) throw new Error('The secrets key needs 32+ characters.');
    return SecretBox.fromKey(
      Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), 'mlops secret box v1', 32)),
    );
  }

  seal(plaintext: string, associatedData = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [FORMAT, iv, tag, ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws when the value was not sealed by this key for this associated data, or was altered. */
  open(sealed: string, associatedData = ''): string {
    const [format, iv, tag, ciphertext, ...rest] = sealed.split('.');
    if (format !== FORMAT || !iv || !tag || ciphertext === undefined || rest.length > 0) {
      throw new Error('Not a sealed secret.');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}
