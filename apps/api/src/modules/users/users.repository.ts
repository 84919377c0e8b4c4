import { Injectable } from '@nestjs/common';
import { TransactionClient } from '@app/database';

@Injectable()
export class UsersRepository {
  /** The user with their memberships in organizations that still exist. */
  findWithMemberships(tx: TransactionClient, userId: string) {
    return tx.user.findUnique({
      where: { id: userId },
      select: {
        id: true,
        email: true,
        name: true,
        memberships: {
          where: { organization: { deletedAt: null } },
          select: { organizationId: true, role: true },
          orderBy: { createdAt: 'asc' },
        },
      },
    });
  }
}
