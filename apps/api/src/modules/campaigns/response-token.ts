import { isUuid, randomSecret } from '@app/common';

/**
 * `mcr_<organization id>.<secret>`: the personal link of a participant named by email. The
 * organization id lets the lookup run under that tenant's row-level security, where the secret's
 * SHA-256 (the only form stored) finds the participant. 84 characters, under Fastify's 100 for a
 * path parameter.
 */
const RESPONSE_TOKEN = /^mcr_([0-9a-f-]{36})\.([A-Za-z0-9_-]{40,})$/;

export function issueResponseToken(organizationId: string): string {
  return `mcr_${organizationId}.${randomSecret()}`;
}

/** The organization a token names, or null when it cannot be one of ours. */
export function organizationOfResponseToken(token: string): string | null {
  const match = RESPONSE_TOKEN.exec(token);
  return match && isUuid(match[1]) ? match[1].toLowerCase() : null;
}
