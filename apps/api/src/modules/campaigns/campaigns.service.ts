import { Injectable } from '@nestjs/common';
import {
  actingUserId,
  fetchPage,
  Page,
  PageQueryDto,
  problems,
  requireActingUser,
  TenantScope,
} from '@app/common';
import { OrganizationId, TenantTransactions, TransactionClient, toStoredJson } from '@app/database';
import {
  aggregateTeamCounts,
  type AggregationRule,
  type AnswerCounts,
  countAnswers,
  type TeamAggregate,
} from '@app/aggregation';
import type { MaturityModelDefinition } from '@app/maturity-model';
import type { AssessmentResult } from '@app/scoring';
import { JobQueue } from '@app/jobs';
import { AuditTrail } from '../audit/audit-trail';
import { assertIfMatch, entityTag } from '../idempotency/etag';
import { AssessmentsService } from '../assessments/assessments.service';
import { answerKeyProblems } from '../assessments/answer-keys';
import { MaturityModelsService } from '../maturity-models/maturity-models.service';
import { NotificationsService } from '../webhook-endpoints/notifications.service';
import {
  CampaignDto,
  CampaignListQueryDto,
  CampaignParticipantDto,
  CampaignResponseDto,
  CampaignResultsDto,
  CreateCampaignDto,
  PutResponseDto,
  QuestionDto,
  TeamResultDto,
} from './dto/campaign.dto';
import {
  CampaignRow,
  CampaignsRepository,
  HeldResponse,
  ResponseKey,
  TeamProgressRow,
} from './campaigns.repository';

const DEFAULT_MIN_RESPONDENTS = 3;

/** The notification job's name (campaigns.jobs.ts imports this service, so it lives here). */
export const CAMPAIGN_NOTIFY_JOB = 'campaigns.notify';

/** What closing stored per team (campaign_teams.outcome). Never names a respondent. */
interface TeamOutcome {
  participants: number;
  respondents: number;
  aggregate: TeamAggregate | null;
}

/** How a response is reached (by whom), and that access's own rule on what it finds. */
export interface ResponseAccess {
  key: ResponseKey;
  /** Throws when this access may not reach the response (e.g. 404, 410). */
  admit(held: HeldResponse): void;
}

interface Questionnaire {
  definition: MaturityModelDefinition;
  questions: QuestionDto[];
  /** Criterion keys in the model's order. */
  keys: Set<string>;
}

function ruleOf(campaign: CampaignRow): AggregationRule {
  return campaign.aggregationRule === 'threshold'
    ? { rule: 'threshold', threshold: campaign.aggregationThreshold ?? 1 }
    : { rule: campaign.aggregationRule };
}

function present(campaign: CampaignRow, progress: TeamProgressRow[]): CampaignDto {
  const {
    aggregationRule,
    aggregationThreshold,
    lockVersion,
    lastReminderAt: _lastReminderAt,
    ...rest
  } = campaign;
  return {
    ...rest,
    aggregation: { rule: aggregationRule, threshold: aggregationThreshold },
    etag: entityTag(campaign.id, lockVersion),
    teams: progress
      .filter((row) => row.campaignId === campaign.id)
      .map(({ teamId, participants, responses }) => ({
        teamId,
        participants,
        responses,
        responseRate: participants === 0 ? 0 : responses / participants,
      })),
  };
}

export function questionsOf(model: MaturityModelDefinition): QuestionDto[] {
  return model.dimensions.flatMap((dimension) =>
    dimension.levels.flatMap((level) =>
      level.criteria.map((criterion) => ({
        criterionKey: criterion.key,
        dimensionKey: dimension.key,
        level: level.level,
        title: criterion.title,
        question: criterion.question,
        guidance: criterion.guidance,
      })),
    ),
  );
}

/**
 * Team assessment campaigns: draft -> scheduled (launch) -> open (at opensAt) -> closed (at
 * closesAt, or closed by hand) | cancelled. Every state change is one conditional UPDATE on the
 * campaign row (CampaignsRepository.transition), so whoever races for it (an API call, two
 * workers, a worker restarted mid-way) exactly one transaction makes it and does its work, in
 * that same transaction. Closing aggregates each team's submitted responses (libs/aggregation)
 * into one scored assessment (AssessmentsService.recordCampaignAssessment).
 */
