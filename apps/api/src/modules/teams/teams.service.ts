import { Injectable } from '@nestjs/common';
import { Page, problems, TimeRangePageQueryDto, TenantScope, fetchPage } from '@app/common';
import {
  OrganizationId,
  isForeignKeyViolation,
  isUniqueViolation,
  TenantTransactions,
  TransactionClient,
} from '@app/database';
import { AuditTrail } from '../audit/audit-trail';
import { CreateTeamDto, TeamDto, TeamMemberDto, UpdateTeamDto } from './dto/team.dto';
import { TeamsRepository } from './teams.repository';

@Injectable()
export class TeamsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly teams: TeamsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async create(scope: TenantScope, input: CreateTeamDto): Promise<TeamDto> {
    const { organizationId } = scope;
    try {
      return await this.transactions.run(scope, async (tx) => {
        const team = await this.teams.create(tx, organizationId, input);
        await this.audit.record(tx, scope, {
          action: 'team.created',
          entityType: 'team',
          entityId: team.id,
          changes: { ...input },
        });
        return team;
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw problems.conflict(`A team with slug "${input.slug}" exists.`);
      throw error;
    }
  }

  /** The hot read: one round trip (membership check, tenant setting and SELECT in one message). */
  async list(scope: TenantScope, query: TimeRangePageQueryDto): Promise<Page<TeamDto>> {
    const { organizationId } = scope;
    return fetchPage(
      query,
      ({ after, take }) =>
        this.transactions.readOnce(scope, this.teams.listRead(organizationId, query, after, take)),
      (team) => team,
    );
  }

  get(scope: TenantScope, teamId: string): Promise<TeamDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, (tx) => this.existingTeam(tx, organizationId, teamId));
  }

  async update(scope: TenantScope, teamId: string, input: UpdateTeamDto): Promise<TeamDto> {
    const { organizationId } = scope;
    try {
      return await this.transactions.run(scope, async (tx) => {
        await this.existingTeam(tx, organizationId, teamId);
        const team = await this.teams.update(tx, organizationId, teamId, input);
        await this.audit.record(tx, scope, {
          action: 'team.updated',
          entityType: 'team',
          entityId: teamId,
          changes: { ...input },
        });
        return team;
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw problems.conflict(`A team with slug "${input.slug}" exists.`);
      throw error;
    }
  }

  /** A team with assessment history cannot be deleted (409): the history would lose its subject. */
  async remove(scope: TenantScope, teamId: string): Promise<void> {
    const { organizationId } = scope;
    try {
      await this.transactions.run(scope, async (tx) => {
        await this.existingTeam(tx, organizationId, teamId);
        await this.teams.delete(tx, organizationId, teamId);
        await this.audit.record(tx, scope, {
          action: 'team.deleted',
          entityType: 'team',
          entityId: teamId,
        });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw problems.conflict(
          'The team has assessments or progress history; it cannot be deleted.',
        );
      }
      throw error;
    }
  }

  listMembers(scope: TenantScope, teamId: string): Promise<Page<TeamMemberDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.existingTeam(tx, organizationId, teamId);
      const members = await this.teams.membersOfTeams(tx, organizationId, [teamId]);
      return { items: members.map(({ teamId: _teamId, ...member }) => member), nextCursor: null };
    });
  }

  /**
   * listMembers() of many teams in one transaction of a fixed number of statements whatever the
   * number of teams, by team id; a team without members, of another organization or unknown,
   * gets none.
   */
  membersOfTeams(
    scope: TenantScope,
    teamIds: readonly string[],
  ): Promise<Map<string, TeamMemberDto[]>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const rows = await this.teams.membersOfTeams(tx, organizationId, teamIds);
      const members = new Map<string, TeamMemberDto[]>(teamIds.map((teamId) => [teamId, []]));
      for (const { teamId, ...member } of rows) members.get(teamId)?.push(member);
      return members;
    });
  }

  /** Only members of the organization can join its teams. */
  putMember(scope: TenantScope, teamId: string, userId: string, role: 'lead' | 'member') {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.existingTeam(tx, organizationId, teamId);
      if (!(await this.teams.isOrganizationMember(tx, organizationId, userId))) {
        throw problems.notFound('Member of this organization');
      }
      const member = await this.teams.upsertMember(tx, organizationId, teamId, userId, role);
      await this.audit.record(tx, scope, {
        action: 'team.member_set',
        entityType: 'team',
        entityId: teamId,
        changes: { userId, role },
      });
      return member;
    });
  }

  removeMember(scope: TenantScope, teamId: string, userId: string): Promise<void> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.existingTeam(tx, organizationId, teamId);
      const { count } = await this.teams.removeMember(tx, organizationId, teamId, userId);
      if (count === 0) throw problems.notFound('Team member');
      await this.audit.record(tx, scope, {
        action: 'team.member_removed',
        entityType: 'team',
        entityId: teamId,
        changes: { userId },
      });
    });
  }

  /** For other modules (assessments, progress): the team, or 404 in this organization. */
  async existingTeam(tx: TransactionClient, organizationId: OrganizationId, teamId: string) {
    const team = await this.teams.find(tx, organizationId, teamId);
    if (!team) throw problems.notFound('Team');
    return team;
  }
}
