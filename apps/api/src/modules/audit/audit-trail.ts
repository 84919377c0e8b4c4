import { Injectable } from '@nestjs/common';
import { actorId, TenantScope } from '@app/common';
import { TransactionClient, toStoredJson } from '@app/database';
import { AuditRepository } from './audit.repository';

const SECRET_FIELD = /password|secret|token|hash|authorization/i;

/** Replaces the values of secret-looking fields, at any depth, before they reach the audit log. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_FIELD.test(key) ? '[redacted]' : redactSecrets(inner),
      ]),
    );
  }
  return value;
}

export interface AuditedChange {
  action: string;
  entityType: string;
  entityId: string | null;
  changes?: Record<string, unknown>;
}

/**
 * Records who did what to which record, inside the caller's transaction: the audit row commits
 * or rolls back with the write it describes.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly audit: AuditRepository) {}

  async record(tx: TransactionClient, scope: TenantScope, change: AuditedChange): Promise<void> {
    const { actor, meta } = scope;
    await this.audit.insert(tx, scope.organizationId, {
      actorType: actor.kind,
      actorId: actorId(actor),
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      changes: change.changes ? toStoredJson(redactSecrets(change.changes)) : undefined,
      requestId: meta.requestId,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 500),
    });
  }
}
