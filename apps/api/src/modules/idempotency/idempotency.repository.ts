import { Injectable } from '@nestjs/common';
import { OrganizationId, Prisma, TransactionClient } from '@app/database';

@Injectable()
export class IdempotencyRepository {
  /** Held until the transaction ends; a second request with the same key waits here. */
  async lock(
    tx: TransactionClient,
    organizationId: OrganizationId,
    operation: string,
    key: string,
  ) {
    const name = `idempotency:${organizationId}:${operation}:${key}`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${name}, 0))`;
  }

  find(tx: TransactionClient, organizationId: OrganizationId, operation: string, key: string) {
    return tx.idempotencyRecord.findUnique({
      where: { organizationId_operation_key: { organizationId, operation, key } },
    });
  }

  insert(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: {
      operation: string;
      key: string;
      requestFingerprint: string;
      responseBody: Prisma.InputJsonValue;
    },
  ) {
    return tx.idempotencyRecord.create({ data: { organizationId, ...data } });
  }
}
