import type { OrganizationRole, Permission } from '../auth/permissions';
import { problems } from '../errors/domain-error';

/** Branded so a plain string cannot be passed where a checked organization id is required. */
export type OrganizationId = string & { readonly __brand: 'OrganizationId' };

export interface UserActor {
  kind: 'user';
  userId: string;
}

/**
 * A member acting inside an organization, with the role the membership gives them. Under a
 * membership still to be proven (TenantScope.membership), the role is known once the first tenant
 * transaction has proven it; read it through roleOf().
 */
export interface MemberActor extends UserActor {
  role: OrganizationRole;
}

export interface ApiKeyActor {
  kind: 'api_key';
  apiKeyId: string;
  scopes: readonly string[];
}

/** Work the service does on its own behalf, named after the job that does it. */
export interface SystemActor {
  kind: 'system';
  job: string;
}

export type Actor = MemberActor | ApiKeyActor | SystemActor;

/** Where a change came from, for the audit trail and the logs. */
export interface ScopeMeta {
  requestId?: string;
  ip?: string;
  userAgent?: string;
  jobId?: string;
}

/**
 * Who acts in which organization. The transport builds it once (the HTTP access guard after
 * checking membership or the API key, a job handler for system work) and passes it explicitly to
 * every use case; nothing below the transport reads ambient request state.
 */
export interface TenantScope {
  readonly organizationId: OrganizationId;
  readonly actor: Actor;
  readonly meta: ScopeMeta;
  /**
   * The membership the transport asks every tenant transaction of this scope to prove (see
   * MembershipCheck). Absent for API keys, system jobs and scopes a use case builds itself.
   */
  readonly membership?: MembershipCheck;
}

/**
 * A user's membership in the scope's organization, to be proven inside each tenant transaction,
 * in the same statement that sets the tenant (libs/database TenantTransactions): so the check and
 * the work are one transaction, and a removed member or a changed role takes effect on the very
 * next transaction. The HTTP access guard attaches it (its rule is written there).
 */
export interface MembershipCheck {
  readonly userId: string;
  /** The route's permission, and the roles it admits (from the permission table). */
  readonly permission: Permission;
  readonly allowedRoles: readonly OrganizationRole[];
  /**
   * The role the last check found; undefined while nothing has proven the membership yet (the
   * guard proved it already for writes; for reads the first tenant transaction does).
   */
  provenRole?: OrganizationRole;
  /** True once a check ran in a transaction, whether it admitted the caller or refused them. */
  checked?: boolean;
}

/** Records what a check found, on the check and on the member actor that roleOf() reads. */
export function recordProvenRole(scope: TenantScope, role: OrganizationRole): void {
  if (!scope.membership) return;
  scope.membership.checked = true;
  scope.membership.provenRole = role;
  if (scope.actor.kind === 'user') scope.actor.role = role;
}

/** A signed-in user outside any one organization (their profile, their organizations). */
export interface UserScope {
  readonly actor: UserActor;
  readonly meta: ScopeMeta;
}

export function systemScope(
  organizationId: string,
  job: string,
  meta: ScopeMeta = {},
): TenantScope {
  return { organizationId: organizationId as OrganizationId, actor: { kind: 'system', job }, meta };
}

/**
 * The acting member's role; API keys and system jobs have none, and neither has a member whose
 * membership no transaction has proven yet (so a use case that consults it first fails closed).
 */
export function roleOf(scope: TenantScope): OrganizationRole | null {
  if (scope.actor.kind !== 'user') return null;
  if (scope.membership && scope.membership.provenRole === undefined) return null;
  return scope.actor.role;
}

/** The acting user, for use cases only a person can perform (an API key acts for no one). */
export function actingUserId(scope: TenantScope | UserScope): string | null {
  return scope.actor.kind === 'user' ? scope.actor.userId : null;
}

/** For use cases only a person may perform: an API key or a job acting here is refused. */
export function requireActingUser(scope: TenantScope): string {
  const userId = actingUserId(scope);
  if (userId === null) throw problems.forbidden('Only a signed-in member may do this.');
  return userId;
}

/** The id the audit trail records for an actor. */
export function actorId(actor: Actor | UserActor): string {
  switch (actor.kind) {
    case 'user':
      return actor.userId;
    case 'api_key':
      return actor.apiKeyId;
    case 'system':
      return actor.job;
  }
}
