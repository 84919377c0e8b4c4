import { Injectable } from '@nestjs/common';
import type { CursorPosition } from '@app/common';
import type { MaturityModelDefinition } from '@app/maturity-model';
import {
  OrganizationId,
  Prisma,
  PrismaService,
  teamPagesSql,
  TransactionClient,
} from '@app/database';

export interface EvidenceRow {
  teamId: string;
  criterionKey: string;
  passed: boolean;
  url: string | null;
  commitSha: string | null;
  observedAt: Date;
  expiresAt: Date;
  run: Prisma.InputJsonValue | null;
}

export interface EvidenceBatch {
  batchId: string;
  source: 'webhook' | 'api';
  deliveryId: string | null;
  apiKeyId: string | null;
}

const EVIDENCE_FIELDS = {
  id: true,
  teamId: true,
  criterionKey: true,
  passed: true,
  url: true,
  commitSha: true,
  observedAt: true,
  expiresAt: true,
  source: true,
  batchId: true,
  deliveryId: true,
  run: true,
  createdAt: true,
} as const;

/** An evidence row as stored and read (what presentEvidence shows). */
export type StoredEvidence = Awaited<ReturnType<EvidenceRepository['insert']>>[number];

@Injectable()
export class EvidenceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Stores the rows of several batches in one statement. */
  insert(
    tx: TransactionClient,
    organizationId: OrganizationId,
    batches: { batch: EvidenceBatch; rows: EvidenceRow[] }[],
  ) {
    return tx.evidence.createManyAndReturn({
      data: batches.flatMap(({ batch, rows }) =>
        rows.map((row) => ({
          organizationId,
          ...batch,
          ...row,
          run: row.run ?? Prisma.DbNull,
        })),
      ),
      select: EVIDENCE_FIELDS,
    });
  }

  /** Removes what a delivery produced before it is processed again; the teams it touched. */
  async deleteOfDelivery(
    tx: TransactionClient,
    organizationId: OrganizationId,
    deliveryId: string,
  ): Promise<string[]> {
    const rows = await tx.$queryRaw<{ teamId: string }[]>`
      DELETE FROM evidence
       WHERE organization_id = ${organizationId}::uuid AND delivery_id = ${deliveryId}::uuid
      RETURNING team_id AS "teamId"`;
    return [...new Set(rows.map((row) => row.teamId))];
  }

  /**
   * Newest first, up to `take` items of each team asked for (a team's own page, from the cursor's
   * position when there is one), in one statement whatever the number of teams.
   */
  listOfTeams(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: readonly string[],
    filter: { from?: string; to?: string; criterionKey?: string; fresh?: boolean; now: Date },
    after: CursorPosition | undefined,
    take: number,
  ): Promise<StoredEvidence[]> {
    const conditions: Prisma.Sql[] = [];
    if (filter.criterionKey) conditions.push(Prisma.sql`e.criterion_key = ${filter.criterionKey}`);
    if (filter.fresh === true) {
      conditions.push(Prisma.sql`e.expires_at > ${filter.now} AND e.observed_at <= ${filter.now}`);
    } else if (filter.fresh === false) {
      conditions.push(Prisma.sql`e.expires_at <= ${filter.now}`);
    }
    return tx.$queryRaw<StoredEvidence[]>(
      teamPagesSql({
        table: 'evidence',
        alias: 'e',
        columns: Prisma.sql`e.id, e.team_id AS "teamId", e.criterion_key AS "criterionKey",
          e.passed, e.url, e.commit_sha AS "commitSha", e.observed_at AS "observedAt",
          e.expires_at AS "expiresAt", e.source::text AS source, e.batch_id AS "batchId",
          e.delivery_id AS "deliveryId", e.run, e.created_at AS "createdAt"`,
        organizationId,
        teamIds,
        range: filter,
        after,
        conditions,
        take,
      }),
    );
  }

  async existingTeamIds(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: string[],
  ): Promise<Set<string>> {
    if (teamIds.length === 0) return new Set();
    const rows = await tx.team.findMany({
      where: { organizationId, id: { in: teamIds } },
      select: { id: true },
    });
    return new Set(rows.map((row) => row.id));
  }

  /** Published model versions the organization can use (its own and the built-in ones). */
  async publishedVersionIds(
    tx: TransactionClient,
    organizationId: OrganizationId,
  ): Promise<string[]> {
    const rows = await tx.maturityModelVersion.findMany({
      where: { status: 'published', OR: [{ organizationId: null }, { organizationId }] },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  async definitions(
    tx: TransactionClient,
    organizationId: OrganizationId,
    versionIds: string[],
  ): Promise<{ id: string; definition: MaturityModelDefinition }[]> {
    const rows = await tx.maturityModelVersion.findMany({
      where: { id: { in: versionIds }, OR: [{ organizationId: null }, { organizationId }] },
      select: { id: true, definition: true },
    });
    return rows.map((row) => ({
      id: row.id,
      definition: row.definition as unknown as MaturityModelDefinition,
    }));
  }

  /**
   * Across tenants (ids only, through a SECURITY DEFINER function): teams whose deciding
   * evidence went stale by `now`. Not in a tenant transaction: each is re-scored in its own.
   */
  teamsWithStaleEvidence(now: Date, limit: number) {
    return this.prisma.$queryRaw<{ organizationId: string; teamId: string }[]>`
      SELECT organization_id AS "organizationId", team_id AS "teamId"
        FROM app_teams_with_stale_evidence(${now}, ${limit}::int)`;
  }
}
