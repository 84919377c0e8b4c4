import { Injectable } from '@nestjs/common';
import { CursorPosition, createdWithin, keysetAfter, NEWEST_FIRST } from '@app/common';
import { OrganizationId, TransactionClient, toStoredJson } from '@app/database';

const LINK_FIELDS = {
  id: true,
  report: true,
  parameters: true,
  expiresAt: true,
  revokedAt: true,
  createdById: true,
  createdAt: true,
} as const;

@Injectable()
export class ReportLinksRepository {
  create(
    tx: TransactionClient,
    organizationId: OrganizationId,
    link: {
      report: string;
      parameters: object;
      tokenHash: string;
      expiresAt: Date;
      createdById: string | null;
    },
  ) {
    return tx.reportLink.create({
      data: { organizationId, ...link, parameters: toStoredJson(link.parameters) },
      select: LINK_FIELDS,
    });
  }

  list(
    tx: TransactionClient,
    organizationId: OrganizationId,
    filter: { from?: string; to?: string },
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.reportLink.findMany({
      where: { organizationId, ...createdWithin(filter), ...keysetAfter(after) },
      orderBy: NEWEST_FIRST,
      take,
      select: LINK_FIELDS,
    });
  }

  /** Revokes a link that is not revoked yet; 0 when there is none such. */
  async revoke(tx: TransactionClient, organizationId: OrganizationId, linkId: string) {
    const { count } = await tx.reportLink.updateMany({
      where: { organizationId, id: linkId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    return count;
  }

  exists(tx: TransactionClient, organizationId: OrganizationId, linkId: string) {
    return tx.reportLink.findFirst({ where: { organizationId, id: linkId }, select: { id: true } });
  }

  /** The link with this token hash if it still opens: not revoked, not expired. */
  usable(tx: TransactionClient, organizationId: OrganizationId, tokenHash: string, now: Date) {
    return tx.reportLink.findFirst({
      where: { organizationId, tokenHash, revokedAt: null, expiresAt: { gt: now } },
      select: LINK_FIELDS,
    });
  }
}
