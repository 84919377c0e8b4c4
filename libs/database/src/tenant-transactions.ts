import { Injectable } from '@nestjs/common';
import type { Prisma } from './generated/prisma/client';
import { PrismaService } from './prisma.service';

export type TransactionClient = Prisma.TransactionClient;

/** Branded so a plain string cannot be passed where a checked organization id is required. */
export type OrganizationId = string & { readonly __brand: 'OrganizationId' };

export function asOrganizationId(id: string): OrganizationId {
  return id as OrganizationId;
}

/**
 * Runs one use case in one transaction, with the tenant's id in the transaction-local setting
 * `app.organization_id` that the row-level security policies read. Outside such a transaction
 * the setting is empty and tenant tables show no rows to the application role.
 */
@Injectable()
export class TenantTransactions {
  constructor(private readonly prisma: PrismaService) {}

  run<T>(
    organizationId: OrganizationId,
    work: (tx: TransactionClient) => Promise<T>,
    options: { isolationLevel?: Prisma.TransactionIsolationLevel } = {},
  ): Promise<T> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.organization_id', ${organizationId}, true)`;
      return work(tx);
    }, options);
  }

  /** For work that spans tenants by design (sign-up, the caller's own memberships). */
  runWithoutTenant<T>(work: (tx: TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(tx));
  }
}
