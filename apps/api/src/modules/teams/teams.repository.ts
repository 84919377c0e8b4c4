import { Injectable } from '@nestjs/common';
import { CursorPosition, keysetAfter, NEWEST_FIRST, createdWithin } from '@app/common';
import { OrganizationId, TransactionClient } from '@app/database';

const TEAM_FIELDS = { id: true, name: true, slug: true, createdAt: true, updatedAt: true } as const;
const TEAM_MEMBER_FIELDS = {
  userId: true,
  role: true,
  createdAt: true,
  membership: { select: { user: { select: { email: true, name: true } } } },
} as const;

@Injectable()
export class TeamsRepository {
  create(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: { name: string; slug: string },
  ) {
    return tx.team.create({ data: { organizationId, ...data }, select: TEAM_FIELDS });
  }

  list(
    tx: TransactionClient,
    organizationId: OrganizationId,
    range: { from?: string; to?: string },
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.team.findMany({
      where: { organizationId, AND: [createdWithin(range), keysetAfter(after)] },
      orderBy: NEWEST_FIRST,
      take,
      select: TEAM_FIELDS,
    });
  }

  find(tx: TransactionClient, organizationId: OrganizationId, teamId: string) {
    return tx.team.findUnique({
      where: { organizationId_id: { organizationId, id: teamId } },
      select: TEAM_FIELDS,
    });
  }

  update(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    data: { name?: string; slug?: string },
  ) {
    return tx.team.update({
      where: { organizationId_id: { organizationId, id: teamId } },
      data,
      select: TEAM_FIELDS,
    });
  }

  delete(tx: TransactionClient, organizationId: OrganizationId, teamId: string) {
    return tx.team.delete({ where: { organizationId_id: { organizationId, id: teamId } } });
  }

  listMembers(tx: TransactionClient, organizationId: OrganizationId, teamId: string) {
    return tx.teamMember.findMany({
      where: { organizationId, teamId },
      orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
      select: TEAM_MEMBER_FIELDS,
    });
  }

  isOrganizationMember(tx: TransactionClient, organizationId: OrganizationId, userId: string) {
    return tx.membership.count({ where: { organizationId, userId } }).then((count) => count > 0);
  }

  /** The member as the list shows them (with email and name). */
  async upsertMember(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    userId: string,
    role: 'lead' | 'member',
  ) {
    const { membership, ...member } = await tx.teamMember.upsert({
      where: { organizationId_teamId_userId: { organizationId, teamId, userId } },
      create: { organizationId, teamId, userId, role },
      update: { role },
      select: TEAM_MEMBER_FIELDS,
    });
    return { ...member, ...membership.user };
  }

  removeMember(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    userId: string,
  ) {
    return tx.teamMember.deleteMany({ where: { organizationId, teamId, userId } });
  }
}
