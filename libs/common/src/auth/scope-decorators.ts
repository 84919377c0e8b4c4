import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { TenantScope, UserScope } from '../tenancy/tenant-scope';

/** Where the access guard leaves the scope it established on the HTTP request. */
export const SCOPE_ON_REQUEST = Symbol('mlops:scope');

export interface ScopedRequest {
  [SCOPE_ON_REQUEST]?: TenantScope | UserScope;
}

function scopeOf(execution: ExecutionContext): TenantScope | UserScope | undefined {
  return execution.switchToHttp().getRequest<ScopedRequest>()[SCOPE_ON_REQUEST];
}

/**
 * The tenant scope of a route under /v1/organizations/{orgId}. A route that asks for it where the
 * guard established none has a bug; failing loudly beats acting without a tenant.
 */
export const Tenant = createParamDecorator((_: unknown, execution: ExecutionContext) => {
  const scope = scopeOf(execution);
  if (!scope || !('organizationId' in scope)) {
    throw new Error('No tenant scope on this request: is the route under an organization?');
  }
  return scope;
});

/** The signed-in user of a route outside any organization (their profile, their organizations). */
export const SignedInUser = createParamDecorator((_: unknown, execution: ExecutionContext) => {
  const scope = scopeOf(execution);
  if (!scope || scope.actor.kind !== 'user') {
    throw new Error('No signed-in user on this request: is the route public?');
  }
  return { actor: { kind: 'user', userId: scope.actor.userId }, meta: scope.meta } as UserScope;
});
