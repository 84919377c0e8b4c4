import { Injectable } from '@nestjs/common';
import type { Prisma } from './generated/prisma/client';
import { PrismaService } from './prisma.service';
import type { OrganizationId } from '@app/common/tenancy/tenant-scope';

export type TransactionClient = Prisma.TransactionClient;

export type { OrganizationId };

export interface TransactionOptions {
  /** The acting user, for policies that let a user see their own memberships across tenants. */
  userId?: string;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

/**
 * Runs one use case in one transaction, with the tenant's id in the transaction-local setting
 * `app.organization_id` that the row-level security policies read (and the acting user's id in
 * `app.user_id`). Outside such a transaction the settings are empty and tenant tables show no
 * rows to the application role.
 */
@Injectable()
export class TenantTransactions {
  constructor(private readonly prisma: PrismaService) {}

  run<T>(
    organizationId: OrganizationId,
    work: (tx: TransactionClient) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    return this.transaction(organizationId, options, work);
  }

  /** Work of one user across the organizations they belong to (their memberships, "my orgs"). */
  runForUser<T>(userId: string, work: (tx: TransactionClient) => Promise<T>): Promise<T> {
    return this.transaction('', { userId }, work);
  }

  /** Global tables only (users, refresh tokens): no tenant row is visible inside. */
  runGlobal<T>(work: (tx: TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(tx));
  }

  private transaction<T>(
    organizationId: string,
    options: TransactionOptions,
    work: (tx: TransactionClient) => Promise<T>,
  ): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT set_config('app.organization_id', ${organizationId}, true),
                                    set_config('app.user_id', ${options.userId ?? ''}, true)`;
        return work(tx);
      },
      { isolationLevel: options.isolationLevel },
    );
  }
}
