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
} from '@app/common';
import type {
  MembershipCheck,
  OrganizationRole,
  ScopedRequest,
  ScopeMeta,
  TenantScope,
  UserScope,
} from '@app/common';
import { API_KEY_PREFIX, ApiKeyAccess } from './api-key-access';
import { AuthRepository } from './auth.repository';

export { API_KEY_PREFIX };

export function forbiddenRole(role: OrganizationRole, permission: Permission) {
  return problems.forbidden(`The ${role} role may not do this (needs ${permission}).`);
}

/**
 * A signed-in user's scope in an organization, whose membership (with a role the permission
 * admits) every tenant transaction of the scope proves (see the rule below).
 */
export function memberScope(
  organizationId: OrganizationId,
  userId: string,
  permission: Permission,
  meta: ScopeMeta,
): TenantScope {
  const membership: MembershipCheck = {
    userId,
    permission,
    allowedRoles: PERMISSIONS[permission].roles,
  };
  return {
    organizationId,
    // The role is what the check proves (roleOf() answers null until then); the placeholder is
    // the least privileged one.
    actor: { kind: 'user', userId, role: 'viewer' },
    meta,
    membership,
  };
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
    private readonly apiKeys: ApiKeyAccess,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    // GraphQL resolvers run under this global guard too; their transport authenticates the
    // request once and authorises every field itself (modules/graphql/graphql-access.ts).
    if (execution.getType() !== 'http') return true;
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
    const scope = memberScope(organizationId, userId, required, meta);
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
    const keyId = this.apiKeys.keyIdOf(key);
    if (organizationParam === undefined) {
      throw problems.forbidden('API keys work only on /v1/organizations/{orgId} routes.');
    }
    const organizationId = this.organizationIdOrNotFound(organizationParam);
    const verified = await this.apiKeys.verify(key, organizationId);
    const required = this.requiredPermission(permission);
    annotateRequestLog(request, { actor: { type: 'api_key', id: keyId } });
    const scope = await this.apiKeys.scopeFor(verified, required, meta);
    annotateRequestLog(request, { organizationId });
    return scope;
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
