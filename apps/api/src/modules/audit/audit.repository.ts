import { Injectable } from '@nestjs/common';
import { CursorPosition, NEWEST_FIRST, createdWithin, keysetAfter } from '@app/common';
import { OrganizationId, Prisma, TransactionClient } from '@app/database';

export interface AuditEntry {
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: Prisma.InputJsonValue | undefined;
  requestId?: string;
  ip?: string;
  userAgent?: string;
}

export interface AuditFilter {
  actorId?: string;
  entityType?: string;
  from?: string;
  to?: string;
}

@Injectable()
export class AuditRepository {
  insert(tx: TransactionClient, organizationId: OrganizationId, entry: AuditEntry) {
    return tx.auditEvent.create({ data: { organizationId, ...entry } });
  }

  list(
    tx: TransactionClient,
    organizationId: OrganizationId,
    filter: AuditFilter,
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.auditEvent.findMany({
      where: {
        organizationId,
        ...(filter.actorId ? { actorId: filter.actorId } : {}),
        ...(filter.entityType ? { entityType: filter.entityType } : {}),
        AND: [createdWithin(filter), keysetAfter(after)],
      },
      orderBy: NEWEST_FIRST,
      take,
    });
  }
}
