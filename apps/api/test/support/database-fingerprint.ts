import { Client } from 'pg';
import type { TestApp } from './test-app';

/** Per table of the application schema: row count and an md5 over every row's text. */
export type Fingerprint = Record<string, string>;

/**
 * Tables a refused request is meant to change: the rate limits count every attempt, refused ones
 * included (that is what stops a client who keeps sending bad requests).
 */
const COUNTING_TABLES = ['_prisma_migrations', 'rate_limit_counters'];

async function fingerprintWith(client: Client): Promise<Fingerprint> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables
      WHERE schemaname = 'public' AND tablename <> ALL($1) ORDER BY tablename`,
    [COUNTING_TABLES],
  );
  const digests = await client.query<{ name: string; value: string }>(
    tables
      .map(
        ({ name }) =>
          `SELECT ${client.escapeLiteral(name)} AS name,
                  count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') AS value
             FROM public.${client.escapeIdentifier(name)} t`,
      )
      .join(' UNION ALL '),
  );
  return Object.fromEntries(digests.rows.map((row) => [row.name, row.value]));
}

/**
 * Reads a fingerprint of everything the API stores, as the superuser (row-level security does not
 * hide other tenants' rows from it). Two equal fingerprints mean no row was inserted, updated or
 * deleted in between. One connection, kept open, for tests that take many fingerprints.
 */
export async function openFingerprinter(testApp: TestApp) {
  const client = new Client({ connectionString: testApp.database.adminUrl });
  await client.connect();
  return {
    fingerprint: () => fingerprintWith(client),
    close: () => client.end(),
  };
}

export async function databaseFingerprint(testApp: TestApp): Promise<Fingerprint> {
  const fingerprinter = await openFingerprinter(testApp);
  try {
    return await fingerprinter.fingerprint();
  } finally {
    await fingerprinter.close();
  }
}
