import { withClient } from './test-database';
import type { TestApp } from './test-app';

/** Per table of the application schema: row count and an md5 over every row's text. */
export type Fingerprint = Record<string, string>;

/**
 * A fingerprint of everything the API stores, read as the superuser (row-level security does not
 * hide other tenants' rows from it). Two equal fingerprints mean no row was inserted, updated or
 * deleted in between.
 */
export async function databaseFingerprint(testApp: TestApp): Promise<Fingerprint> {
  return withClient(testApp.database.adminUrl, async (client) => {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename`,
    );
    const fingerprint: Fingerprint = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ n: string; digest: string | null }>(
        `SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest
           FROM public.${client.escapeIdentifier(name)} t`,
      );
      fingerprint[name] = `${rows[0].n}:${rows[0].digest ?? '-'}`;
    }
    return fingerprint;
  });
}
