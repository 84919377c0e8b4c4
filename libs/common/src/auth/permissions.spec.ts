import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project-root';
import { ORGANIZATION_ROLES, PERMISSIONS, roleAllows, scopesAllow } from './permissions';

/** The README's table, rendered from the one permission table in code. */
function renderPermissionTable(): string {
  const header = `| permission | ${ORGANIZATION_ROLES.join(' | ')} | API key scope |`;
  const divider = `|${' --- |'.repeat(ORGANIZATION_ROLES.length + 2)}`;
  const rows = Object.entries(PERMISSIONS).map(([permission, rule]) => {
    const cells = ORGANIZATION_ROLES.map((role) =>
      (rule.roles as readonly string[]).includes(role) ? 'yes' : '-',
    );
    return `| \`${permission}\` | ${cells.join(' | ')} | ${rule.apiKeyScope ? `\`${rule.apiKeyScope}\`` : '-'} |`;
  });
  return [header, divider, ...rows].join('\n');
}

describe('the permission table', () => {
  it('is what the README prints', () => {
    const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
    expect(readme).toContain(renderPermissionTable());
  });

  it('gives owners everything people can do and viewers no writes', () => {
    for (const permission of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      expect(roleAllows('owner', permission)).toBe(true);
      if (!permission.endsWith(':read')) expect(roleAllows('viewer', permission)).toBe(false);
    }
  });

  it('lets API keys act only through a scope a permission names', () => {
    expect(scopesAllow(['assessments:read'], 'teams:read')).toBe(true);
    expect(scopesAllow(['assessments:read'], 'assessments:write')).toBe(false);
    expect(
      scopesAllow(['assessments:write', 'reports:read', 'evidence:write'], 'api-keys:manage'),
    ).toBe(false);
  });
});
