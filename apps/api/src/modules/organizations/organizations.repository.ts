import { Injectable } from '@nestjs/common';
import type { OrganizationRole } from '@app/common';
import { OrganizationId, TransactionClient } from '@app/database';

const PUBLIC_FIELDS = {
  id: true,
  name: true,
  slug: true,
  createdAt: true,
  updatedAt: true,
} as const;

@Injectable()
export class OrganizationsRepository {
  async create(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: { name: string; slug: string },
    ownerId: string,
  ) {
    const organization = await tx.organization.create({
      data: { id: organizationId, ...data },
      select: PUBLIC_FIELDS,
    });
    await tx.membership.create({ data: { organizationId, userId: ownerId, role: 'owner' } });
    return organization;
  }

  /** The user's organizations (their memberships are visible to them across tenants). */
  listForUser(tx: TransactionClient, userId: string) {
    return tx.membership.findMany({
      where: { userId, organization: { deletedAt: null } },
      select: { role: true, organization: { select: PUBLIC_FIELDS } },
      orderBy: [{ createdAt: 'asc' }, { organizationId: 'asc' }],
    });
  }

  find(tx: TransactionClient, organizationId: OrganizationId) {
    return tx.organization.findFirst({
      where: { id: organizationId, deletedAt: null },
      select: PUBLIC_FIELDS,
    });
  }

  update(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: { name?: string; slug?: string },
  ) {
    return tx.organization.update({ where: { id: organizationId }, data, select: PUBLIC_FIELDS });
  }

  softDelete(tx: TransactionClient, organizationId: OrganizationId) {
    return tx.organization.update({
      where: { id: organizationId },
      data: { deletedAt: new Date() },
    });
  }

  /** Revokes every live API key and ends every pending invitation; returns how many of each. */
  async closeCredentials(tx: TransactionClient, organizationId: OrganizationId, at: Date) {
    const apiKeys = await tx.apiKey.updateMany({
      where: { organizationId, revokedAt: null },
      data: { revokedAt: at },
    });
    const invitations = await tx.invitation.updateMany({
      where: { organizationId, acceptedAt: null, expiresAt: { gt: at } },
      data: { expiresAt: at },
    });
    return { apiKeys: apiKeys.count, invitations: invitations.count };
  }

  roleOf(tx: TransactionClient, organizationId: OrganizationId, userId: string) {
    return tx.membership
      .findUnique({
        where: { organizationId_userId: { organizationId, userId } },
        select: { role: true },
      })
      .then((membership) => (membership?.role ?? null) as OrganizationRole | null);
  }
}
