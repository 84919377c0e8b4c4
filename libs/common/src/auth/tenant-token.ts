import { isUuid, randomSecret } from './secrets';

/**
 * `<prefix><organization id>.<secret>`: a bearer token for someone who is not (yet) a member, such
 * as an invitee or the reader of a share link. Nothing else tells which tenant the token lives in,
 * so the organization id lets the lookup run under that organization's row-level security, where
 * the secret's SHA-256 (the only form stored) finds the row. Short and URL-safe, as it travels in
 * a path (Fastify caps a path parameter at 100 characters).
 */
export function issueTenantToken(prefix: string, organizationId: string): string {
  return `${prefix}${organizationId}.${randomSecret()}`;
}

/** The organization a token of this prefix names, or null when it cannot be one of ours. */
export function organizationOfTenantToken(prefix: string, token: string): string | null {
  if (!token.startsWith(prefix)) return null;
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{40,})$/.exec(token.slice(prefix.length));
  return match && isUuid(match[1]) ? match[1] : null;
}
