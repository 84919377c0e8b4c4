import { Injectable } from '@nestjs/common';
import { Page, problems, TenantScope, actingUserId, fetchFirstPages, fetchPage } from '@app/common';
import {
  OrganizationId,
  isUniqueViolation,
  TenantTransactions,
  TransactionClient,
  toStoredJson,
} from '@app/database';
import type { MaturityModelDefinition } from '@app/maturity-model';
import {
  type AssessmentResult,
  diffAssessmentResults,
  type MaturityLevel,
  scoreAssessment,
} from '@app/scoring';
import { AuditTrail } from '../audit/audit-trail';
import { assertIfMatch, entityTag } from '../idempotency/etag';
import { IdempotencyService, StoredResponse } from '../idempotency/idempotency.service';
import { MaturityModelsService } from '../maturity-models/maturity-models.service';
import { checkTargetLevels } from '../maturity-models/target-levels';
import { TeamScoresService } from '../team-scores/team-scores.service';
import { NotificationsService } from '../webhook-endpoints/notifications.service';
import { TeamsService } from '../teams/teams.service';
import {
  AssessmentDiffDto,
  AssessmentDto,
  AssessmentHistoryQueryDto,
  AssessmentSummaryDto,
  type AnswerStatus,
  CreateAssessmentDto,
  PutAnswersDto,
} from './dto/assessment.dto';
import { AssessmentsRepository } from './assessments.repository';
import { answerKeyProblems } from './answer-keys';

type AssessmentRow = NonNullable<Awaited<ReturnType<AssessmentsRepository['find']>>>;
type AnswerRow = Awaited<ReturnType<AssessmentsRepository['answers']>>[number];
type HistoryRow = Awaited<ReturnType<AssessmentsRepository['historyOfTeams']>>[number];

function present(row: AssessmentRow, answers: AnswerRow[]): AssessmentDto {
  const { modelVersion, lockVersion, result, targetLevels, ...assessment } = row;
  return {
    ...assessment,
    modelId: modelVersion.modelId,
    modelVersion: modelVersion.version,
    targetLevels: targetLevels as Record<string, number>,
    etag: entityTag(row.id, lockVersion),
    answers,
    result: result as unknown as AssessmentDto['result'],
  };
}

function presentSummary({ result, ...row }: HistoryRow): AssessmentSummaryDto {
  const scored = result as unknown as AssessmentResult | null;
  return {
    ...row,
    score: scored?.score ?? null,
    minimumLevel: scored?.minimumLevel ?? null,
    band: scored?.band ?? null,
  };
}

function criterionKeysOf(model: MaturityModelDefinition): Set<string> {
  return new Set(
    model.dimensions.flatMap((d) => d.levels.flatMap((l) => l.criteria.map((c) => c.key))),
  );
}

const CREATE_OPERATION = 'assessment.create';

/**
 * Assessments of a team against one published model version: draft (answers upserted, ETag /
 * If-Match against lost updates) -> submit (scored by libs/scoring, frozen, progress snapshots
 * appended in the same transaction). A submitted assessment never changes again (409).
 */
