import { Injectable } from '@nestjs/common';
import { PrismaService, TransactionClient } from '@app/database';
import type { OrganizationRole } from '@app/common';

export interface ApiKeyRecord {
  secretHash: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** Users, refresh tokens, and the two per-request access lookups. */
@Injectable()
export class AuthRepository {
  constructor(private readonly prisma: PrismaService) {}

  findUserByEmail(tx: TransactionClient, email: string) {
    return tx.user.findUnique({ where: { email } });
  }

  createUser(tx: TransactionClient, data: { email: string; name: string; passwordHash: string }) {
    return tx.user.create({ data, select: { id: true, email: true, name: true } });
  }

  createRefreshToken(
    tx: TransactionClient,
    data: { userId: string; familyId: string; tokenHash: string; expiresAt: Date },
  ) {
    return tx.refreshToken.create({ data });
  }

  findRefreshToken(tx: TransactionClient, tokenHash: string) {
    return tx.refreshToken.findUnique({ where: { tokenHash } });
  }

  /** Marks a token used unless someone already did: false means it was presented twice. */
  async claimRefreshToken(tx: TransactionClient, id: string): Promise<boolean> {
    const { count } = await tx.refreshToken.updateMany({
      where: { id, usedAt: null, revokedAt: null },
      data: { usedAt: new Date() },
    });
    return count === 1;
  }

  revokeFamily(tx: TransactionClient, familyId: string) {
    return tx.refreshToken.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
  }

  /** One round trip, under row-level security (see app_membership_role in the migrations). */
  async membershipRole(organizationId: string, userId: string): Promise<OrganizationRole | null> {
    const rows = await this.prisma.$queryRaw<{ role: OrganizationRole | null }[]>`
      SELECT app_membership_role(${organizationId}::uuid, ${userId}::uuid) AS role`;
    return rows[0]?.role ?? null;
  }

  async apiKeyOfOrganization(organizationId: string, keyId: string): Promise<ApiKeyRecord | null> {
    const rows = await this.prisma.$queryRaw<
      {
        secret_hash: string;
        scopes: string[] | null;
        expires_at: Date | null;
        revoked_at: Date | null;
        last_used_at: Date | null;
      }[]
    >`SELECT * FROM app_api_key_of_organization(${organizationId}::uuid, ${keyId}::uuid)`;
    const row = rows[0];
    if (!row) return null;
    return {
      secretHash: row.secret_hash,
      scopes: row.scopes ?? [],
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      lastUsedAt: row.last_used_at,
    };
  }

  /** Marks a key used; called only once its secret, revocation and expiry were checked. */
  async touchApiKey(organizationId: string, keyId: string): Promise<void> {
    await this.prisma
      .$executeRaw`SELECT app_touch_api_key(${organizationId}::uuid, ${keyId}::uuid)`;
  }
}
