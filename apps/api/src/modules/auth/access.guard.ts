import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import {
  annotateRequestLog,
  bearerToken,
  IS_PUBLIC,
  OrganizationId,
  SCOPE_ON_REQUEST,
  isUuid,
  Permission,
  PERMISSIONS,
  problems,
  recordProvenRole,
  REQUIRED_PERMISSION,
  roleAllows,
  scopesAllow,
  secretMatches,
} from '@app/common';
import type {
  MembershipCheck,
  OrganizationRole,
  ScopedRequest,
  ScopeMeta,
  TenantScope,
  UserScope,
} from '@app/common';
import { AuthRepository } from './auth.repository';

export const API_KEY_PREFIX = 'mmk_';

export function forbiddenRole(role: OrganizationRole, permission: Permission) {
  return problems.forbidden(`The ${role} role may not do this (needs ${permission}).`);
}
/** `mmk_<key id, 32 hex>_<secret>`: the id finds the row, the secret is checked against its hash. */
const API_KEY_FORMAT = /^mmk_([0-9a-f]{32})_([A-Za-z0-9_-]{40,})$/;

function keyIdFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Reads: their membership check travels into the use case's first tenant transaction. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The one global guard, in a fixed order: who is calling (JWT through passport-jwt, or an
 * organization API key), then for routes under /v1/organizations/{orgId} whether the caller
 * belongs to that organization (404 when not: another tenant's ids are never confirmed), then
 * whether the role or key scope allows the route's permission (403). What it established becomes
 * the request's scope (a TenantScope under an organization, a UserScope elsewhere), which
 * controllers hand to the use cases explicitly.
 *
 * The membership rule for a signed-in user under an organization (no cache anywhere):
 * - The scope carries a MembershipCheck (user, the route's permission and the roles it admits).
 *   Every tenant transaction of that scope proves it in its first statement, in the same
 *   transaction as the work (TenantTransactions, libs/database): so what a use case reads or
 *   writes is always read or written by a member with an admitted role at that instant.
 * - Reads (GET, HEAD): the guard does not query at all; the use case's first transaction is the
 *   check, which makes an authenticated read one round trip (TenantTransactions.readOnce) or one
 *   transaction. MembershipProofInterceptor guarantees the answer even for a read that opens no
 *   tenant transaction or fails before one (validation): an unproven membership is checked
 *   before anything is sent, and a non-member gets 404 (a role not admitted 403) whatever the
 *   handler produced.
 * - Writes: the guard proves the membership first (one round trip, as before): a write may
 *   consult the caller's role before its transaction, and a non-member must get 404 before a body
 *   is validated or any work is done. Its transaction checks again (at no extra round trip).
 * API keys are looked up and checked here for every method (their lookup also marks them used).
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
    const bearer = bearerToken(request.headers.authorization);
    if (!bearer) throw problems.unauthorized();

    if (bearer.startsWith(API_KEY_PREFIX)) {
      request[SCOPE_ON_REQUEST] = await this.authoriseApiKey(
        request,
        bearer,
        organizationParam,
        permission,
        meta,
      );
      return true;
    }
    await this.jwtGuard.canActivate(execution);
    const { userId } = (request as FastifyRequest & { user: { userId: string } }).user;
    // Known from here on: the request log line names the actor even if access is then refused.
    annotateRequestLog(request, { actor: { type: 'user', id: userId } });
    if (organizationParam === undefined) {
      request[SCOPE_ON_REQUEST] = { actor: { kind: 'user', userId }, meta } satisfies UserScope;
      return true;
    }

    const organizationId = this.organizationIdOrNotFound(organizationParam);
    const required = this.requiredPermission(permission, request);
    const membership: MembershipCheck = {
      userId,
      permission: required,
      allowedRoles: PERMISSIONS[required].roles,
    };
    const scope: TenantScope = {
      organizationId,
      // The role is what the check proves (roleOf() answers null until then); the placeholder is
      // the least privileged one.
      actor: { kind: 'user', userId, role: 'viewer' },
      meta,
      membership,
    };
    if (!READ_METHODS.has(request.method)) {
      const role = await this.access.membershipRole(organizationId, userId);
      if (!role) throw problems.notFound('Organization');
      if (!roleAllows(role, required)) throw forbiddenRole(role, required);
      recordProvenRole(scope, role);
    }
    annotateRequestLog(request, { organizationId });
    request[SCOPE_ON_REQUEST] = scope;
    return true;
  }

  private async authoriseApiKey(
    request: FastifyRequest,
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
    annotateRequestLog(request, { actor: { type: 'api_key', id: keyId } });
    if (!scopesAllow(record.scopes, required)) {
      throw problems.forbidden(`The API key's scopes do not allow this (needs ${required}).`);
    }
    // Marked used only now that the secret is proven (at most once a minute: one write per key).
    if (!record.lastUsedAt || Date.now() - record.lastUsedAt.getTime() >= 60_000) {
      await this.access.touchApiKey(organizationId, keyId);
    }
    annotateRequestLog(request, { organizationId });
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
