import { isUuid, randomSecret } from '@app/common';

export const INVITATION_TOKEN_PREFIX = 'mmi_';

/**
 * `mmi_<organization id>.<secret>`. The invitee is not a member yet, so nothing else tells which
 * tenant the invitation lives in: the organization id lets the lookup run under that
 * organization's row-level security, where the secret's SHA-256 (the only form stored) finds the
 * row. Short and URL-safe, as it travels in the accept path (Fastify caps a path parameter at 100
 * characters).
 */
const INVITATION_TOKEN = /^mmi_([0-9a-f-]{36})\.([A-Za-z0-9_-]{40,})$/;

export function issueInvitationToken(organizationId: string): string {
  return `${INVITATION_TOKEN_PREFIX}${organizationId}.${randomSecret()}`;
}

/** The organization a token names, or null when it cannot be one of ours. */
export function organizationOfInvitationToken(token: string): string | null {
  const match = INVITATION_TOKEN.exec(token);
  return match && isUuid(match[1]) ? match[1] : null;
}
