import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DomainError,
  PROBLEM_BY_DOMAIN_CODE,
  problems,
  recordProvenRole,
  roleAllows,
  SCOPE_ON_REQUEST,
} from '@app/common';
import type { MembershipCheck, ScopedRequest, TenantScope } from '@app/common';
import { forbiddenRole } from './access.guard';
import { AuthRepository } from './auth.repository';

type OnSend = (
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: Error | null, payload?: unknown) => void,
) => void;

/**
 * The backstop of the access guard's read rule, as a Fastify onSend hook (it sees every answer,
 * the handler's and the exception filter's, before a byte is sent): a read whose membership no
 * tenant transaction checked (a handler that opened none, or one that failed before it did, e.g.
 * on validation) gets the check here. A non-member then gets 404 and a role the route does not
 * admit 403, whatever the handler answered, exactly as if the guard had checked first. Answers
 * whose membership was checked (every write, every read that ran a tenant transaction) pass
 * straight through, synchronously: no promise, no round trip.
 */
export function membershipBackstop(access: AuthRepository): OnSend {
  return (request, reply, payload, done) => {
    const scope = (request as FastifyRequest & ScopedRequest)[SCOPE_ON_REQUEST];
    const check = scope && 'membership' in scope ? scope.membership : undefined;
    if (!check || check.checked) return done(null, payload);
    verify(access, scope as TenantScope, check).then(
      (refusal) => {
        if (!refusal) return done(null, payload);
        const { status, type, title } = PROBLEM_BY_DOMAIN_CODE[refusal.code];
        void reply.code(status).header('content-type', 'application/problem+json; charset=utf-8');
        done(
          null,
          JSON.stringify({
            type,
            title,
            status,
            detail: refusal.message,
            instance: request.url,
            requestId: request.id,
          }),
        );
      },
      (error: Error) => done(error),
    );
  };
}

async function verify(
  access: AuthRepository,
  scope: TenantScope,
  check: MembershipCheck,
): Promise<DomainError | undefined> {
  const role = await access.membershipRole(scope.organizationId, check.userId);
  if (!role) return problems.notFound('Organization');
  if (!roleAllows(role, check.permission)) return forbiddenRole(role, check.permission);
  recordProvenRole(scope, role);
  return undefined;
}