@Injectable()
export class AssessmentsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly assessments: AssessmentsRepository,
    private readonly audit: AuditTrail,
    private readonly teams: TeamsService,
    private readonly models: MaturityModelsService,
    private readonly teamScores: TeamScoresService,
    private readonly idempotency: IdempotencyService,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Creates a draft. With an Idempotency-Key, a retry of the same request replays the first
   * response (same status, same body, same id) and a different request with that key is a 422.
   */
  async create(
    scope: TenantScope,
    teamId: string,
    input: CreateAssessmentDto,
    idempotencyKey: string | undefined,
  ): Promise<StoredResponse<AssessmentDto>> {
    const { organizationId } = scope;
    const request = {
      operation: CREATE_OPERATION,
      key: idempotencyKey,
      subject: `team ${teamId}`,
      body: input,
    };
    try {
      return await this.transactions.run(scope, (tx) =>
        this.idempotency.execute(tx, organizationId, request, async () => {
          await this.teams.existingTeam(tx, organizationId, teamId);
          const version = await this.models.publishedVersion(
            tx,
            organizationId,
            input.modelVersionId,
          );
          const targetLevels = checkTargetLevels(input.targetLevels ?? {}, version.definition, 0);
          const row = await this.assessments.create(tx, organizationId, {
            teamId,
            modelVersionId: version.id,
            targetLevels,
            createdById: actingUserId(scope),
          });
          await this.audit.record(tx, scope, {
            action: 'assessment.created',
            entityType: 'assessment',
            entityId: row.id,
            changes: { teamId, modelVersionId: version.id, targetLevels },
          });
          return present(row, []);
        }),
      );
    } catch (error) {
      // Lost a race on the idempotency record's primary key: the winner's response is stored.
      if (!isUniqueViolation(error)) throw error;
      const replay = await this.transactions.run(scope, (tx) =>
        this.idempotency.replay<AssessmentDto>(tx, organizationId, request),
      );
      if (!replay) throw error;
      return replay;
    }
  }

  get(scope: TenantScope, assessmentId: string): Promise<AssessmentDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const row = await this.existing(tx, organizationId, assessmentId);
      return present(row, await this.assessments.answers(tx, organizationId, assessmentId));
    });
  }

  /**
   * The newest submitted assessment of each team asked for, by team id (null: none yet), in one
   * transaction of a bounded number of statements whatever the number of teams (GraphQL's
   * dashboards ask it for a whole page of teams at once).
   */
  latestSubmittedOfTeams(
    scope: TenantScope,
    teamIds: readonly string[],
  ): Promise<Map<string, AssessmentDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const rows = await this.assessments.latestSubmittedOfTeams(tx, organizationId, teamIds);
      const answers = rows.length
        ? await this.assessments.answersOfMany(
            tx,
            organizationId,
            rows.map((row) => row.id),
          )
        : [];
      const byAssessment = new Map<string, AnswerRow[]>();
      for (const { assessmentId, ...answer } of answers) {
        const list = byAssessment.get(assessmentId) ?? [];
        list.push(answer);
        byAssessment.set(assessmentId, list);
      }
      return new Map(rows.map((row) => [row.teamId, present(row, byAssessment.get(row.id) ?? [])]));
    });
  }

  /** A team's assessments, newest first. */
  history(
    scope: TenantScope,
    teamId: string,
    query: AssessmentHistoryQueryDto,
  ): Promise<Page<AssessmentSummaryDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.teams.existingTeam(tx, organizationId, teamId);
      return fetchPage(
        query,
        ({ after, take }) =>
          this.assessments.historyOfTeams(tx, organizationId, [teamId], query, after, take),
        presentSummary,
      );
    });
  }

  /**
   * The first page of history() (no cursor) of each team asked for, in one transaction of a
   * bounded number of statements whatever the number of teams, by team id; a team of another
   * organization or unknown gets an empty page.
   */
  firstHistoryPagesOfTeams(
    scope: TenantScope,
    teamIds: readonly string[],
    query: AssessmentHistoryQueryDto,
  ): Promise<Map<string, Page<AssessmentSummaryDto>>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, (tx) =>
      fetchFirstPages(
        query,
        teamIds,
        (take) =>
          this.assessments.historyOfTeams(tx, organizationId, teamIds, query, undefined, take),
        (row) => row.teamId,
        presentSummary,
      ),
    );
  }

  /**
   * Upserts answers of a draft. Every criterion key must exist in the assessment's model version
   * (422 naming each unknown or repeated one); nothing is stored unless all are valid.
   */
  putAnswers(
    scope: TenantScope,
    assessmentId: string,
    input: PutAnswersDto,
    ifMatch: string | undefined,
  ): Promise<AssessmentDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const row = await this.editableDraft(tx, organizationId, assessmentId, ifMatch);
      const version = await this.models.versionById(tx, organizationId, row.modelVersionId);
      const known = criterionKeysOf(version.definition);
      const { unknown, repeated } = answerKeyProblems(input.answers, known);
      if (unknown.length > 0 || repeated.length > 0) {
        const parts = [
          unknown.length > 0
            ? `unknown criterion keys for model version ${version.version}: ${unknown.join(', ')}`
            : '',
          repeated.length > 0 ? `criterion keys given more than once: ${repeated.join(', ')}` : '',
        ].filter(Boolean);
        throw problems.unprocessable(`${parts.join('; ')}. Nothing was stored.`, {
          unknownCriterionKeys: unknown,
          duplicateCriterionKeys: repeated,
        });
      }
      const answers = input.answers.map((answer) => ({
        criterionKey: answer.criterionKey,
        status: answer.status,
        note: answer.note ?? null,
        evidenceUrl: answer.evidenceUrl ?? null,
      }));
      await this.assessments.upsertAnswers(
        tx,
        organizationId,
        assessmentId,
        answers,
        actingUserId(scope),
      );
      await this.advance(tx, organizationId, row);
      await this.audit.record(tx, scope, {
        action: 'assessment.answers_updated',
        entityType: 'assessment',
        entityId: assessmentId,
        changes: {
          answers: answers.map(({ criterionKey, status }) => ({ criterionKey, status })),
        },
      });
      return this.reload(tx, organizationId, assessmentId);
    });
  }

  /**
   * Scores the answers with the team's fresh CI evidence (libs/scoring) as of now, freezes the
   * result, and makes it the team's current score with its progress snapshots (one per dimension
   * and the overall one), all in one transaction. The answer is built
   * from what the use case read and wrote, not read back.
   */
  submit(
    scope: TenantScope,
    assessmentId: string,
    ifMatch: string | undefined,
  ): Promise<AssessmentDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const held = await this.assessments.findForScoring(tx, organizationId, assessmentId);
      if (!held) throw problems.notFound('Assessment');
      const row = held.assessment;
      this.assertEditable(row, ifMatch);
      await this.teamScores.lock(tx, row.teamId);
      const asOf = new Date();
      const result = scoreAssessment({
        model: held.definition as unknown as MaturityModelDefinition,
        answers: held.answers.map((answer) => ({
          criterionKey: answer.criterionKey,
          status: answer.status,
          ...(answer.note !== null ? { note: answer.note } : {}),
          ...(answer.evidenceUrl !== null ? { evidenceUrl: answer.evidenceUrl } : {}),
        })),
        evidence: await this.teamScores.evidenceAt(tx, organizationId, row.teamId, asOf),
        targetLevels: row.targetLevels as Record<string, MaturityLevel>,
        asOf,
      });
      const submitted = await this.assessments.submit(
        tx,
        organizationId,
        assessmentId,
        row.lockVersion,
        toStoredJson(result),
        asOf,
      );
      if (!submitted) throw this.changedMeanwhile();
      await this.afterScored(tx, scope, {
        assessmentId,
        teamId: row.teamId,
        modelVersionId: row.modelVersionId,
        cause: 'assessment',
        causeId: assessmentId,
        asOf,
        result,
      });
      await this.audit.record(tx, scope, {
        action: 'assessment.submitted',
        entityType: 'assessment',
        entityId: assessmentId,
        changes: { score: result.score, minimumLevel: result.minimumLevel, band: result.band },
      });
      return present({ ...submitted, modelVersion: row.modelVersion }, held.answers);
    });
  }

  /**
   * Records a campaign's scored assessment of one team (answers aggregated from its respondents),
   * inside the closing transaction: the assessment (`source: campaign`, linked to the campaign)
   * with its answers and result, then everything that follows any scored assessment
   * (afterScored). The one entry point campaign close uses per team.
   */
  async recordCampaignAssessment(
    tx: TransactionClient,
    scope: TenantScope,
    input: {
      campaignId: string;
      teamId: string;
      modelVersionId: string;
      model: MaturityModelDefinition;
      answers: { criterionKey: string; status: AnswerStatus }[];
      asOf: Date;
    },
  ): Promise<{ assessmentId: string; result: AssessmentResult }> {
    const { organizationId } = scope;
    // Like a submitted one: scored with the team's fresh CI evidence, under its scoring lock.
    await this.teamScores.lock(tx, input.teamId);
    const result = scoreAssessment({
      model: input.model,
      answers: input.answers,
      evidence: await this.teamScores.evidenceAt(tx, organizationId, input.teamId, input.asOf),
      targetLevels: {},
      asOf: input.asOf,
    });
    const assessmentId = await this.assessments.createSubmitted(
      tx,
      organizationId,
      {
        teamId: input.teamId,
        modelVersionId: input.modelVersionId,
        targetLevels: {},
        result: toStoredJson(result),
        submittedAt: input.asOf,
        source: 'campaign',
        campaignId: input.campaignId,
        createdById: null,
      },
      input.answers.map((answer) => ({ ...answer, note: null, evidenceUrl: null })),
    );
    await this.afterScored(tx, scope, {
      assessmentId,
      teamId: input.teamId,
      modelVersionId: input.modelVersionId,
      cause: 'campaign',
      causeId: input.campaignId,
      asOf: input.asOf,
      result,
    });
    return { assessmentId, result };
  }

  /**
   * What follows every scored assessment, whatever produced it (an assessor's submit, a campaign's
   * close), in the caller's transaction: it becomes the team's current score (with its progress
   * snapshots, roadmap items and `team.level_changed`: TeamScoresService.record), and the
   * `assessment.submitted` notification.
   */
  private async afterScored(
    tx: TransactionClient,
    scope: TenantScope,
    scored: {
      assessmentId: string;
      teamId: string;
      modelVersionId: string;
      cause: 'assessment' | 'campaign';
      causeId: string;
      asOf: Date;
      result: AssessmentResult;
    },
  ): Promise<void> {
    const { organizationId } = scope;
    await this.teamScores.record(
      tx,
      organizationId,
      scored.teamId,
      {
        modelVersionId: scored.modelVersionId,
        assessmentId: scored.assessmentId,
        result: scored.result,
      },
      { cause: scored.cause, causeId: scored.causeId },
      { recordAlways: true },
    );
    const { score, minimumLevel, band } = scored.result;
    await this.notifications.publish(tx, organizationId, [
      {
        event: 'assessment.submitted',
        data: {
          assessmentId: scored.assessmentId,
          teamId: scored.teamId,
          source: scored.cause === 'campaign' ? 'campaign' : 'assessor',
          ...(scored.cause === 'campaign' ? { campaignId: scored.causeId } : {}),
          score,
          minimumLevel,
          band,
        },
      },
    ]);
  }

  /** Drafts only: a submitted assessment is history (409). */
  remove(scope: TenantScope, assessmentId: string, ifMatch: string | undefined): Promise<void> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const row = await this.editableDraft(tx, organizationId, assessmentId, ifMatch);
      const deleted = await this.assessments.deleteDraft(
        tx,
        organizationId,
        assessmentId,
        row.lockVersion,
      );
      if (deleted === 0) throw this.changedMeanwhile();
      await this.audit.record(tx, scope, {
        action: 'assessment.deleted',
        entityType: 'assessment',
        entityId: assessmentId,
        changes: { teamId: row.teamId },
      });
    });
  }

  /**
   * What changed from `againstId` (before) to `assessmentId` (after), per criterion, and why each
   * dimension's score moved (diffAssessmentResults). Both submitted, same team.
   */
  diff(scope: TenantScope, assessmentId: string, againstId: string): Promise<AssessmentDiffDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const after = await this.existing(tx, organizationId, assessmentId);
      const before = await this.existing(tx, organizationId, againstId);
      if (before.teamId !== after.teamId) {
        throw problems.unprocessable('Both assessments must be of the same team.');
      }
      for (const row of [after, before]) {
        if (row.status !== 'submitted' || row.result === null) {
          throw problems.conflict(`Assessment ${row.id} is a draft: only submitted ones compare.`);
        }
      }
      const diff = diffAssessmentResults(
        before.result as unknown as AssessmentResult,
        after.result as unknown as AssessmentResult,
      );
      return { assessmentId, againstId, ...diff };
    });
  }

  // --- helpers -------------------------------------------------------------------------------

  private async existing(tx: TransactionClient, organizationId: OrganizationId, id: string) {
    const row = await this.assessments.find(tx, organizationId, id);
    if (!row) throw problems.notFound('Assessment');
    return row;
  }

  /** The draft, after the If-Match precondition (412) and the status check (409). */
  private async editableDraft(
    tx: TransactionClient,
    organizationId: OrganizationId,
    assessmentId: string,
    ifMatch: string | undefined,
  ) {
    await this.assessments.lockForUpdate(tx, organizationId, assessmentId);
    const row = await this.existing(tx, organizationId, assessmentId);
    this.assertEditable(row, ifMatch);
    return row;
  }

  /** The If-Match precondition (412), then the status check (409). */
  private assertEditable(
    row: { id: string; lockVersion: number; status: string },
    ifMatch: string | undefined,
  ) {
    assertIfMatch(ifMatch, entityTag(row.id, row.lockVersion));
    if (row.status !== 'draft') {
      throw problems.conflict(
        'The assessment was submitted and is frozen; start a new assessment to record changes.',
      );
    }
  }

  private async advance(tx: TransactionClient, organizationId: OrganizationId, row: AssessmentRow) {
    const changed = await this.assessments.touch(tx, organizationId, row.id, row.lockVersion);
    if (changed === 0) throw this.changedMeanwhile();
  }

  private async reload(tx: TransactionClient, organizationId: OrganizationId, id: string) {
    const row = await this.existing(tx, organizationId, id);
    return present(row, await this.assessments.answers(tx, organizationId, id));
  }

  private changedMeanwhile() {
    return problems.preconditionFailed(
      'The assessment changed while this request ran; read it again and retry.',
    );
  }
}
