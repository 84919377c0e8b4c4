import { issueTenantToken, organizationOfTenantToken } from '@app/common';

export const INVITATION_TOKEN_PREFIX = 'mmi_';

/** `mmi_<organization id>.<secret>` (see issueTenantToken). */
export function issueInvitationToken(organizationId: string): string {
  return issueTenantToken(INVITATION_TOKEN_PREFIX, organizationId);
}

/** The organization a token names, or null when it cannot be one of ours. */
export function organizationOfInvitationToken(token: string): string | null {
  return organizationOfTenantToken(INVITATION_TOKEN_PREFIX, token);
}
