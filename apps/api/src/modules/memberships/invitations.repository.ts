import { Injectable } from '@nestjs/common';
import {
  createdWithin,
  CursorPosition,
  keysetAfter,
  NEWEST_FIRST,
  OrganizationRole,
} from '@app/common';
import { OrganizationId, TransactionClient } from '@app/database';

const INVITATION_FIELDS = {
  id: true,
  email: true,
  role: true,
  invitedById: true,
  createdAt: true,
  expiresAt: true,
} as const;

@Injectable()
export class InvitationsRepository {
  create(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: {
      id: string;
      email: string;
      role: OrganizationRole;
      tokenHash: string;
      invitedById: string;
      expiresAt: Date;
    },
  ) {
    return tx.invitation.create({ data: { organizationId, ...data }, select: INVITATION_FIELDS });
  }

  /** Invitations that can still be accepted: neither used nor expired at `now`. */
  listPending(
    tx: TransactionClient,
    organizationId: OrganizationId,
    range: { from?: string; to?: string },
    after: CursorPosition | undefined,
    take: number,
    now: Date,
  ) {
    return tx.invitation.findMany({
      where: {
        organizationId,
        acceptedAt: null,
        expiresAt: { gt: now },
        AND: [createdWithin(range), keysetAfter(after)],
      },
      orderBy: NEWEST_FIRST,
      take,
      select: INVITATION_FIELDS,
    });
  }

  find(tx: TransactionClient, organizationId: OrganizationId, invitationId: string) {
    return tx.invitation.findUnique({
      where: { organizationId_id: { organizationId, id: invitationId } },
      select: { ...INVITATION_FIELDS, acceptedAt: true },
    });
  }

  /** By the hash of its token, in the organization the token names (the hash is unique). */
  findByTokenHash(tx: TransactionClient, organizationId: OrganizationId, tokenHash: string) {
    return tx.invitation.findFirst({
      where: { organizationId, tokenHash, organization: { deletedAt: null } },
      select: { ...INVITATION_FIELDS, acceptedAt: true },
    });
  }

  /** Marks the invitation used unless someone already did: false means it was used first. */
  async claim(
    tx: TransactionClient,
    organizationId: OrganizationId,
    invitationId: string,
    userId: string,
  ): Promise<boolean> {
    const { count } = await tx.invitation.updateMany({
      where: { organizationId, id: invitationId, acceptedAt: null },
      data: { acceptedAt: new Date(), acceptedById: userId },
    });
    return count === 1;
  }

  delete(tx: TransactionClient, organizationId: OrganizationId, invitationId: string) {
    return tx.invitation.delete({
      where: { organizationId_id: { organizationId, id: invitationId } },
    });
  }
}
