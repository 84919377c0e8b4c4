import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import {
  IS_PUBLIC,
  OrganizationId,
  SCOPE_ON_REQUEST,
  isUuid,
  Permission,
  problems,
  REQUIRED_PERMISSION,
  roleAllows,
  scopesAllow,
  secretMatches,
} from '@app/common';
import type { ScopedRequest, ScopeMeta, TenantScope, UserScope } from '@app/common';
import { AuthRepository } from './auth.repository';

export const API_KEY_PREFIX = 'mmk_';
/** `mmk_<key id, 32 hex>_<secret>`: the id finds the row, the secret is checked against its hash. */
const API_KEY_FORMAT = /^mmk_([0-9a-f]{32})_([A-Za-z0-9_-]{40,})$/;

function keyIdFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The one global guard, in a fixed order: who is calling (JWT through passport-jwt, or an
 * organization API key), then for routes under /v1/organizations/{orgId} whether the caller
 * belongs to that organization (404 when not: another tenant's ids are never confirmed), then
 * whether the role or key scope allows the route's permission (403). What it established becomes
 * the request's scope (a TenantScope under an organization, a UserScope elsewhere), which
 * controllers hand to the use cases explicitly.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly jwtGuard = new (AuthGuard('jwt'))();

  constructor(
    private readonly reflector: Reflector,
    private readonly access: AuthRepository,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    const request = execution.switchToHttp().getRequest<FastifyRequest & ScopedRequest>();
    const meta: ScopeMeta = {
      requestId: request.id,
      ip: request.ip,
      userAgent: request.headers['user-agent'],
    };
    const targets = [execution.getHandler(), execution.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const organizationParam = (request.params as Record<string, string | undefined>)?.orgId;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(
      REQUIRED_PERMISSION,
      targets,
    );
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
    if (!bearer) throw problems.unauthorized();

    if (bearer.startsWith(API_KEY_PREFIX)) {
      request[SCOPE_ON_REQUEST] = await this.authoriseApiKey(
        bearer,
        organizationParam,
        permission,
        meta,
      );
      return true;
    }
    await this.jwtGuard.canActivate(execution);
    const { userId } = (request as FastifyRequest & { user: { userId: string } }).user;
    if (organizationParam === undefined) {
      request[SCOPE_ON_REQUEST] = { actor: { kind: 'user', userId }, meta } satisfies UserScope;
      return true;
    }

    const organizationId = this.organizationIdOrNotFound(organizationParam);
    const role = await this.access.membershipRole(organizationId, userId);
    if (!role) throw problems.notFound('Organization');
    const required = this.requiredPermission(permission, request);
    if (!roleAllows(role, required)) {
      throw problems.forbidden(`The ${role} role may not do this (needs ${required}).`);
    }
    request[SCOPE_ON_REQUEST] = {
      organizationId,
      actor: { kind: 'user', userId, role },
      meta,
    } satisfies TenantScope;
    return true;
  }

  private async authoriseApiKey(
    key: string,
    organizationParam: string | undefined,
    permission: Permission | undefined,
    meta: ScopeMeta,
  ): Promise<TenantScope> {
    const match = API_KEY_FORMAT.exec(key);
    if (!match) throw problems.unauthorized('The API key is malformed.');
    if (organizationParam === undefined) {
      throw problems.forbidden('API keys work only on /v1/organizations/{orgId} routes.');
    }
    const organizationId = this.organizationIdOrNotFound(organizationParam);
    const keyId = keyIdFromHex(match[1]);
    const record = await this.access.apiKeyOfOrganization(organizationId, keyId);
    // A key of another organization is not found in this one: 404, like every foreign id.
    if (!record) throw problems.notFound('Organization');
    if (!secretMatches(key, record.secretHash))
      throw problems.unauthorized('The API key is not valid.');
    if (record.revokedAt) throw problems.unauthorized('The API key was revoked.');
    if (record.expiresAt && record.expiresAt <= new Date()) {
      throw problems.unauthorized('The API key expired.');
    }
    const required = this.requiredPermission(permission);
    if (!scopesAllow(record.scopes, required)) {
      throw problems.forbidden(`The API key's scopes do not allow this (needs ${required}).`);
    }
    return {
      organizationId,
      actor: { kind: 'api_key', apiKeyId: keyId, scopes: record.scopes },
      meta,
    };
  }

  private organizationIdOrNotFound(value: string): OrganizationId {
    if (!isUuid(value)) throw problems.notFound('Organization');
    return value.toLowerCase() as OrganizationId;
  }

  /** A route under an organization that declares no permission is a bug, not an open door. */
  private requiredPermission(
    permission: Permission | undefined,
    request?: FastifyRequest,
  ): Permission {
    if (!permission) {
      throw new Error(`Route ${request?.routeOptions.url ?? ''} declares no @RequirePermission.`);
    }
    return permission;
  }
}
