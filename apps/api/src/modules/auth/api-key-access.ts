import { Injectable } from '@nestjs/common';
import {
  OrganizationId,
  Permission,
  problems,
  scopesAllow,
  secretMatches,
  type ScopeMeta,
  type TenantScope,
} from '@app/common';
import { AuthRepository } from './auth.repository';

export const API_KEY_PREFIX = 'mmk_';

/** `mmk_<key id, 32 hex>_<secret>`: the id finds the row, the secret is checked against its hash. */
const API_KEY_FORMAT = /^mmk_([0-9a-f]{32})_([A-Za-z0-9_-]{40,})$/;

function keyIdFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A key proven to belong to an organization and to be usable now. */
export interface VerifiedApiKey {
  organizationId: OrganizationId;
  keyId: string;
  scopes: readonly string[];
  needsTouch: boolean;
}

/**
 * Organization API keys, for every transport (the HTTP access guard, GraphQL): the key is proven
 * once per organization, then each permission is checked against its scopes.
 */
@Injectable()
export class ApiKeyAccess {
  constructor(private readonly access: AuthRepository) {}

  /** The key id of a well-formed key; 401 for anything else. */
  keyIdOf(key: string): string {
    const match = API_KEY_FORMAT.exec(key);
    if (!match) throw problems.unauthorized('The API key is malformed.');
    return keyIdFromHex(match[1]);
  }

  async verify(key: string, organizationId: OrganizationId): Promise<VerifiedApiKey> {
    const keyId = this.keyIdOf(key);
    const record = await this.access.apiKeyOfOrganization(organizationId, keyId);
    // A key of another organization is not found in this one: 404, like every foreign id.
    if (!record) throw problems.notFound('Organization');
    if (!secretMatches(key, record.secretHash))
      throw problems.unauthorized('The API key is not valid.');
    if (record.revokedAt) throw problems.unauthorized('The API key was revoked.');
    if (record.expiresAt && record.expiresAt <= new Date()) {
      throw problems.unauthorized('The API key expired.');
    }
    return {
      organizationId,
      keyId,
      scopes: record.scopes,
      // At most once a minute: one write per key.
      needsTouch: !record.lastUsedAt || Date.now() - record.lastUsedAt.getTime() >= 60_000,
    };
  }

  /**
   * The key's scope for one permission; 403 when its scopes do not allow it. The key is marked used
   * only once its secret is proven and a scope admitted it.
   */
  async scopeFor(
    key: VerifiedApiKey,
    permission: Permission,
    meta: ScopeMeta,
  ): Promise<TenantScope> {
    if (!scopesAllow(key.scopes, permission)) {
      throw problems.forbidden(`The API key's scopes do not allow this (needs ${permission}).`);
    }
    if (key.needsTouch) {
      key.needsTouch = false;
      await this.access.touchApiKey(key.organizationId, key.keyId);
    }
    return {
      organizationId: key.organizationId,
      actor: { kind: 'api_key', apiKeyId: key.keyId, scopes: key.scopes },
      meta,
    };
  }
}
