import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  APPLICATION_ROLE,
  connectionUrlFor,
  OWNER_ROLE,
  provisionDatabaseAndRoles,
  RoleCredentials,
} from '@app/database/database-roles';

/** Fixed credentials for the throwaway test cluster (or the external test server). */
export const TEST_ROLE_CREDENTIALS: RoleCredentials = {
  ownerPassword: 'mlops-owner-test-password',
  applicationPassword: 'mlops-app-test-password',
};

/** Set by the global setup: a superuser URL, and the migrated template every test database copies. */
export function testCluster(): { adminUrl: string; template: string; runId: string } {
  const adminUrl = process.env.MLOPS_TEST_ADMIN_URL;
  const template = process.env.MLOPS_TEST_TEMPLATE;
  const runId = process.env.MLOPS_TEST_RUN_ID;
  if (!adminUrl || !template || !runId) {
    throw new Error('The e2e global setup did not run (run the e2e project through jest).');
  }
  return { adminUrl, template, runId };
}

export interface TestDatabase {
  name: string;
  applicationUrl: string;
  migrationUrl: string;
  adminUrl: string;
}

/** A fresh database for one test file, copied from the migrated template in milliseconds. */
export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const { adminUrl, template, runId } = testCluster();
  const name = `mlops_test_${runId}_${randomBytes(4).toString('hex')}`;
  await provisionDatabaseAndRoles(
    adminUrl,
    name,
    TEST_ROLE_CREDENTIALS,
    options.migrated === false ? undefined : template,
  );
  return {
    name,
    adminUrl: connectionUrlFor(
      adminUrl,
      new URL(adminUrl).username,
      decodeURIComponent(new URL(adminUrl).password),
      name,
    ),
    applicationUrl: connectionUrlFor(
      adminUrl,
      APPLICATION_ROLE,
      TEST_ROLE_CREDENTIALS.applicationPassword,
      name,
    ),
    migrationUrl: connectionUrlFor(adminUrl, OWNER_ROLE, TEST_ROLE_CREDENTIALS.ownerPassword, name),
  };
}

/** Runs SQL on a connection of its own and closes it. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
