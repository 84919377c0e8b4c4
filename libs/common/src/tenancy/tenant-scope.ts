import type { OrganizationRole } from '../auth/permissions';
import { problems } from '../errors/domain-error';

/** Branded so a plain string cannot be passed where a checked organization id is required. */
export type OrganizationId = string & { readonly __brand: 'OrganizationId' };

export interface UserActor {
  kind: 'user';
  userId: string;
}

/** A member acting inside an organization, with the role the membership gives them. */
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

/** The acting member's role; API keys and system jobs have none. */
export function roleOf(scope: TenantScope): OrganizationRole | null {
  return scope.actor.kind === 'user' ? scope.actor.role : null;
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
