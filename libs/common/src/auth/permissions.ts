/**
 * Who may do what: the one permission table. Guards read it; the README prints it; a test runs
 * every role against every kind of write. API keys act only through the scope a permission names
 * (null: people only).
 */
export const ORGANIZATION_ROLES = ['owner', 'admin', 'assessor', 'member', 'viewer'] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];

export const API_KEY_SCOPES = [
  'assessments:read',
  'assessments:write',
  'reports:read',
  'evidence:write',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const EVERYONE: readonly OrganizationRole[] = ORGANIZATION_ROLES;
const MANAGERS: readonly OrganizationRole[] = ['owner', 'admin'];

export const PERMISSIONS = {
  'organization:read': { roles: EVERYONE, apiKeyScope: 'assessments:read' },
  'organization:update': { roles: MANAGERS, apiKeyScope: null },
  'organization:delete': { roles: ['owner'], apiKeyScope: null },
  'members:read': { roles: EVERYONE, apiKeyScope: null },
  'members:manage': { roles: MANAGERS, apiKeyScope: null },
  'invitations:manage': { roles: MANAGERS, apiKeyScope: null },
  'teams:read': { roles: EVERYONE, apiKeyScope: 'assessments:read' },
  'teams:write': { roles: MANAGERS, apiKeyScope: null },
  'api-keys:manage': { roles: MANAGERS, apiKeyScope: null },
  'audit:read': { roles: MANAGERS, apiKeyScope: null },
  'models:read': { roles: EVERYONE, apiKeyScope: 'assessments:read' },
  'models:write': { roles: MANAGERS, apiKeyScope: null },
  'assessments:read': { roles: EVERYONE, apiKeyScope: 'assessments:read' },
  'assessments:write': { roles: ['owner', 'admin', 'assessor'], apiKeyScope: 'assessments:write' },
  'reports:read': { roles: EVERYONE, apiKeyScope: 'reports:read' },
  'integrations:manage': { roles: MANAGERS, apiKeyScope: null },
  'evidence:write': { roles: MANAGERS, apiKeyScope: 'evidence:write' },
  'campaigns:read': { roles: ['owner', 'admin', 'assessor'], apiKeyScope: 'assessments:read' },
  'campaigns:manage': { roles: ['owner', 'admin', 'assessor'], apiKeyScope: 'assessments:write' },
  'campaigns:respond': { roles: ['owner', 'admin', 'assessor', 'member'], apiKeyScope: null },
  'webhooks:manage': { roles: MANAGERS, apiKeyScope: null },
  'roadmaps:read': { roles: EVERYONE, apiKeyScope: 'assessments:read' },
  'roadmaps:write': { roles: ['owner', 'admin', 'assessor'], apiKeyScope: 'assessments:write' },
  // Admitted roles may try; the use case then lets through managers, the team's leads and the
  // item's owner only (a person, so no API key scope).
  'roadmap-items:update': { roles: ['owner', 'admin', 'assessor', 'member'], apiKeyScope: null },
  'report-links:manage': { roles: MANAGERS, apiKeyScope: null },
} as const satisfies Record<
  string,
  { roles: readonly OrganizationRole[]; apiKeyScope: ApiKeyScope | null }
>;

export type Permission = keyof typeof PERMISSIONS;

export function roleAllows(role: OrganizationRole, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly OrganizationRole[]).includes(role);
}

export function scopesAllow(scopes: readonly string[], permission: Permission): boolean {
  const scope = PERMISSIONS[permission].apiKeyScope as ApiKeyScope | null;
  return scope !== null && scopes.includes(scope);
}
