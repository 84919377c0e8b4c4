import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { OrganizationRole } from '../auth/permissions';

/** Branded so a plain string cannot be passed where a checked organization id is required. */
export type OrganizationId = string & { readonly __brand: 'OrganizationId' };

export type Actor =
  { kind: 'user'; userId: string } | { kind: 'api_key'; apiKeyId: string; scopes: string[] };

export interface RequestMeta {
  requestId?: string;
  ip?: string;
  userAgent?: string;
}

export class MissingRequestContextError extends Error {}

const ACTOR = 'mlops:actor';
const ORGANIZATION = 'mlops:organizationId';
const ROLE = 'mlops:role';
const META = 'mlops:meta';

/**
 * What the access guard established about this request: who acts, in which organization, with
 * which role. Reading a part that was not established throws instead of guessing; code that needs
 * a tenant and finds none has a bug, and must not fall back to "all tenants".
 */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService) {}

  setMeta(meta: RequestMeta): void {
    this.cls.set(META, meta);
  }

  meta(): RequestMeta {
    return this.cls.isActive() ? (this.cls.get<RequestMeta>(META) ?? {}) : {};
  }

  setActor(actor: Actor): void {
    this.cls.set(ACTOR, actor);
  }

  actor(): Actor {
    const actor = this.cls.isActive() ? this.cls.get<Actor>(ACTOR) : undefined;
    if (!actor) throw new MissingRequestContextError('No authenticated actor in this context.');
    return actor;
  }

  /** The signed-in user's id; API keys act for an organization, not for a user. */
  userId(): string {
    const actor = this.actor();
    if (actor.kind !== 'user') throw new MissingRequestContextError('This action needs a user.');
    return actor.userId;
  }

  setOrganization(organizationId: string, role: OrganizationRole | null): void {
    this.cls.set(ORGANIZATION, organizationId);
    this.cls.set(ROLE, role);
  }

  organizationId(): OrganizationId {
    const id = this.cls.isActive() ? this.cls.get<string>(ORGANIZATION) : undefined;
    if (!id) throw new MissingRequestContextError('No organization in this context.');
    return id as OrganizationId;
  }

  /** The member's role; null when an API key acts. */
  role(): OrganizationRole | null {
    this.organizationId();
    return this.cls.get<OrganizationRole | null>(ROLE) ?? null;
  }
}
