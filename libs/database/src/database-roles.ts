import { Client } from 'pg';

/**
 * The two roles the service uses. The owner runs migrations and owns every table; the application
 * role serves requests and is neither owner, superuser nor BYPASSRLS, so row-level security applies
 * to everything it does. Migrations grant privileges to APPLICATION_ROLE by this name.
 */
export const OWNER_ROLE = 'mlops_owner';
export const APPLICATION_ROLE = 'mlops_app';

export interface RoleCredentials {
  ownerPassword: string;
  applicationPassword: string;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function quoteIdentifier(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/**
 * Creates (or re-passwords) both login roles and a database owned by the owner role, using a
 * superuser connection. Idempotent: safe on every start and from parallel test workers.
 */
export async function provisionDatabaseAndRoles(
  adminUrl: string,
  databaseName: string,
  credentials: RoleCredentials,
  template?: string,
): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Roles are cluster-wide; the advisory lock keeps parallel provisioners from racing on them.
    await admin.query('SELECT pg_advisory_lock(727073690)');
    try {
      await ensureLoginRole(admin, OWNER_ROLE, credentials.ownerPassword, 'NOSUPERUSER');
      await ensureLoginRole(
        admin,
        APPLICATION_ROLE,
        credentials.applicationPassword,
        'NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE',
      );
      const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        databaseName,
      ]);
      if (existing.rowCount === 0) {
        const templateClause = template ? ` TEMPLATE ${quoteIdentifier(template)}` : '';
        await admin.query(
          `CREATE DATABASE ${quoteIdentifier(databaseName)} OWNER ${OWNER_ROLE}${templateClause}`,
        );
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(727073690)');
    }
  } finally {
    await admin.end();
  }
}

async function ensureLoginRole(
  admin: Client,
  role: string,
  password: string,
  attributes: string,
): Promise<void> {
  const found = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const verb = found.rowCount === 0 ? 'CREATE' : 'ALTER';
  await admin.query(
    `${verb} ROLE ${role} WITH LOGIN ${attributes} PASSWORD ${quoteLiteral(password)}`,
  );
}

/** Replaces the credentials and database of a connection string. */
export function connectionUrlFor(
  baseUrl: string,
  user: string,
  password: string,
  database: string,
): string {
  const url = new URL(baseUrl);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/**
 * Refuses to serve requests through a role that row-level security would not restrain: a
 * superuser, a BYPASSRLS role, or the owner of the tables.
 */
export async function assertRestrictedApplicationRole(applicationUrl: string): Promise<void> {
  const client = new Client({ connectionString: applicationUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      role: string;
      rolsuper: boolean;
      rolbypassrls: boolean;
      owned_tables: string;
    }>(
      `SELECT r.rolname AS role, r.rolsuper, r.rolbypassrls,
              (SELECT count(*) FROM pg_tables t
                WHERE t.schemaname = 'public' AND t.tableowner = current_user) AS owned_tables
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    const role = rows[0];
    const reasons: string[] = [];
    if (role.rolsuper) reasons.push('is a superuser');
    if (role.rolbypassrls) reasons.push('has BYPASSRLS');
    if (Number(role.owned_tables) > 0) reasons.push('owns the tables');
    if (reasons.length > 0) {
      throw new Error(
        `DATABASE_URL connects as role "${role.role}", which ${reasons.join(' and ')}: row-level ` +
          `security would not apply. Point DATABASE_URL at the application role ` +
          `("${APPLICATION_ROLE}" or a member of it) and DATABASE_MIGRATION_URL at the owner role.`,
      );
    }
  } finally {
    await client.end();
  }
}
