import { Injectable } from '@nestjs/common';
import { CursorPosition, keysetAfter, NEWEST_FIRST } from '@app/common';
import { OrganizationId, Prisma, TransactionClient } from '@app/database';

/** null = the built-in catalogue only; an id = the catalogue and that organization's models. */
export type Visibility = OrganizationId | null;

function visibleTo(organizationId: Visibility) {
  return organizationId === null
    ? { organizationId: null }
    : { OR: [{ organizationId: null }, { organizationId }] };
}

const VERSION_SUMMARY = {
  id: true,
  version: true,
  status: true,
  publishedAt: true,
  lockVersion: true,
} as const;
const MODEL_FIELDS = {
  id: true,
  organizationId: true,
  key: true,
  name: true,
  description: true,
  clonedFromVersionId: true,
  createdAt: true,
  updatedAt: true,
  versions: { select: VERSION_SUMMARY, orderBy: { version: 'asc' as const } },
} as const;
const VERSION_FIELDS = {
  id: true,
  organizationId: true,
  modelId: true,
  version: true,
  status: true,
  definition: true,
  lockVersion: true,
  createdAt: true,
  publishedAt: true,
} as const;

/**
 * The only Prisma user for models. Reads take the visibility explicitly (row-level security
 * enforces the same rule again); writes only ever touch the organization's own rows.
 */
@Injectable()
export class MaturityModelsRepository {
  listModels(
    tx: TransactionClient,
    organizationId: Visibility,
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.maturityModel.findMany({
      where: { AND: [visibleTo(organizationId), keysetAfter(after)] },
      orderBy: NEWEST_FIRST,
      take,
      select: MODEL_FIELDS,
    });
  }

  findModel(tx: TransactionClient, organizationId: Visibility, modelId: string) {
    return tx.maturityModel.findFirst({
      where: { id: modelId, ...visibleTo(organizationId) },
      select: MODEL_FIELDS,
    });
  }

  findVersion(tx: TransactionClient, organizationId: Visibility, modelId: string, version: number) {
    return tx.maturityModelVersion.findFirst({
      where: { modelId, version, ...visibleTo(organizationId) },
      select: VERSION_FIELDS,
    });
  }

  findVersionById(tx: TransactionClient, organizationId: Visibility, versionId: string) {
    return tx.maturityModelVersion.findFirst({
      where: { id: versionId, ...visibleTo(organizationId) },
      select: VERSION_FIELDS,
    });
  }

  findDraft(tx: TransactionClient, organizationId: OrganizationId, modelId: string) {
    return tx.maturityModelVersion.findFirst({
      where: { modelId, organizationId, status: 'draft' },
      orderBy: { version: 'desc' },
      select: VERSION_FIELDS,
    });
  }

  latestVersion(tx: TransactionClient, organizationId: OrganizationId, modelId: string) {
    return tx.maturityModelVersion.findFirst({
      where: { modelId, organizationId },
      orderBy: { version: 'desc' },
      select: VERSION_FIELDS,
    });
  }

  createModel(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: { key: string; name: string; description: string; clonedFromVersionId: string },
  ) {
    return tx.maturityModel.create({ data: { organizationId, ...data }, select: { id: true } });
  }

  renameModel(
    tx: TransactionClient,
    organizationId: OrganizationId,
    modelId: string,
    data: { name?: string; description?: string },
  ) {
    return tx.maturityModel.updateMany({ where: { id: modelId, organizationId }, data });
  }

  createDraft(
    tx: TransactionClient,
    organizationId: OrganizationId,
    modelId: string,
    version: number,
    definition: Prisma.InputJsonValue,
  ) {
    return tx.maturityModelVersion.create({
      data: { organizationId, modelId, version, status: 'draft', definition },
      select: VERSION_FIELDS,
    });
  }

  /** Changes the draft only if nobody changed it since `lockVersion`; returns rows changed. */
  async updateDraft(
    tx: TransactionClient,
    organizationId: OrganizationId,
    versionId: string,
    lockVersion: number,
    definition: Prisma.InputJsonValue,
  ): Promise<number> {
    const { count } = await tx.maturityModelVersion.updateMany({
      where: { id: versionId, organizationId, status: 'draft', lockVersion },
      data: { definition, lockVersion: { increment: 1 } },
    });
    return count;
  }

  async publishDraft(
    tx: TransactionClient,
    organizationId: OrganizationId,
    versionId: string,
    lockVersion: number,
    publishedAt: Date,
  ): Promise<number> {
    const { count } = await tx.maturityModelVersion.updateMany({
      where: { id: versionId, organizationId, status: 'draft', lockVersion },
      data: { status: 'published', publishedAt, lockVersion: { increment: 1 } },
    });
    return count;
  }
}
