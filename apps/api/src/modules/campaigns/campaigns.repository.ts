import { Injectable } from '@nestjs/common';
import { createdWithin, CursorPosition, keysetAfter, NEWEST_FIRST } from '@app/common';
import { OrganizationId, Prisma, TransactionClient } from '@app/database';
import type { AnswerStatus } from '../assessments/dto/assessment.dto';
import type { AggregationRuleName, CampaignStatus } from './dto/campaign.dto';

const CAMPAIGN_FIELDS = {
  id: true,
  name: true,
  modelVersionId: true,
  status: true,
  aggregationRule: true,
  aggregationThreshold: true,
  anonymous: true,
  minRespondents: true,
  reminderEveryHours: true,
  opensAt: true,
  closesAt: true,
  launchedAt: true,
  openedAt: true,
  closedAt: true,
  cancelledAt: true,
  lastReminderAt: true,
  lockVersion: true,
  createdById: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type CampaignRow = Prisma.CampaignGetPayload<{ select: typeof CAMPAIGN_FIELDS }>;

export interface TeamProgressRow {
  campaignId: string;
  teamId: string;
  participants: number;
  responses: number;
}

/** How a response is looked up: by its personal link's hash, or as a member's own. */
export type ResponseKey = { tokenHash: string } | { campaignId: string; userId: string };

export interface HeldResponse {
  id: string;
  campaignId: string;
  teamId: string;
  responseLockVersion: number;
  submittedAt: Date | null;
  tokenExpiresAt: Date | null;
  campaignName: string;
  campaignStatus: CampaignStatus;
  closesAt: Date;
  modelVersionId: string;
}

export interface SubmittedCountRow {
  teamId: string;
  criterionKey: string;
  status: AnswerStatus;
  respondents: number;
}

/** The only Prisma user for campaigns, their teams, participants and answers. */
@Injectable()
export class CampaignsRepository {
  create(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: {
      name: string;
      modelVersionId: string;
      aggregationRule: AggregationRuleName;
      aggregationThreshold: number | null;
      anonymous: boolean;
      minRespondents: number;
      reminderEveryHours: number | null;
      opensAt: Date;
      closesAt: Date;
      createdById: string | null;
    },
  ) {
    return tx.campaign.create({
      data: { organizationId, status: 'draft', ...data },
      select: CAMPAIGN_FIELDS,
    });
  }

  async addTeams(
    tx: TransactionClient,
    organizationId: OrganizationId,
    campaignId: string,
    teamIds: string[],
  ): Promise<void> {
    await tx.campaignTeam.createMany({
      data: teamIds.map((teamId) => ({ organizationId, campaignId, teamId })),
    });
  }

  async addParticipants(
    tx: TransactionClient,
    organizationId: OrganizationId,
    campaignId: string,
    participants: { teamId: string; userId?: string; email?: string }[],
  ): Promise<void> {
    await tx.campaignParticipant.createMany({
      data: participants.map((participant) => ({ organizationId, campaignId, ...participant })),
    });
  }

  /** Which of `teamIds` exist in the organization. */
  async existingTeamIds(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: string[],
  ): Promise<Set<string>> {
    const rows = await tx.team.findMany({
      where: { organizationId, id: { in: teamIds } },
      select: { id: true },
    });
    return new Set(rows.map((row) => row.id));
  }

  /** Which of `userIds` are members of the organization. */
  async memberIds(
    tx: TransactionClient,
    organizationId: OrganizationId,
    userIds: string[],
  ): Promise<Set<string>> {
    const rows = await tx.membership.findMany({
      where: { organizationId, userId: { in: userIds } },
      select: { userId: true },
    });
    return new Set(rows.map((row) => row.userId));
  }

  teamMembers(tx: TransactionClient, organizationId: OrganizationId, teamIds: string[]) {
    return tx.teamMember.findMany({
      where: { organizationId, teamId: { in: teamIds } },
      orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
      select: { teamId: true, userId: true },
    });
  }

  find(tx: TransactionClient, organizationId: OrganizationId, campaignId: string) {
    return tx.campaign.findUnique({
      where: { organizationId_id: { organizationId, id: campaignId } },
      select: CAMPAIGN_FIELDS,
    });
  }

  list(
    tx: TransactionClient,
    organizationId: OrganizationId,
    filter: { from?: string; to?: string; status?: CampaignStatus },
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.campaign.findMany({
      where: {
        organizationId,
        ...(filter.status ? { status: filter.status } : {}),
        AND: [createdWithin(filter), keysetAfter(after)],
      },
      orderBy: NEWEST_FIRST,
      take,
      select: CAMPAIGN_FIELDS,
    });
  }

  /** Participants and submitted responses per team of the given campaigns, in one statement. */
  async teamProgress(
    tx: TransactionClient,
    organizationId: OrganizationId,
    campaignIds: string[],
  ): Promise<TeamProgressRow[]> {
    if (campaignIds.length === 0) return [];
    return tx.$queryRaw<TeamProgressRow[]>`
      SELECT ct.campaign_id AS "campaignId", ct.team_id AS "teamId",
             count(p.id)::int AS participants, count(p.submitted_at)::int AS responses
        FROM campaign_teams ct
        LEFT JOIN campaign_participants p
          ON p.organization_id = ct.organization_id AND p.campaign_id = ct.campaign_id
         AND p.team_id = ct.team_id
       WHERE ct.organization_id = ${organizationId}::uuid
         AND ct.campaign_id = ANY(${campaignIds}::uuid[])
       GROUP BY ct.campaign_id, ct.team_id
       ORDER BY ct.campaign_id, ct.team_id`;
  }

  /** Locks the campaign row until the transaction ends: state changes run one after another. */
  async lockForUpdate(
    tx: TransactionClient,
    organizationId: OrganizationId,
    campaignId: string,
  ): Promise<void> {
    await tx.$queryRaw`
      SELECT id FROM campaigns
       WHERE organization_id = ${organizationId}::uuid AND id = ${campaignId}::uuid
         FOR UPDATE`;
  }

  /**
   * Moves the campaign from one of `from` to `to` when nobody did meanwhile: a conditional
   * UPDATE, so of two transactions racing for the same change exactly one changes a row (the
   * other waits for the first's row lock, re-reads the status and matches nothing).
   */
  async transition(
    tx: TransactionClient,
    organizationId: OrganizationId,
    campaignId: string,
    from: CampaignStatus[],
    to: CampaignStatus,
    at: Date,
    expectedLockVersion?: number,
  ): Promise<CampaignRow | undefined> {
    const stamp = {
      scheduled: { launchedAt: at },
      open: { openedAt: at },
      closed: { closedAt: at },
      cancelled: { cancelledAt: at },
      draft: {},
    }[to];
    const [row] = await tx.campaign.updateManyAndReturn({
      where: {
        organizationId,
        id: campaignId,
        status: { in: from },
        ...(expectedLockVersion !== undefined ? { lockVersion: expectedLockVersion } : {}),
      },
      data: { status: to, ...stamp, lockVersion: { increment: 1 } },
      select: CAMPAIGN_FIELDS,
    });
    return row;
  }

  /** Claims this reminder round (at most one per interval, whoever runs it). */
  async claimReminder(
    tx: TransactionClient,
    organizationId: OrganizationId,
    campaignId: string,
    dueBefore: Date,
    at: Date,
  ): Promise<boolean> {
    const { count } = await tx.campaign.updateMany({
      where: {
        organizationId,
        id: campaignId,
        status: 'open',
        OR: [
          { lastReminderAt: null, openedAt: { lte: dueBefore } },
          { lastReminderAt: { lte: dueBefore } },
        ],
      },
      data: { lastReminderAt: at },
    });
    return count === 1;
  }

  /**
   * A response (participant) with what its writers and readers need of its campaign, by personal
   * link or by member, in one statement; the participant row locked when `forUpdate`.
   */
  async response(
    tx: TransactionClient,
    organizationId: OrganizationId,
    key: ResponseKey,
    forUpdate: boolean,
  ): Promise<HeldResponse | undefined> {
    const match =
      'tokenHash' in key
        ? Prisma.sql`p.token_hash = ${key.tokenHash}`
        : Prisma.sql`p.campaign_id = ${key.campaignId}::uuid AND p.user_id = ${key.userId}::uuid`;
    const rows = await tx.$queryRaw<HeldResponse[]>`
      SELECT p.id, p.campaign_id AS "campaignId", p.team_id AS "teamId",
             p.response_lock_version AS "responseLockVersion", p.submitted_at AS "submittedAt",
             p.token_expires_at AS "tokenExpiresAt", c.name AS "campaignName",
             c.status::text AS "campaignStatus", c.closes_at AS "closesAt",
             c.model_version_id AS "modelVersionId"
        FROM campaign_participants p
        JOIN campaigns c ON c.organization_id = p.organization_id AND c.id = p.campaign_id
       WHERE p.organization_id = ${organizationId}::uuid AND ${match}
       ${forUpdate ? Prisma.sql`FOR UPDATE OF p` : Prisma.empty}`;
    return rows[0];
  }

  /**
   * Upserts answers and moves the response's lock version on, in one statement. The caller holds
   * the response's row lock and checked it is not submitted, so nothing can stop either part.
   * Rows are written in criterion-key order (no deadlock between saves).
   */
  async saveAnswers(
    tx: TransactionClient,
    organizationId: OrganizationId,
    participantId: string,
    answers: { criterionKey: string; status: AnswerStatus; note: string | null }[],
  ): Promise<void> {
    const sorted = [...answers].sort((a, b) =>
      a.criterionKey < b.criterionKey ? -1 : a.criterionKey > b.criterionKey ? 1 : 0,
    );
    await tx.$executeRaw`
      WITH advanced AS (
        UPDATE campaign_participants
           SET response_lock_version = response_lock_version + 1, updated_at = now()
         WHERE organization_id = ${organizationId}::uuid AND id = ${participantId}::uuid
        RETURNING id
      )
      INSERT INTO campaign_answers (organization_id, participant_id, criterion_key, status, note, updated_at)
      SELECT ${organizationId}::uuid, advanced.id, a.criterion_key, a.status::"AnswerStatus", a.note, now()
        FROM advanced,
             unnest(${sorted.map((a) => a.criterionKey)}::text[], ${sorted.map((a) => a.status)}::text[],
                    ${sorted.map((a) => a.note)}::text[]) AS a(criterion_key, status, note)
      ON CONFLICT (organization_id, participant_id, criterion_key) DO UPDATE
        SET status = EXCLUDED.status, note = EXCLUDED.note, updated_at = EXCLUDED.updated_at`;
  }

  /** Submits the response (the caller holds its row lock and checked it is not submitted). */
  async submitResponse(
    tx: TransactionClient,
    organizationId: OrganizationId,
    participantId: string,
    submittedAt: Date,
  ): Promise<void> {
    await tx.campaignParticipant.update({
      where: { organizationId_id: { organizationId, id: participantId } },
      data: { submittedAt, responseLockVersion: { increment: 1 } },
    });
  }

  answers(tx: TransactionClient, organizationId: OrganizationId, participantId: string) {
    return tx.campaignAnswer.findMany({
      where: { organizationId, participantId },
      orderBy: { criterionKey: 'asc' },
      select: { criterionKey: true, status: true, note: true },
    });
  }

  /**
   * How many submitted responses gave each answer, per team and criterion, counted by the
   * database: all aggregation and nominal agreement need (a few thousand rows for a campaign of
   * thousands of respondents, instead of every answer).
   */
  submittedAnswerCounts(
    tx: TransactionClient,
    organizationId: OrganizationId,
    campaignId: string,
  ): Promise<SubmittedCountRow[]> {
    return tx.$queryRaw<SubmittedCountRow[]>`
      SELECT p.team_id AS "teamId", a.criterion_key AS "criterionKey", a.status::text AS status,
             count(*)::int AS respondents
        FROM campaign_participants p
        JOIN campaign_answers a
          ON a.organization_id = p.organization_id AND a.participant_id = p.id
       WHERE p.organization_id = ${organizationId}::uuid AND p.campaign_id = ${campaignId}::uuid
         AND p.submitted_at IS NOT NULL
       GROUP BY 1, 2, 3`;
  }

  async setTeamOutcome(
    tx: TransactionClient,
    organizationId: OrganizationId,
    campaignId: string,
    teamId: string,
    assessmentId: string | null,
    outcome: Prisma.InputJsonValue,
  ): Promise<void> {
    await tx.campaignTeam.update({
      where: { organizationId_campaignId_teamId: { organizationId, campaignId, teamId } },
      data: { assessmentId, outcome },
    });
  }

  teamOutcomes(tx: TransactionClient, organizationId: OrganizationId, campaignId: string) {
    return tx.campaignTeam.findMany({
      where: { organizationId, campaignId },
      orderBy: { teamId: 'asc' },
      select: {
        teamId: true,
        assessmentId: true,
        outcome: true,
        assessment: { select: { result: true } },
      },
    });
  }

  /** Per team, its assessment from the latest campaign closed before `closedBefore`. */
  async previousCampaignAssessments(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: string[],
    closedBefore: Date,
  ) {
    const rows = await tx.campaignTeam.findMany({
      where: {
        organizationId,
        teamId: { in: teamIds },
        assessmentId: { not: null },
        campaign: { status: 'closed', closedAt: { lt: closedBefore } },
      },
      orderBy: [{ campaign: { closedAt: 'desc' } }],
      select: {
        teamId: true,
        campaignId: true,
        assessmentId: true,
        assessment: { select: { result: true } },
      },
    });
    const latest = new Map<string, (typeof rows)[number]>();
    for (const row of rows) if (!latest.has(row.teamId)) latest.set(row.teamId, row);
    return latest;
  }

  /**
   * The next participants to email: for an invitation, those not yet notified (nor refused a
   * notification); for the reminder round `round`, those without a submitted response who were
   * not reminded in this round yet.
   */
  async toNotify(
    tx: TransactionClient,
    organizationId: OrganizationId,
    campaignId: string,
    round: Date | null,
    take: number,
  ): Promise<{ id: string; userId: string | null; address: string }[]> {
    const rows = await tx.campaignParticipant.findMany({
      where: {
        organizationId,
        campaignId,
        ...(round === null
          ? { notifiedAt: null, notificationError: null }
          : {
              submittedAt: null,
              OR: [{ lastRemindedAt: null }, { lastRemindedAt: { lt: round } }],
            }),
      },
      orderBy: { id: 'asc' },
      take,
      select: { id: true, userId: true, email: true, user: { select: { email: true } } },
    });
    return rows.map((row) => ({
      id: row.id,
      userId: row.userId,
      address: row.email ?? row.user?.email ?? '',
    }));
  }

  /** A new personal link for the participant; the previous one stops working. */
  async setToken(
    tx: TransactionClient,
    organizationId: OrganizationId,
    participantId: string,
    tokenHash: string,
    expiresAt: Date,
  ): Promise<void> {
    await tx.campaignParticipant.update({
      where: { organizationId_id: { organizationId, id: participantId } },
      data: { tokenHash, tokenExpiresAt: expiresAt },
    });
  }

  async recordNotification(
    tx: TransactionClient,
    organizationId: OrganizationId,
    participantId: string,
    outcome: { at: Date; error: string | null; round: Date | null },
  ): Promise<void> {
    await tx.campaignParticipant.update({
      where: { organizationId_id: { organizationId, id: participantId } },
      data:
        outcome.round === null
          ? { notifiedAt: outcome.at, notificationError: outcome.error }
          : { lastRemindedAt: outcome.round, notificationError: outcome.error },
    });
  }

  participants(
    tx: TransactionClient,
    organizationId: OrganizationId,
    campaignId: string,
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.campaignParticipant.findMany({
      where: { organizationId, campaignId, AND: [keysetAfter(after)] },
      orderBy: NEWEST_FIRST,
      take,
      select: {
        createdAt: true,
        id: true,
        teamId: true,
        userId: true,
        email: true,
        notifiedAt: true,
        notificationError: true,
        lastRemindedAt: true,
        submittedAt: true,
      },
    });
  }
}
