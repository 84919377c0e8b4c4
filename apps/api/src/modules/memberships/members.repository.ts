import { Injectable } from '@nestjs/common';
import { createdWithin, CursorPosition, OrganizationRole } from '@app/common';
import { OrganizationId, TransactionClient } from '@app/database';

const MEMBER_FIELDS = {
  userId: true,
  role: true,
  createdAt: true,
  user: { select: { email: true, name: true } },
} as const;

/**
 * Memberships have no id of their own: lists are ordered newest first by (createdAt, userId), and
 * a cursor's id is the user id of the last member served.
 */
function joinedAfter(position: CursorPosition | undefined) {
  if (!position) return {};
  return {
    OR: [
      { createdAt: { lt: position.createdAt } },
      { createdAt: position.createdAt, userId: { lt: position.id } },
    ],
  };
}

@Injectable()
export class MembersRepository {
  list(
    tx: TransactionClient,
    organizationId: OrganizationId,
    range: { from?: string; to?: string },
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.membership.findMany({
      where: { organizationId, AND: [createdWithin(range), joinedAfter(after)] },
      orderBy: [{ createdAt: 'desc' }, { userId: 'desc' }],
      take,
      select: MEMBER_FIELDS,
    });
  }

  find(tx: TransactionClient, organizationId: OrganizationId, userId: string) {
    return tx.membership.findUnique({
      where: { organizationId_userId: { organizationId, userId } },
      select: MEMBER_FIELDS,
    });
  }

  hasMemberWithEmail(tx: TransactionClient, organizationId: OrganizationId, email: string) {
    return tx.membership
      .count({ where: { organizationId, user: { email } } })
      .then((count) => count > 0);
  }

  /** Users are a global table: any signed-in user's email is readable to match invitations. */
  emailOf(tx: TransactionClient, userId: string) {
    return tx.user
      .findUnique({ where: { id: userId }, select: { email: true } })
      .then((user) => user?.email ?? null);
  }

  add(
    tx: TransactionClient,
    organizationId: OrganizationId,
    userId: string,
    role: OrganizationRole,
  ) {
    return tx.membership.create({ data: { organizationId, userId, role } });
  }

  changeRole(
    tx: TransactionClient,
    organizationId: OrganizationId,
    userId: string,
    role: OrganizationRole,
  ) {
    return tx.membership.update({
      where: { organizationId_userId: { organizationId, userId } },
      data: { role },
      select: MEMBER_FIELDS,
    });
  }

  /** Team memberships go with it (team_members references memberships ON DELETE CASCADE). */
  remove(tx: TransactionClient, organizationId: OrganizationId, userId: string) {
    return tx.membership.delete({ where: { organizationId_userId: { organizationId, userId } } });
  }

  /**
   * The organization's owners, row-locked until the transaction ends: two owners demoting or
   * removing each other at the same moment are serialised, so the second one sees the first's
   * change and the organization never ends up without an owner.
   */
  async lockOwners(tx: TransactionClient, organizationId: OrganizationId): Promise<string[]> {
    const rows = await tx.$queryRaw<{ user_id: string }[]>`
      SELECT "user_id" FROM "memberships"
       WHERE "organization_id" = ${organizationId}::uuid AND "role" = 'owner'
         FOR UPDATE`;
    return rows.map((row) => row.user_id);
  }
}
