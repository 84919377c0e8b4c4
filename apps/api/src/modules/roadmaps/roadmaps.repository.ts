import { Injectable } from '@nestjs/common';
import { CursorPosition, createdWithin, keysetAfter, NEWEST_FIRST } from '@app/common';
import { OrganizationId, TransactionClient, toStoredJson } from '@app/database';
import type { RoadmapPhase } from '@app/roadmap';

export type ItemStatus = 'todo' | 'in_progress' | 'done' | 'dropped';
export type ChangeCause = 'created' | 'user' | 'assessment' | 'evidence' | 'expiry' | 'campaign';

export interface NewRoadmapItem {
  position: number;
  dimensionKey: string;
  criterionKey: string;
  level: number;
  weight: number;
  title: string;
  why: string;
  ciSignal: string | null;
  phase: RoadmapPhase;
  dueOn: Date;
}

export interface ItemEventInput {
  itemId: string;
  cause: ChangeCause;
  causeId: string | null;
  fromStatus: ItemStatus | null;
  toStatus: ItemStatus;
  changes: Record<string, unknown>;
}

const ITEM_FIELDS = {
  id: true,
  roadmapId: true,
  position: true,
  dimensionKey: true,
  criterionKey: true,
  level: true,
  weight: true,
  title: true,
  why: true,
  ciSignal: true,
  phase: true,
  status: true,
  autoClosed: true,
  ownerUserId: true,
  dueOn: true,
  note: true,
  lockVersion: true,
  updatedAt: true,
} as const;

const ROADMAP_FIELDS = {
  id: true,
  teamId: true,
  status: true,
  modelVersionId: true,
  fromAssessmentId: true,
  targetLevels: true,
  startsOn: true,
  horizonMonths: true,
  createdById: true,
  createdAt: true,
  archivedAt: true,
} as const;

@Injectable()
export class RoadmapsRepository {
  /** The team's latest submitted assessment (its stored result is the team's scored state). */
  latestSubmittedAssessment(tx: TransactionClient, organizationId: OrganizationId, teamId: string) {
    return tx.assessment.findFirst({
      where: { organizationId, teamId, status: 'submitted' },
      orderBy: [{ submittedAt: 'desc' }, { id: 'desc' }],
      select: { id: true, teamId: true, modelVersionId: true, result: true, status: true },
    });
  }

  assessment(tx: TransactionClient, organizationId: OrganizationId, assessmentId: string) {
    return tx.assessment.findFirst({
      where: { organizationId, id: assessmentId },
      select: { id: true, teamId: true, modelVersionId: true, result: true, status: true },
    });
  }

  teamRoleOf(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    userId: string,
  ) {
    return tx.teamMember.findUnique({
      where: { organizationId_teamId_userId: { organizationId, teamId, userId } },
      select: { role: true },
    });
  }

  /** Locks the team's active roadmap (if any) and archives it. */
  archiveActive(tx: TransactionClient, organizationId: OrganizationId, teamId: string) {
    return tx.roadmap.updateManyAndReturn({
      where: { organizationId, teamId, status: 'active' },
      data: { status: 'archived', archivedAt: new Date() },
      select: { id: true },
    });
  }

  archive(tx: TransactionClient, organizationId: OrganizationId, roadmapId: string) {
    return tx.roadmap.updateMany({
      where: { organizationId, id: roadmapId, status: 'active' },
      data: { status: 'archived', archivedAt: new Date() },
    });
  }

  async create(
    tx: TransactionClient,
    organizationId: OrganizationId,
    roadmap: {
      teamId: string;
      modelVersionId: string;
      fromAssessmentId: string | null;
      targetLevels: Record<string, number>;
      startsOn: Date;
      horizonMonths: number;
      createdById: string | null;
    },
    items: NewRoadmapItem[],
  ) {
    const created = await tx.roadmap.create({
      data: { organizationId, status: 'active', ...roadmap },
      select: ROADMAP_FIELDS,
    });
    const rows = await tx.roadmapItem.createManyAndReturn({
      data: items.map((item) => ({
        organizationId,
        roadmapId: created.id,
        status: 'todo' as const,
        ...item,
      })),
      select: ITEM_FIELDS,
    });
    return { roadmap: created, items: rows.sort((a, b) => a.position - b.position) };
  }

  list(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    filter: { from?: string; to?: string },
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.roadmap.findMany({
      where: { organizationId, teamId, ...createdWithin(filter), ...keysetAfter(after) },
      orderBy: NEWEST_FIRST,
      take,
      select: ROADMAP_FIELDS,
    });
  }

  find(tx: TransactionClient, organizationId: OrganizationId, teamId: string, roadmapId: string) {
    return tx.roadmap.findFirst({
      where: { organizationId, teamId, id: roadmapId },
      select: ROADMAP_FIELDS,
    });
  }

