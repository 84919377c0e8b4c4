import { Injectable } from '@nestjs/common';
import { createdWithin, CursorPosition, keysetAfter, NEWEST_FIRST } from '@app/common';
import { OrganizationId, TransactionClient } from '@app/database';

/** Never the secret hash: nothing that leaves this repository can be used to check a guess. */
const API_KEY_FIELDS = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdById: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
} as const;

@Injectable()
export class ApiKeysRepository {
  create(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: {
      id: string;
      name: string;
      prefix: string;
      secretHash: string;
      scopes: string[];
      createdById: string;
      expiresAt: Date | null;
    },
  ) {
    return tx.apiKey.create({ data: { organizationId, ...data }, select: API_KEY_FIELDS });
  }

  /** Keys that were not revoked (expired ones stay listed, with their expiry, until revoked). */
  listActive(
    tx: TransactionClient,
    organizationId: OrganizationId,
    range: { from?: string; to?: string },
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.apiKey.findMany({
      where: { organizationId, revokedAt: null, AND: [createdWithin(range), keysetAfter(after)] },
      orderBy: NEWEST_FIRST,
      take,
      select: API_KEY_FIELDS,
    });
  }

  /** Revokes the key unless it already was: false when no such unrevoked key exists. */
  async revoke(
    tx: TransactionClient,
    organizationId: OrganizationId,
    keyId: string,
  ): Promise<boolean> {
    const { count } = await tx.apiKey.updateMany({
      where: { organizationId, id: keyId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    return count === 1;
  }
}
