import DataLoader from 'dataloader';
import type { FastifyRequest } from 'fastify';
import {
  annotateRequestLog,
  bearerToken,
  isUuid,
  OrganizationId,
  Permission,
  problems,
  type ScopeMeta,
  type TenantScope,
  type UserScope,
} from '@app/common';
import { memberScope } from '../auth/access.guard';
import { API_KEY_PREFIX, ApiKeyAccess, VerifiedApiKey } from '../auth/api-key-access';
import { AccessTokens } from '../auth/access-tokens';

/** Who sent the request, as its Authorization header proved it (once per request). */
type Caller =
  | { kind: 'user'; userId: string }
  | { kind: 'api_key'; key: string }
  | { kind: 'anonymous'; reason: string };

/**
 * Authorisation of one GraphQL request, field by field, with the rules of the HTTP access guard:
 * - a signed-in user gets, for each field, a TenantScope carrying a MembershipCheck for the
 *   field's permission, which the service's tenant transaction proves (a non-member gets the
 *   same not-found as for a missing organization; a role the permission does not admit, 403);
 * - an organization API key is proven once per organization (another organization's key: not
 *   found), then each field's permission is checked against its scopes (403).
 */
export class GraphqlAccess {
  private readonly verifiedKeys = new Map<string, Promise<VerifiedApiKey>>();

  constructor(
    private readonly caller: Caller,
    readonly meta: ScopeMeta,
    /** Where the API is reached (integration ingest URLs are built from it). */
    readonly baseUrl: string,
    private readonly apiKeys: ApiKeyAccess,
  ) {}

  /** The signed-in user outside any organization (viewer). */
  user(): UserScope {
    const caller = this.authenticated();
    if (caller.kind !== 'user') {
      throw problems.forbidden('API keys work only inside organization(id:).');
    }
    return { actor: { kind: 'user', userId: caller.userId }, meta: this.meta };
  }

  /** The scope for one field's work in an organization, under that field's permission. */
  async tenant(organizationId: string, permission: Permission): Promise<TenantScope> {
    const caller = this.authenticated();
    if (!isUuid(organizationId)) throw problems.notFound('Organization');
    const id = organizationId.toLowerCase() as OrganizationId;
    if (caller.kind === 'user') return memberScope(id, caller.userId, permission, this.meta);
    let verified = this.verifiedKeys.get(id);
    if (!verified) {
      verified = this.apiKeys.verify(caller.key, id);
      this.verifiedKeys.set(id, verified);
    }
    return this.apiKeys.scopeFor(await verified, permission, this.meta);
  }

  private authenticated(): Exclude<Caller, { kind: 'anonymous' }> {
    if (this.caller.kind === 'anonymous') throw problems.unauthorized(this.caller.reason);
    return this.caller;
  }
}

/**
 * DataLoaders of one request, by name: a batch function sees every key asked for in one tick
 * (e.g. the latest assessment of every team of a page) and answers them with one query.
 */
export class GraphqlLoaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 1000 });
      this.loaders.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }
}

export interface GraphqlContext {
  access: GraphqlAccess;
  loaders: GraphqlLoaders;
}

/** Builds a request's context: authenticates its bearer token (a JWT or an API key) once. */
export async function graphqlContext(
  request: FastifyRequest,
  tokens: AccessTokens,
  apiKeys: ApiKeyAccess,
  baseUrl: string,
): Promise<GraphqlContext> {
  const meta: ScopeMeta = {
    requestId: request.id,
    ip: request.ip,
    userAgent: request.headers['user-agent'],
  };
  const bearer = bearerToken(request.headers.authorization);
  let caller: Caller;
  if (!bearer) {
    caller = { kind: 'anonymous', reason: 'Authentication is required.' };
  } else if (bearer.startsWith(API_KEY_PREFIX)) {
    caller = { kind: 'api_key', key: bearer };
    const keyId = safeKeyId(apiKeys, bearer);
    if (keyId) annotateRequestLog(request, { actor: { type: 'api_key', id: keyId } });
  } else {
    const userId = await tokens.verify(bearer);
    caller = userId
      ? { kind: 'user', userId }
      : { kind: 'anonymous', reason: 'The access token is not valid.' };
    if (userId) annotateRequestLog(request, { actor: { type: 'user', id: userId } });
  }
  return {
    access: new GraphqlAccess(caller, meta, baseUrl, apiKeys),
    loaders: new GraphqlLoaders(),
  };
}

function safeKeyId(apiKeys: ApiKeyAccess, key: string): string | undefined {
  try {
    return apiKeys.keyIdOf(key);
  } catch {
    return undefined;
  }
}
