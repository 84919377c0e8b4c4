import type { Client } from 'pg';
import { createOrganization, signUp } from './support/actors';
import { withClient } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Row-level security proven at the database, as the application role the service connects with,
 * independently of the application code that normally sets the tenant.
 */
describe('row-level security', () => {
  let testApp: TestApp;
  let organizationA: string;
  let organizationB: string;
  let teamA: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    const ownerA = await signUp(testApp);
    const ownerB = await signUp(testApp);
    organizationA = await createOrganization(testApp, ownerA);
    organizationB = await createOrganization(testApp, ownerB);
    const team = await testApp
      .http()
      .post(`/v1/organizations/${organizationA}/teams`)
      .set(ownerA.auth)
      .send({ name: 'A team', slug: 'a-team' })
      .expect(201);
    teamA = team.body.id;
    await testApp
      .http()
      .post(`/v1/organizations/${organizationB}/teams`)
      .set(ownerB.auth)
      .send({ name: 'B team', slug: 'b-team' })
      .expect(201);
  });
  afterAll(() => testApp.close());

  const asApplication = <T>(work: (client: Client) => Promise<T>) =>
    withClient(testApp.database.applicationUrl, async (client) => {
      await client.query('SET ROLE mlops_app');
      return work(client);
    });

  async function inTenant<T>(
    client: Client,
    organizationId: string,
    work: () => Promise<T>,
  ): Promise<T> {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('app.organization_id', $1, true)`, [organizationId]);
      return await work();
    } finally {
      await client.query('ROLLBACK');
    }
  }

  it('connects as a role that is neither superuser, BYPASSRLS nor the tables’ owner', async () => {
    const role = await asApplication((client) =>
      client.query(`SELECT rolsuper, rolbypassrls,
                           (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public'
                              AND tableowner = current_user) AS owned
                      FROM pg_roles WHERE rolname = current_user`),
    );
    expect(role.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it('enables and forces row-level security on every table that has organization_id', async () => {
    const unprotected = await withClient(testApp.database.adminUrl, (client) =>
      client.query(`SELECT c.relname FROM pg_class c
                      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'organization_id'
                     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
                       AND NOT (c.relrowsecurity AND c.relforcerowsecurity)`),
    );
    expect(unprotected.rows).toEqual([]);
  });

  it('shows no tenant rows without the setting', async () => {
    const tenantTables = await withClient(testApp.database.adminUrl, (client) =>
      client.query<{ relname: string }>(`SELECT c.relname FROM pg_class c
                      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'organization_id'
                     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'`),
    );
    expect(tenantTables.rows.length).toBeGreaterThan(5);
    await asApplication(async (client) => {
      for (const { relname } of tenantTables.rows) {
        const visible = await client.query(
          `SELECT count(*)::int AS n FROM "${relname}" WHERE organization_id IS NOT NULL`,
        );
        expect({ table: relname, rows: visible.rows[0].n }).toEqual({ table: relname, rows: 0 });
      }
      const organizations = await client.query('SELECT count(*)::int AS n FROM organizations');
      expect(organizations.rows[0].n).toBe(0);
    });
  });

  it("shows only the tenant's own rows with the setting, and another tenant's id shows that tenant only", async () => {
    await asApplication(async (client) => {
      const seenByA = await inTenant(client, organizationA, () =>
        client.query('SELECT organization_id FROM teams'),
      );
      expect(seenByA.rows).toEqual([{ organization_id: organizationA }]);
      const seenByB = await inTenant(client, organizationB, () =>
        client.query('SELECT organization_id, id FROM teams WHERE id = $1', [teamA]),
      );
      expect(seenByB.rows).toEqual([]);
    });
  });

  it('refuses to insert or move a row into another tenant', async () => {
    await asApplication(async (client) => {
      await expect(
        inTenant(client, organizationA, () =>
          client.query(
            `INSERT INTO teams (organization_id, name, slug, updated_at) VALUES ($1, 'x', 'x', now())`,
            [organizationB],
          ),
        ),
      ).rejects.toThrow(/row-level security/);
      await expect(
        inTenant(client, organizationA, () =>
          client.query('UPDATE teams SET organization_id = $1 WHERE id = $2', [
            organizationB,
            teamA,
          ]),
        ),
      ).rejects.toThrow(/row-level security|violates foreign key/);
      // Without any setting nothing can be written either.
      await expect(
        client.query(
          `INSERT INTO teams (organization_id, name, slug, updated_at) VALUES ($1, 'y', 'y', now())`,
          [organizationA],
        ),
      ).rejects.toThrow(/row-level security/);
    });
  });

  it('keeps the audit log append-only for the application role', async () => {
    await asApplication(async (client) => {
      await expect(
        inTenant(client, organizationA, () =>
          client.query(`UPDATE audit_events SET action = 'forged'`),
        ),
      ).rejects.toThrow(/permission denied/);
      await expect(
        inTenant(client, organizationA, () => client.query('DELETE FROM audit_events')),
      ).rejects.toThrow(/permission denied/);
      const inserted = await inTenant(client, organizationA, () =>
        client.query(
          `INSERT INTO audit_events (organization_id, actor_type, action, entity_type)
           VALUES ($1, 'system', 'probe', 'test') RETURNING id`,
          [organizationA],
        ),
      );
      expect(inserted.rowCount).toBe(1);
    });
  });

  it('keeps the JWT signing key away from the application role', async () => {
    await asApplication(async (client) => {
      await expect(client.query('SELECT * FROM service_secrets')).rejects.toThrow(
        /permission denied/,
      );
    });
  });
});