  items(tx: TransactionClient, organizationId: OrganizationId, roadmapId: string) {
    return tx.roadmapItem.findMany({
      where: { organizationId, roadmapId },
      orderBy: { position: 'asc' },
      select: ITEM_FIELDS,
    });
  }

  /**
   * The reconciliation in ONE statement (it runs inside every assessment submit): locks the items
   * of the team's active roadmap, closes the open ones whose criterion is in `satisfied` and
   * reopens the auto-closed done ones whose criterion is in `unsatisfied` (lock version bumped),
   * and appends a history entry with the cause for each change. Answers the changed items.
   */
  reconcileActiveItems(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    criteria: { satisfied: string[]; unsatisfied: string[]; statuses: Record<string, string> },
    cause: { kind: ChangeCause; id: string | null },
  ) {
    return tx.$queryRaw<{ id: string; toStatus: ItemStatus }[]>`
      WITH active AS (
        SELECT i."id", i."criterion_key", i."status", i."auto_closed"
          FROM "roadmap_items" i
          JOIN "roadmaps" r ON r."organization_id" = i."organization_id" AND r."id" = i."roadmap_id"
         WHERE r."organization_id" = ${organizationId}::uuid AND r."team_id" = ${teamId}::uuid
           AND r."status" = 'active'
           FOR UPDATE OF i
      ), decided AS (
        SELECT a."id", a."criterion_key", a."status" AS from_status,
               (CASE WHEN a."criterion_key" = ANY(${criteria.satisfied}::text[]) THEN 'done'
                     ELSE 'todo' END)::"RoadmapItemStatus" AS to_status
          FROM active a
         WHERE (a."criterion_key" = ANY(${criteria.satisfied}::text[])
                AND a."status" IN ('todo', 'in_progress'))
            OR (a."criterion_key" = ANY(${criteria.unsatisfied}::text[])
                AND a."status" = 'done' AND a."auto_closed")
      ), changed AS (
        UPDATE "roadmap_items" i
           SET "status" = d.to_status, "auto_closed" = (d.to_status = 'done'),
               "lock_version" = i."lock_version" + 1, "updated_at" = now()
          FROM decided d
         WHERE i."organization_id" = ${organizationId}::uuid AND i."id" = d."id"
        RETURNING i."id"
      ), history AS (
        INSERT INTO "roadmap_item_events"
               ("organization_id", "item_id", "cause", "cause_id", "from_status", "to_status", "changes")
        SELECT ${organizationId}::uuid, d."id", ${cause.kind}::"RoadmapChangeCause", ${cause.id},
               d.from_status, d.to_status,
               jsonb_build_object('status', d.to_status,
                                  'criterionStatus', ${JSON.stringify(criteria.statuses)}::jsonb ->> d."criterion_key")
          FROM decided d JOIN changed c ON c."id" = d."id"
        RETURNING "item_id"
      )
      SELECT d."id", d.to_status::text AS "toStatus"
        FROM decided d JOIN history h ON h."item_id" = d."id"`;
  }

  item(tx: TransactionClient, organizationId: OrganizationId, roadmapId: string, itemId: string) {
    return tx.roadmapItem.findFirst({
      where: { organizationId, roadmapId, id: itemId },
      select: ITEM_FIELDS,
    });
  }

  history(tx: TransactionClient, organizationId: OrganizationId, itemId: string) {
    return tx.roadmapItemEvent.findMany({
      where: { organizationId, itemId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: {
        id: true,
        cause: true,
        causeId: true,
        fromStatus: true,
        toStatus: true,
        changes: true,
        createdAt: true,
      },
    });
  }

  /** Compare-and-set on the lock version: 0 rows when someone changed the item meanwhile. */
  async updateItem(
    tx: TransactionClient,
    organizationId: OrganizationId,
    itemId: string,
    lockVersion: number,
    data: {
      status?: ItemStatus;
      autoClosed?: boolean;
      ownerUserId?: string | null;
      dueOn?: Date | null;
      note?: string | null;
    },
  ) {
    const [row] = await tx.roadmapItem.updateManyAndReturn({
      where: { organizationId, id: itemId, lockVersion },
      data: { ...data, lockVersion: { increment: 1 } },
      select: ITEM_FIELDS,
    });
    return row;
  }

  appendEvents(tx: TransactionClient, organizationId: OrganizationId, events: ItemEventInput[]) {
    if (events.length === 0) return Promise.resolve({ count: 0 });
    return tx.roadmapItemEvent.createMany({
      data: events.map((event) => ({
        organizationId,
        ...event,
        changes: toStoredJson(event.changes),
      })),
    });
  }
}