@Injectable()
export class CampaignsService {
  private readonly questionnaires = new Map<string, Questionnaire>();

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly campaigns: CampaignsRepository,
    private readonly audit: AuditTrail,
    private readonly models: MaturityModelsService,
    private readonly assessments: AssessmentsService,
    private readonly jobs: JobQueue,
    private readonly notifications: NotificationsService,
  ) {}

  create(scope: TenantScope, input: CreateCampaignDto): Promise<CampaignDto> {
    const { organizationId } = scope;
    const opensAt = new Date(input.opensAt);
    const closesAt = new Date(input.closesAt);
    this.checkInput(input, opensAt, closesAt);
    const teamIds = input.teamIds.map((id) => id.toLowerCase());
    return this.transactions.run(scope, async (tx) => {
      const version = await this.models.publishedVersion(tx, organizationId, input.modelVersionId);
      const existing = await this.campaigns.existingTeamIds(tx, organizationId, teamIds);
      if (teamIds.some((id) => !existing.has(id))) throw problems.notFound('Team');
      const participants = await this.participantsFor(tx, organizationId, teamIds, input);
      const row = await this.campaigns.create(tx, organizationId, {
        name: input.name,
        modelVersionId: version.id,
        aggregationRule: input.aggregation.rule,
        aggregationThreshold: input.aggregation.threshold ?? null,
        anonymous: input.anonymous,
        minRespondents: input.minRespondents ?? DEFAULT_MIN_RESPONDENTS,
        reminderEveryHours: input.reminderEveryHours ?? null,
        opensAt,
        closesAt,
        createdById: actingUserId(scope),
      });
      await this.campaigns.addTeams(tx, organizationId, row.id, teamIds);
      await this.campaigns.addParticipants(tx, organizationId, row.id, participants);
      await this.audit.record(tx, scope, {
        action: 'campaign.created',
        entityType: 'campaign',
        entityId: row.id,
        changes: {
          name: input.name,
          modelVersionId: version.id,
          teamIds,
          participants: participants.length,
          aggregation: input.aggregation,
          anonymous: input.anonymous,
        },
      });
      return present(row, await this.campaigns.teamProgress(tx, organizationId, [row.id]));
    });
  }

  list(scope: TenantScope, query: CampaignListQueryDto): Promise<Page<CampaignDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const page = await fetchPage(
        query,
        ({ after, take }) => this.campaigns.list(tx, organizationId, query, after, take),
        (row) => row,
      );
      const progress = await this.campaigns.teamProgress(
        tx,
        organizationId,
        page.items.map((row) => row.id),
      );
      return { ...page, items: page.items.map((row) => present(row, progress)) };
    });
  }

  get(scope: TenantScope, campaignId: string): Promise<CampaignDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const row = await this.existing(tx, organizationId, campaignId);
      return present(row, await this.campaigns.teamProgress(tx, organizationId, [row.id]));
    });
  }

  /**
   * Who takes part and what their invitation became (sent, or why not). Whether each one
   * responded is shown for named campaigns only.
   */
  participants(
    scope: TenantScope,
    campaignId: string,
    query: PageQueryDto,
  ): Promise<Page<CampaignParticipantDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const campaign = await this.existing(tx, organizationId, campaignId);
      return fetchPage(
        query,
        ({ after, take }) =>
          this.campaigns.participants(tx, organizationId, campaign.id, after, take),
        ({ createdAt: _createdAt, submittedAt, ...participant }) => ({
          ...participant,
          responded: campaign.anonymous ? null : submittedAt !== null,
        }),
      );
    });
  }

  /** draft -> scheduled; opens at once when opensAt has passed. */
  launch(scope: TenantScope, campaignId: string, ifMatch: string | undefined) {
    return this.change(scope, campaignId, ifMatch, async (tx, row, at) => {
      if (row.status !== 'draft') throw this.notIn(row, 'launched', 'a draft');
      const progress = await this.campaigns.teamProgress(tx, scope.organizationId, [row.id]);
      if (progress.every((team) => team.participants === 0)) {
        throw problems.unprocessable('The campaign has no participant: nobody could answer.');
      }
      const launched = await this.campaigns.transition(
        tx,
        scope.organizationId,
        row.id,
        ['draft'],
        'scheduled',
        at,
        row.lockVersion,
      );
      if (!launched) throw this.changedMeanwhile();
      await this.audit.record(tx, scope, {
        action: 'campaign.launched',
        entityType: 'campaign',
        entityId: row.id,
      });
      if (launched.opensAt <= at) await this.openInTransaction(tx, scope, row.id, at);
    });
  }

  close(scope: TenantScope, campaignId: string, ifMatch: string | undefined) {
    return this.change(scope, campaignId, ifMatch, async (tx, row, at) => {
      if (row.status !== 'open') throw this.notIn(row, 'closed', 'open');
      if (!(await this.closeInTransaction(tx, scope, row.id, at))) throw this.changedMeanwhile();
    });
  }

  cancel(scope: TenantScope, campaignId: string, ifMatch: string | undefined) {
    return this.change(scope, campaignId, ifMatch, async (tx, row, at) => {
      if (!['draft', 'scheduled', 'open'].includes(row.status)) {
        throw this.notIn(row, 'cancelled', 'a draft, scheduled or open');
      }
      const cancelled = await this.campaigns.transition(
        tx,
        scope.organizationId,
        row.id,
        ['draft', 'scheduled', 'open'],
        'cancelled',
        at,
        row.lockVersion,
      );
      if (!cancelled) throw this.changedMeanwhile();
      await this.audit.record(tx, scope, {
        action: 'campaign.cancelled',
        entityType: 'campaign',
        entityId: row.id,
      });
    });
  }

  /**
   * What the scheduler found due, done as the system in the campaign's tenant: true when this
   * call did it, false when someone else already had (or it is no longer due).
   */
  runScheduled(
    scope: TenantScope,
    campaignId: string,
    action: 'open' | 'close' | 'remind',
    at: Date,
  ): Promise<boolean> {
    return this.transactions.run(scope, (tx) => {
      switch (action) {
        case 'open':
          return this.openInTransaction(tx, scope, campaignId, at);
        case 'close':
          return this.closeInTransaction(tx, scope, campaignId, at);
        case 'remind':
          return this.remindInTransaction(tx, scope, campaignId, at);
      }
    });
  }

  /**
   * Results of a closed campaign per team. A team with fewer than minRespondents submitted
   * responses shows its counts only; nothing here names a respondent.
   */
  results(scope: TenantScope, campaignId: string): Promise<CampaignResultsDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const campaign = await this.existing(tx, organizationId, campaignId);
      if (campaign.status !== 'closed' || !campaign.closedAt) {
        throw problems.conflict(
          `Campaign ${campaign.id} is ${campaign.status}: results exist once it is closed.`,
        );
      }
      const outcomes = await this.campaigns.teamOutcomes(tx, organizationId, campaign.id);
      const previous = await this.campaigns.previousCampaignAssessments(
        tx,
        organizationId,
        outcomes.map((row) => row.teamId),
        campaign.closedAt,
      );
      const teams = outcomes.map((row): TeamResultDto => {
        const outcome = row.outcome as unknown as TeamOutcome;
        const result = row.assessment?.result as unknown as AssessmentResult | undefined;
        const counts = {
          teamId: row.teamId,
          participants: outcome.participants,
          responses: outcome.respondents,
          responseRate: outcome.participants === 0 ? 0 : outcome.respondents / outcome.participants,
        };
        if (!result || !outcome.aggregate || !row.assessmentId) {
          return {
            ...counts,
            shown: false,
            assessmentId: null,
            score: null,
            minimumLevel: null,
            band: null,
            dimensions: null,
            answers: null,
            agreement: null,
            leastAgreement: null,
            change: null,
          };
        }
        const before = previous.get(row.teamId);
        const beforeResult = before?.assessment?.result as unknown as AssessmentResult | undefined;
        return {
          ...counts,
          shown: true,
          assessmentId: row.assessmentId,
          score: result.score,
          minimumLevel: result.minimumLevel,
          band: result.band,
          dimensions: Object.fromEntries(
            result.dimensions.map((d) => [d.dimensionKey, { level: d.level, score: d.score }]),
          ),
          answers: outcome.aggregate.answers,
          agreement: outcome.aggregate.agreement,
          leastAgreement: outcome.aggregate.leastAgreement,
          change:
            before && beforeResult && before.assessmentId
              ? {
                  previousCampaignId: before.campaignId,
                  previousAssessmentId: before.assessmentId,
                  scoreBefore: beforeResult.score,
                  scoreAfter: result.score,
                  scoreDelta: Math.round((result.score - beforeResult.score) * 10000) / 10000,
                  minimumLevelBefore: beforeResult.minimumLevel,
                  minimumLevelAfter: result.minimumLevel,
                }
              : null,
        };
      });
      return {
        campaignId: campaign.id,
        status: campaign.status,
        anonymous: campaign.anonymous,
        minRespondents: campaign.minRespondents,
        teams,
      };
    });
  }

  // --- Responses: the caller's own (members), or through a personal link ---------------------

  myResponse(scope: TenantScope, campaignId: string): Promise<CampaignResponseDto> {
    return this.readResponse(scope, this.mine(scope, campaignId));
  }

  saveMyResponse(
    scope: TenantScope,
    campaignId: string,
    input: PutResponseDto,
    ifMatch: string | undefined,
  ): Promise<CampaignResponseDto> {
    return this.saveResponse(scope, this.mine(scope, campaignId), input, ifMatch);
  }

  submitMyResponse(
    scope: TenantScope,
    campaignId: string,
    ifMatch: string | undefined,
  ): Promise<CampaignResponseDto> {
    return this.submitResponse(scope, this.mine(scope, campaignId), ifMatch);
  }

  readResponse(scope: TenantScope, access: ResponseAccess): Promise<CampaignResponseDto> {
    return this.transactions.run(scope, async (tx) => {
      const held = await this.heldResponse(tx, scope.organizationId, access, false);
      return this.presentResponse(tx, scope.organizationId, held);
    });
  }

  /** A partial save: listed criteria replaced, others kept (If-Match against lost updates). */
  saveResponse(
    scope: TenantScope,
    access: ResponseAccess,
    input: PutResponseDto,
    ifMatch: string | undefined,
  ): Promise<CampaignResponseDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const held = await this.heldResponse(tx, organizationId, access, true);
      this.assertEditable(held, ifMatch);
      const { keys: known } = await this.questionnaire(tx, organizationId, held.modelVersionId);
      const { unknown, repeated } = answerKeyProblems(input.answers, known);
      if (unknown.length > 0 || repeated.length > 0) {
        throw problems.unprocessable('Unknown or repeated criterion keys. Nothing was stored.', {
          unknownCriterionKeys: unknown,
          duplicateCriterionKeys: repeated,
        });
      }
      const answers = input.answers.map(({ criterionKey, status, note }) => ({
        criterionKey,
        status,
        note: note ?? null,
      }));
      await this.campaigns.saveAnswers(tx, organizationId, held.id, answers);
      await this.audit.record(
        tx,
        scope,
        this.responseAudit(held.campaignId, 'saved', answers.length),
      );
      return this.presentResponse(tx, organizationId, {
        ...held,
        responseLockVersion: held.responseLockVersion + 1,
      });
    });
  }

  submitResponse(
    scope: TenantScope,
    access: ResponseAccess,
    ifMatch: string | undefined,
  ): Promise<CampaignResponseDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const held = await this.heldResponse(tx, organizationId, access, true);
      this.assertEditable(held, ifMatch);
      const at = new Date();
      await this.campaigns.submitResponse(tx, organizationId, held.id, at);
      await this.audit.record(tx, scope, this.responseAudit(held.campaignId, 'submitted'));
      return this.presentResponse(tx, organizationId, {
        ...held,
        responseLockVersion: held.responseLockVersion + 1,
        submittedAt: at,
      });
    });
  }

  private async presentResponse(
    tx: TransactionClient,
    organizationId: OrganizationId,
    held: HeldResponse,
  ): Promise<CampaignResponseDto> {
    const { questions } = await this.questionnaire(tx, organizationId, held.modelVersionId);
    return {
      campaignId: held.campaignId,
      campaignName: held.campaignName,
      teamId: held.teamId,
      campaignStatus: held.campaignStatus,
      closesAt: held.closesAt,
      etag: entityTag(held.id, held.responseLockVersion),
      submittedAt: held.submittedAt,
      answers: await this.campaigns.answers(tx, organizationId, held.id),
      questions,
    };
  }

  /**
   * The response and its campaign in one statement, its row locked when `forUpdate` (every
   * writer of a response takes that lock first, so they run one after another and each sees the
   * lock version its predecessor left); then the access's own rule (404, 410).
   */
  private async heldResponse(
    tx: TransactionClient,
    organizationId: OrganizationId,
    access: ResponseAccess,
    forUpdate: boolean,
  ): Promise<HeldResponse> {
    const held = await this.campaigns.response(tx, organizationId, access.key, forUpdate);
    if (!held) throw problems.notFound('Response');
    access.admit(held);
    return held;
  }

  /** A member's own response: a participant of a launched campaign (404 otherwise). */
  private mine(scope: TenantScope, campaignId: string): ResponseAccess {
    const userId = requireActingUser(scope);
    return {
      key: { campaignId, userId },
      admit: (held) => {
        if (held.campaignStatus === 'draft') throw problems.notFound('Response');
      },
    };
  }

  /** If-Match (412), then submitted (409), then the campaign's window (409). */
  private assertEditable(held: HeldResponse, ifMatch: string | undefined): void {
    assertIfMatch(ifMatch, entityTag(held.id, held.responseLockVersion));
    if (held.submittedAt) {
      throw problems.conflict('The response was submitted and can no longer change.');
    }
    if (held.campaignStatus !== 'open' || held.closesAt <= new Date()) {
      throw problems.conflict(
        `The campaign is not open for answers (it is ${held.campaignStatus}).`,
      );
    }
  }

  /**
   * Audit of a respondent's write. It names the campaign, never the participant or the answers:
   * in an anonymous campaign the acting user must not be linkable to what they answered, and
   * the same rule for every campaign keeps one code path.
   */
  private responseAudit(campaignId: string, what: 'saved' | 'submitted', answers?: number) {
    return {
      action: `campaign.response_${what}`,
      entityType: 'campaign',
      entityId: campaignId,
      ...(answers !== undefined ? { changes: { answers } } : {}),
    };
  }

  // --- helpers -------------------------------------------------------------------------------

  /**
   * A campaign's model version as questions, read once per process: campaigns use published
   * versions only, and a trigger keeps published versions from ever changing, so the cached
   * copy cannot go stale (every response read and save would otherwise load the whole model).
   * The first read goes through the tenant's transaction, under its visibility; a campaign only
   * references a version its organization could read when the campaign was created.
   */
  private async questionnaire(
    tx: TransactionClient,
    organizationId: OrganizationId,
    versionId: string,
  ): Promise<Questionnaire> {
    const cached = this.questionnaires.get(versionId);
    if (cached) return cached;
    const { definition } = await this.models.versionById(tx, organizationId, versionId);
    const questions = questionsOf(definition);
    const questionnaire = {
      definition,
      questions,
      keys: new Set(questions.map((question) => question.criterionKey)),
    };
    this.questionnaires.set(versionId, questionnaire);
    return questionnaire;
  }

  private async change(
    scope: TenantScope,
    campaignId: string,
    ifMatch: string | undefined,
    work: (tx: TransactionClient, row: CampaignRow, at: Date) => Promise<void>,
  ): Promise<CampaignDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.campaigns.lockForUpdate(tx, organizationId, campaignId);
      const row = await this.existing(tx, organizationId, campaignId);
      assertIfMatch(ifMatch, entityTag(row.id, row.lockVersion));
      await work(tx, row, new Date());
      const after = await this.existing(tx, organizationId, campaignId);
      return present(after, await this.campaigns.teamProgress(tx, organizationId, [after.id]));
    });
  }

  private async openInTransaction(
    tx: TransactionClient,
    scope: TenantScope,
    campaignId: string,
    at: Date,
  ): Promise<boolean> {
    const opened = await this.campaigns.transition(
      tx,
      scope.organizationId,
      campaignId,
      ['scheduled'],
      'open',
      at,
    );
    if (!opened) return false;
    await this.jobs.enqueue(tx, CAMPAIGN_NOTIFY_JOB, {
      organizationId: scope.organizationId,
      campaignId,
    });
    await this.notifications.publish(tx, scope.organizationId, {
      event: 'campaign.opened',
      data: {
        campaignId,
        name: opened.name,
        opensAt: opened.opensAt,
        closesAt: opened.closesAt,
      },
    });
    await this.audit.record(tx, scope, {
      action: 'campaign.opened',
      entityType: 'campaign',
      entityId: campaignId,
    });
    return true;
  }

  /** One reminder round per interval, claimed by a conditional update (exactly once). */
  private async remindInTransaction(
    tx: TransactionClient,
    scope: TenantScope,
    campaignId: string,
    at: Date,
  ): Promise<boolean> {
    const campaign = await this.existing(tx, scope.organizationId, campaignId);
    if (campaign.reminderEveryHours === null) return false;
    const dueBefore = new Date(at.getTime() - campaign.reminderEveryHours * 3_600_000);
    if (
      !(await this.campaigns.claimReminder(tx, scope.organizationId, campaignId, dueBefore, at))
    ) {
      return false;
    }
    await this.jobs.enqueue(tx, CAMPAIGN_NOTIFY_JOB, {
      organizationId: scope.organizationId,
      campaignId,
      round: at.toISOString(),
    });
    await this.notifications.publish(tx, scope.organizationId, {
      event: 'campaign.reminder',
      data: { campaignId, name: campaign.name, closesAt: campaign.closesAt },
    });
    return true;
  }

  /**
   * open -> closed and everything closing does, in the caller's transaction: only the
   * transaction whose conditional UPDATE changed the row goes on, so the work runs exactly once.
   * Per team: aggregate the submitted responses; with at least minRespondents of them record one
   * scored assessment (fewer would expose individual answers, so none is made).
   */
  private async closeInTransaction(
    tx: TransactionClient,
    scope: TenantScope,
    campaignId: string,
    at: Date,
  ): Promise<boolean> {
    const { organizationId } = scope;
    const campaign = await this.campaigns.transition(
      tx,
      organizationId,
      campaignId,
      ['open'],
      'closed',
      at,
    );
    if (!campaign) return false;
    const { definition, keys } = await this.questionnaire(
      tx,
      organizationId,
      campaign.modelVersionId,
    );
    const criterionKeys = [...keys];
    const byTeam = new Map<string, Record<string, AnswerCounts>>();
    for (const row of await this.campaigns.submittedAnswerCounts(tx, organizationId, campaign.id)) {
      const team = byTeam.get(row.teamId) ?? {};
      byTeam.set(row.teamId, team);
      team[row.criterionKey] ??= countAnswers([]);
      team[row.criterionKey][row.status] = row.respondents;
    }
    const progress = await this.campaigns.teamProgress(tx, organizationId, [campaign.id]);
    const summary: Record<string, unknown>[] = [];
    for (const team of progress) {
      // Submitted responses with no answer at all still count as respondents.
      const respondents = team.responses;
      const shown = respondents > 0 && respondents >= campaign.minRespondents;
      const aggregate = shown
        ? aggregateTeamCounts({
            criterionKeys,
            respondents,
            counts: byTeam.get(team.teamId) ?? {},
            rule: ruleOf(campaign),
          })
        : null;
      let assessmentId: string | null = null;
      if (aggregate) {
        ({ assessmentId } = await this.assessments.recordCampaignAssessment(tx, scope, {
          campaignId: campaign.id,
          teamId: team.teamId,
          modelVersionId: campaign.modelVersionId,
          model: definition,
          answers: aggregate.answers.map(({ criterionKey, status }) => ({ criterionKey, status })),
          asOf: at,
        }));
      }
      const outcome: TeamOutcome = { participants: team.participants, respondents, aggregate };
      await this.campaigns.setTeamOutcome(
        tx,
        organizationId,
        campaign.id,
        team.teamId,
        assessmentId,
        toStoredJson(outcome),
      );
      summary.push({ teamId: team.teamId, respondents, assessmentId });
    }
    await this.audit.record(tx, scope, {
      action: 'campaign.closed',
      entityType: 'campaign',
      entityId: campaign.id,
      changes: { teams: summary },
    });
    await this.notifications.publish(tx, organizationId, {
      event: 'campaign.closed',
      data: { campaignId: campaign.id, name: campaign.name, teams: summary },
    });
    return true;
  }

  private async participantsFor(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: string[],
    input: CreateCampaignDto,
  ): Promise<{ teamId: string; userId?: string; email?: string }[]> {
    if (input.participants === undefined) {
      // A member of several campaign teams answers once, for the first team listed.
      const members = await this.campaigns.teamMembers(tx, organizationId, teamIds);
      const chosen = new Map<string, string>();
      for (const teamId of teamIds) {
        for (const member of members) {
          if (member.teamId === teamId && !chosen.has(member.userId)) {
            chosen.set(member.userId, teamId);
          }
        }
      }
      return [...chosen].map(([userId, teamId]) => ({ teamId, userId }));
    }
    const errors: { field: string; reasons: string[] }[] = [];
    const people = new Set<string>();
    const listed = new Set(teamIds);
    input.participants.forEach((participant, index) => {
      const reasons: string[] = [];
      if (participant.userId !== undefined && participant.email !== undefined) {
        reasons.push('give userId or email, not both');
      }
      if (!listed.has(participant.teamId.toLowerCase())) {
        reasons.push('teamId is not one of teamIds');
      }
      const who = participant.userId?.toLowerCase() ?? `email:${participant.email}`;
      if (people.has(who)) reasons.push('this person is listed more than once');
      people.add(who);
      if (reasons.length > 0) errors.push({ field: `participants[${index}]`, reasons });
    });
    if (errors.length > 0) {
      throw problems.unprocessable('Invalid participants. Nothing was stored.', { errors });
    }
    const userIds = input.participants.flatMap((p) => (p.userId ? [p.userId.toLowerCase()] : []));
    const members = await this.campaigns.memberIds(tx, organizationId, userIds);
    input.participants.forEach((participant, index) => {
      if (participant.userId && !members.has(participant.userId.toLowerCase())) {
        errors.push({
          field: `participants[${index}].userId`,
          reasons: ['is not a member of the organization'],
        });
      }
    });
    if (errors.length > 0) {
      throw problems.unprocessable('Invalid participants. Nothing was stored.', { errors });
    }
    return input.participants.map((p) => ({
      teamId: p.teamId.toLowerCase(),
      ...(p.userId ? { userId: p.userId.toLowerCase() } : { email: p.email }),
    }));
  }

  private checkInput(input: CreateCampaignDto, opensAt: Date, closesAt: Date): void {
    const errors: { field: string; reasons: string[] }[] = [];
    if (closesAt <= opensAt) errors.push({ field: 'closesAt', reasons: ['must be after opensAt'] });
    if (input.aggregation.rule !== 'threshold' && input.aggregation.threshold !== undefined) {
      errors.push({ field: 'aggregation.threshold', reasons: ['only with rule threshold'] });
    }
    if (new Set(input.teamIds.map((id) => id.toLowerCase())).size !== input.teamIds.length) {
      errors.push({ field: 'teamIds', reasons: ['a team is listed more than once'] });
    }
    if (errors.length > 0) {
      throw problems.unprocessable(`Invalid campaign: ${errors.map((e) => e.field).join(', ')}.`, {
        errors,
      });
    }
  }

  async existing(tx: TransactionClient, organizationId: OrganizationId, campaignId: string) {
    const row = await this.campaigns.find(tx, organizationId, campaignId);
    if (!row) throw problems.notFound('Campaign');
    return row;
  }

  private notIn(row: CampaignRow, verb: string, expected: string) {
    return problems.conflict(
      `Campaign ${row.id} is ${row.status}: only ${expected} campaign can be ${verb}.`,
    );
  }

  private changedMeanwhile() {
    return problems.preconditionFailed(
      'The record changed while this request ran; read it again and retry.',
    );
  }
}
