import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, from, mergeMap, Observable } from 'rxjs';
import { problems, roleAllows, recordProvenRole, SCOPE_ON_REQUEST } from '@app/common';
import type { ScopedRequest, TenantScope } from '@app/common';
import { forbiddenRole } from './access.guard';
import { AuthRepository } from './auth.repository';

/**
 * The backstop of the access guard's read rule: a read whose membership no tenant transaction
 * proved (a handler that opened none, or failed before it did, e.g. on validation) gets the check
 * here, before anything is sent. A non-member then gets 404 and a role the route does not admit
 * 403, whatever the handler answered, exactly as if the guard had checked first. Reads that went
 * through a tenant transaction pay nothing here.
 */
@Injectable()
export class MembershipProofInterceptor implements NestInterceptor {
  constructor(private readonly access: AuthRepository) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const scope = execution.switchToHttp().getRequest<ScopedRequest>()[SCOPE_ON_REQUEST];
    if (!scope || !('membership' in scope) || !scope.membership) return next.handle();
    const tenant = scope;
    return next.handle().pipe(
      mergeMap((result) =>
        tenant.membership?.checked ? [result] : from(this.proven(tenant).then(() => result)),
      ),
      catchError((error: unknown) =>
        from(
          this.proven(tenant).then(() => {
            throw error;
          }),
        ),
      ),
    );
  }

  private async proven(scope: TenantScope): Promise<void> {
    const check = scope.membership;
    if (!check || check.checked || check.provenRole !== undefined) return;
    const role = await this.access.membershipRole(scope.organizationId, check.userId);
    if (!role) throw problems.notFound('Organization');
    if (!roleAllows(role, check.permission)) throw forbiddenRole(role, check.permission);
    recordProvenRole(scope, role);
  }
}
