import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  APP_CONFIG,
  AppConfig,
  hashSecret,
  OrganizationRole,
  Page,
  problems,
  TimeRangePageQueryDto,
  TenantScope,
  UserScope,
  roleOf,
  requireActingUser,
  fetchPage,
} from '@app/common';
import { isUniqueViolation, OrganizationId, TenantTransactions } from '@app/database';
import { AuditTrail } from '../audit/audit-trail';
import {
  AcceptedInvitationDto,
  CreatedInvitationDto,
  CreateInvitationDto,
  InvitationDto,
} from './dto/membership.dto';
import { issueInvitationToken, organizationOfInvitationToken } from './invitation-token';
import { InvitationsRepository } from './invitations.repository';
import { MembersRepository } from './members.repository';

/**
 * Invitations bring people into an organization. There is no mail server: the inviter hands the
 * token on, and only a signed-in user whose email matches the invitation can accept it.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly invitations: InvitationsRepository,
    private readonly members: MembersRepository,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Only owners may invite owners: otherwise an admin could make themselves one by proxy. */
  create(scope: TenantScope, input: CreateInvitationDto): Promise<CreatedInvitationDto> {
    const { organizationId } = scope;
    if (input.role === 'owner' && roleOf(scope) !== 'owner') {
      throw problems.forbidden('Only an owner may invite an owner.');
    }
    const invitedById = requireActingUser(scope);
    const id = randomUUID();
    const token = issueInvitationToken(organizationId);
    const expiresAt = new Date(Date.now() + this.config.INVITATION_TTL_SECONDS * 1000);
    return this.transactions.run(scope, async (tx) => {
      if (await this.members.hasMemberWithEmail(tx, organizationId, input.email)) {
        throw problems.conflict(`${input.email} is already a member of this organization.`);
      }
      const invitation = await this.invitations.create(tx, organizationId, {
        id,
        email: input.email,
        role: input.role,
        tokenHash: hashSecret(token),
        invitedById,
        expiresAt,
      });
      await this.audit.record(tx, scope, {
        action: 'invitation.created',
        entityType: 'invitation',
        entityId: id,
        changes: { email: input.email, role: input.role, expiresAt },
      });
      return { ...invitation, role: input.role, token };
    });
  }

  /** Invitations that can still be accepted, newest first; their tokens are never shown again. */
  listPending(scope: TenantScope, query: TimeRangePageQueryDto): Promise<Page<InvitationDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, (tx) =>
      fetchPage(
        query,
        ({ after, take }) =>
          this.invitations.listPending(tx, organizationId, query, after, take, new Date()),
        (row) => ({ ...row, role: row.role as OrganizationRole }),
      ),
    );
  }

  /** Revoking deletes the invitation: its token stops working at once. */
  revoke(scope: TenantScope, invitationId: string): Promise<void> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const invitation = await this.invitations.find(tx, organizationId, invitationId);
      if (!invitation) throw problems.notFound('Invitation');
      if (invitation.acceptedAt) {
        throw problems.conflict('The invitation was accepted; remove the member instead.');
      }
      await this.invitations.delete(tx, organizationId, invitationId);
      await this.audit.record(tx, scope, {
        action: 'invitation.revoked',
        entityType: 'invitation',
        entityId: invitationId,
        changes: { email: invitation.email, role: invitation.role },
      });
    });
  }

  /**
   * Whatever is wrong with a token that is not this user's (malformed, unknown, another email)
   * answers 404, so a token says nothing to someone it was not meant for. Only its rightful
   * invitee learns that it expired or was used (410).
   */
  async accept(caller: UserScope, token: string): Promise<AcceptedInvitationDto> {
    const tokenOrganization = organizationOfInvitationToken(token);
    if (!tokenOrganization) throw problems.notFound('Invitation');
    const { userId } = caller.actor;
    // Not a membership-checked id: the token's secret is what admits the caller, and the
    // transaction shows nothing of any other organization.
    const organizationId = tokenOrganization as OrganizationId;
    try {
      return await this.transactions.run(
        organizationId,
        async (tx) => {
          const invitation = await this.invitations.findByTokenHash(
            tx,
            organizationId,
            hashSecret(token),
          );
          const email = await this.members.emailOf(tx, userId);
          if (!invitation || invitation.email.toLowerCase() !== email?.toLowerCase()) {
            throw problems.notFound('Invitation');
          }
          if (invitation.acceptedAt) throw problems.gone('The invitation was already used.');
          if (invitation.expiresAt <= new Date()) {
            throw problems.gone('The invitation expired; ask for a new one.');
          }
          if (await this.members.find(tx, organizationId, userId)) {
            throw problems.conflict('You are already a member of this organization.');
          }
          if (!(await this.invitations.claim(tx, organizationId, invitation.id, userId))) {
            throw problems.gone('The invitation was already used.');
          }
          const role = invitation.role as OrganizationRole;
          await this.members.add(tx, organizationId, userId, role);
          const scope: TenantScope = {
            organizationId,
            actor: { kind: 'user', userId, role },
            meta: caller.meta,
          };
          await this.audit.record(tx, scope, {
            action: 'member.joined',
            entityType: 'membership',
            entityId: userId,
            changes: { role, invitationId: invitation.id },
          });
          return { organizationId, role };
        },
        { userId },
      );
    } catch (error) {
      // Two invitations accepted at once by the same user: the second finds the first's row.
      if (isUniqueViolation(error)) {
        throw problems.conflict('You are already a member of this organization.');
      }
      throw error;
    }
  }
}
