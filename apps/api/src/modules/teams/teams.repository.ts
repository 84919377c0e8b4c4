import { Injectable } from '@nestjs/common';
import { CursorPosition } from '@app/common';
import { joinSql, OrganizationId, sql, TenantRead, TransactionClient } from '@app/database';

const TEAM_FIELDS = { id: true, name: true, slug: true, createdAt: true, updatedAt: true } as const;
const TEAM_MEMBER_FIELDS = {
  userId: true,
  role: true,
  createdAt: true,
  membership: { select: { user: { select: { email: true, name: true } } } },
} as const;

export interface TeamRow {
  id: string;
  name: string;
  slug: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A team member as lists show them: with the user's email and name. */
export interface TeamMemberRow {
  userId: string;
  role: string;
  createdAt: Date;
  email: string;
  name: string;
}

function memberRowOf({
  membership,
  ...member
}: {
  userId: string;
  role: string;
  createdAt: Date;
  membership: { user: { email: string; name: string } };
}): TeamMemberRow {
  return { ...member, ...membership.user };
}

@Injectable()
export class TeamsRepository {
  create(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: { name: string; slug: string },
  ) {
    return tx.team.create({ data: { organizationId, ...data }, select: TEAM_FIELDS });
  }

  /**
   * A page of teams, newest first (keyset after the cursor), as SQL for
   * TenantTransactions.readOnce: one round trip, the hot read of this API.
   */
  listRead(
    organizationId: OrganizationId,
    range: { from?: string; to?: string },
    after: CursorPosition | undefined,
    take: number,
  ): TenantRead<TeamRow> {
    const conditions = [sql`organization_id = ${organizationId}::uuid`];
    if (range.from) conditions.push(sql`created_at >= ${new Date(range.from)}::timestamptz`);
    if (range.to) conditions.push(sql`created_at < ${new Date(range.to)}::timestamptz`);
    if (after) {
      conditions.push(
        sql`(created_at < ${after.createdAt}::timestamptz
             OR (created_at = ${after.createdAt}::timestamptz AND id < ${after.id}::uuid))`,
      );
    }
    return {
      sql: sql`SELECT id, name, slug, created_at, updated_at FROM teams
                WHERE ${joinSql(conditions, ' AND ')}
                ORDER BY created_at DESC, id DESC LIMIT ${take}`,
      map: (row) => ({
        id: row.id as string,
        name: row.name as string,
        slug: row.slug as string,
        createdAt: row.created_at as Date,
        updatedAt: row.updated_at as Date,
      }),
    };
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

  /**
   * The members of each team asked for, in one read whatever the number of teams (Prisma's three
   * statements: members, memberships, users): oldest first (by user id on a tie), so each team's
   * members come in the order its list shows them.
   */
  async membersOfTeams(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: readonly string[],
  ): Promise<(TeamMemberRow & { teamId: string })[]> {
    const members = await tx.teamMember.findMany({
      where: { organizationId, teamId: { in: [...teamIds] } },
      orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
      select: { ...TEAM_MEMBER_FIELDS, teamId: true },
    });
    return members.map(({ teamId, ...member }) => ({ teamId, ...memberRowOf(member) }));
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
    const member = await tx.teamMember.upsert({
      where: { organizationId_teamId_userId: { organizationId, teamId, userId } },
      create: { organizationId, teamId, userId, role },
      update: { role },
      select: TEAM_MEMBER_FIELDS,
    });
    return memberRowOf(member);
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
