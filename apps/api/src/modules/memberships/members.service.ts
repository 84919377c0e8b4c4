import { Injectable } from '@nestjs/common';
import {
  OrganizationRole,
  Page,
  problems,
  roleAllows,
  TimeRangePageQueryDto,
  TenantScope,
  roleOf,
  actingUserId,
  fetchPage,
} from '@app/common';
import { OrganizationId, TenantTransactions, TransactionClient } from '@app/database';
import { AuditTrail } from '../audit/audit-trail';
import { MemberDto } from './dto/membership.dto';
import { MembersRepository } from './members.repository';

type MemberRow = NonNullable<Awaited<ReturnType<MembersRepository['find']>>>;

function toMember({ user, ...membership }: MemberRow): MemberDto {
  return { ...membership, ...user, role: membership.role as OrganizationRole };
}

/**
 * The members of an organization and their roles. Two rules hold whoever asks: only an owner may
 * grant or take away the owner role, and an organization always keeps at least one owner.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly members: MembersRepository,
    private readonly audit: AuditTrail,
  ) {}

  list(scope: TenantScope, query: TimeRangePageQueryDto): Promise<Page<MemberDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, (tx) =>
      fetchPage(
        query,
        ({ after, take }) => this.members.list(tx, organizationId, query, after, take),
        toMember,
        // Memberships are ordered by when the member joined, then by user id.
        { positionOf: (row) => ({ createdAt: row.createdAt, id: row.userId }) },
      ),
    );
  }

  changeRole(scope: TenantScope, userId: string, role: OrganizationRole): Promise<MemberDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const member = await this.existingMember(tx, organizationId, userId);
      if (role === 'owner' || member.role === 'owner') {
        this.requireOwner(scope, 'Only an owner may grant or take away the owner role.');
      }
      if (member.role === role) return toMember(member);
      if (member.role === 'owner') {
        await this.keepAnOwner(tx, organizationId, userId, 'The last owner cannot be demoted.');
      }
      const changed = await this.members.changeRole(tx, organizationId, userId, role);
      await this.audit.record(tx, scope, {
        action: 'member.role_changed',
        entityType: 'membership',
        entityId: userId,
        changes: { role: { from: member.role, to: role } },
      });
      return toMember(changed);
    });
  }

  /**
   * Any member may leave (remove themselves); removing someone else needs members:manage, and
   * removing an owner needs an owner. The route itself only asks for members:read so that
   * leaving works for every role.
   */
  remove(scope: TenantScope, userId: string): Promise<void> {
    const { organizationId } = scope;
    const leaving = userId === actingUserId(scope);
    const callerRole = roleOf(scope);
    if (!leaving && !(callerRole && roleAllows(callerRole, 'members:manage'))) {
      throw problems.forbidden(
        `The ${callerRole ?? 'caller'} role may only remove itself (removing others needs members:manage).`,
      );
    }
    return this.transactions.run(scope, async (tx) => {
      const member = await this.existingMember(tx, organizationId, userId);
      if (member.role === 'owner') {
        if (!leaving) this.requireOwner(scope, 'Only an owner may remove an owner.');
        await this.keepAnOwner(
          tx,
          organizationId,
          userId,
          'The last owner cannot leave or be removed.',
        );
      }
      await this.members.remove(tx, organizationId, userId);
      await this.audit.record(tx, scope, {
        action: leaving ? 'member.left' : 'member.removed',
        entityType: 'membership',
        entityId: userId,
        changes: { role: member.role },
      });
    });
  }

  private async existingMember(
    tx: TransactionClient,
    organizationId: OrganizationId,
    userId: string,
  ) {
    const member = await this.members.find(tx, organizationId, userId);
    if (!member) throw problems.notFound('Member');
    return member;
  }

  private requireOwner(scope: TenantScope, reason: string): void {
    if (roleOf(scope) !== 'owner') throw problems.forbidden(reason);
  }

  /** 409 when `userId` is the only owner left (the owner rows stay locked until commit). */
  private async keepAnOwner(
    tx: TransactionClient,
    organizationId: OrganizationId,
    userId: string,
    reason: string,
  ): Promise<void> {
    const owners = await this.members.lockOwners(tx, organizationId);
    if (owners.every((ownerId) => ownerId === userId)) {
      throw problems.conflict(`${reason} Make another member an owner first.`);
    }
  }
}
