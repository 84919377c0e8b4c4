import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A secret the service keeps for itself in the database (readable by the owner role only), created
 * on first use. Every instance on the same database then agrees on it, and it survives restarts:
 * access tokens stay valid across a restart of the embedded default.
 */
export async function readOrCreateServiceSecret(ownerUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO service_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
      [name, randomBytes(48).toString('base64url')],
    );
    const { rows } = await client.query<{ value: string }>(
      'SELECT value FROM service_secrets WHERE name = $1',
      [name],
    );
    return rows[0].value;
  } finally {
    await client.end();
  }
}
