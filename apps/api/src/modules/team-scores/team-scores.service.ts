import { Injectable } from '@nestjs/common';
import { problems, TenantScope } from '@app/common';
import { OrganizationId, TenantTransactions, TransactionClient } from '@app/database';
import {
  type AssessmentResult,
  type EvidenceItem,
  type MaturityLevel,
  scoreAssessment,
} from '@app/scoring';
import type { SnapshotCause } from '../progress/progress.repository';
import { ProgressService } from '../progress/progress.service';
import { RoadmapReconciler } from '../roadmaps/roadmap-reconciler';
import { levelChange, NotificationsService } from '../webhook-endpoints/notifications.service';
import { CriterionProvenanceDto, Provenance, TeamScoreDto } from './dto/team-score.dto';
import {
  EvidenceFact,
  ScoreFigures,
  ScoringBasis,
  StoredScoreSummary,
  StoredTeamScore,
  TeamScoresRepository,
} from './team-scores.repository';

export type ScoreCause = SnapshotCause;

export interface RescoreOutcome {
  /** True when a level or a score (a dimension's or the overall one) changed. */
  changed: boolean;
  result: AssessmentResult;
}

function sameFigures(a: ScoreFigures, b: ScoreFigures): boolean {
  if (a.score !== b.score || a.minimumLevel !== b.minimumLevel) return false;
  if (a.dimensions.length !== b.dimensions.length) return false;
  return a.dimensions.every((dimension, i) => {
    const other = b.dimensions[i];
    return (
      dimension.dimensionKey === other.dimensionKey &&
      dimension.level === other.level &&
      dimension.score === other.score
    );
  });
}

function evidenceItemOf(fact: EvidenceFact): EvidenceItem {
  return {
    criterionKey: fact.criterionKey,
    passed: fact.passed,
    observedAt: fact.observedAt,
    expiresAt: fact.expiresAt,
    ...(fact.url !== null ? { sourceUrl: fact.url } : {}),
  };
}

/** When the earliest deciding CI result goes stale: the score may change then. */
function nextExpiryOf(result: AssessmentResult): Date | null {
  let earliest: string | null = null;
  for (const dimension of result.dimensions) {
    for (const criterion of dimension.criteria) {
      const expiresAt = criterion.source === 'evidence' ? criterion.evidence?.expiresAt : null;
      if (expiresAt && (earliest === null || expiresAt < earliest)) earliest = expiresAt;
    }
  }
  return earliest === null ? null : new Date(earliest);
}

function provenanceOf(
  criterion: AssessmentResult['dimensions'][number]['criteria'][number],
  staleKeys: ReadonlySet<string>,
): Provenance {
  if (criterion.conflict) return 'conflict';
  if (criterion.source === 'evidence') return 'ci';
  if (staleKeys.has(criterion.key)) return 'expired';
  return criterion.source === 'answer' ? 'answer' : 'none';
}

function present(teamId: string, stored: StoredTeamScore): TeamScoreDto {
  const { result } = stored;
  const staleKeys = new Set(
    result.explanation.flatMap((line) =>
      line.kind === 'criterion_evidence' && line.used === null && line.ignored.expired > 0
        ? [line.criterionKey]
        : [],
    ),
  );
  const criteria: CriterionProvenanceDto[] = result.dimensions.flatMap((dimension) =>
    dimension.criteria.map((criterion) => ({
      criterionKey: criterion.key,
      dimensionKey: dimension.dimensionKey,
      level: criterion.level,
      title: criterion.title,
      status: criterion.status,
      answerStatus: criterion.answerStatus,
      provenance: provenanceOf(criterion, staleKeys),
      evidence: criterion.evidence,
    })),
  );
  return {
    teamId,
    modelVersionId: stored.modelVersionId,
    assessmentId: stored.assessmentId,
    asOf: result.asOf,
    score: result.score,
    minimumLevel: result.minimumLevel,
    band: result.band,
    dimensions: result.dimensions.map((dimension) => ({
      dimensionKey: dimension.dimensionKey,
      name: dimension.name,
      level: dimension.level,
      score: dimension.score,
      targetLevel: dimension.targetLevel,
    })),
    criteria,
    conflictCount: result.conflicts.length,
    lastChange: { cause: stored.cause, causeId: stored.causeId, at: stored.computedAt },
  };
}

/**
 * A team's current score: its latest submitted assessment combined with the CI evidence fresh at
 * the time, by the scoring library's evidence rules (fresh passing evidence proves a criterion,
 * fresh failing evidence disproves it and flags a contradicted `met` answer as a conflict). A
 * team with evidence but no submitted assessment is scored on the built-in default model with no
 * answers. The score is stored (team_scores) whenever something re-scores the team, so reads
 * never re-score; a change of any level or score appends progress snapshots naming the cause.
 */
@Injectable()
export class TeamScoresService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly scores: TeamScoresRepository,
    private readonly progress: ProgressService,
    private readonly notifications: NotificationsService,
    private readonly roadmapItems: RoadmapReconciler,
  ) {}

  /** The team's CI evidence as scoring input at `asOf` (the latest fresh and stale per criterion). */
  async evidenceAt(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    asOf: Date,
  ): Promise<EvidenceItem[]> {
    const facts = await this.scores.currentEvidence(tx, organizationId, [teamId], asOf);
    return facts.map(evidenceItemOf);
  }

  /**
   * Holds the team's scoring lock until the transaction ends. Every writer of a team's current
   * score takes it before reading what it scores from (evidence, the latest assessment), so two
   * writers never store a score that misses the other's input.
   */
  lock(tx: TransactionClient, teamId: string): Promise<void> {
    return this.scores.lockTeam(tx, teamId);
  }

  /**
   * Re-scores the team inside the caller's transaction (after its writes) from its latest
   * submitted assessment and fresh evidence, and records the score (see record).
   */
  async rescore(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    cause: { cause: ScoreCause; causeId: string },
  ): Promise<RescoreOutcome> {
    await this.lock(tx, teamId);
    const asOf = new Date();
    const inputs = await this.scores.rescoreInputs(tx, organizationId, teamId, asOf);
    const basis = inputs.basis ?? (await this.scores.builtinDefaultVersion(tx));
    const result = this.score(basis, inputs.evidence.map(evidenceItemOf), asOf);
    return this.keep(tx, organizationId, teamId, { ...basis, result }, cause, {}, inputs.previous);
  }

  /**
   * Stores a score the caller computed from the team's latest submitted assessment and the
   * evidence it read under lock() (submit does: it scores the assessment it freezes). When a
   * level or score changed (or `recordAlways`, as for a submitted assessment) the progress
   * snapshots are appended, naming the cause, and a changed overall level is published
   * (`team.level_changed`); the active roadmap's items close or reopen to match (each change
   * naming the cause); an unchanged score keeps naming what changed it last.
   */
  async record(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    scored: { modelVersionId: string; assessmentId: string | null; result: AssessmentResult },
    cause: { cause: ScoreCause; causeId: string },
    options: { recordAlways?: boolean } = {},
  ): Promise<RescoreOutcome> {
    const previous = await this.scores.findSummary(tx, organizationId, teamId);
    return this.keep(tx, organizationId, teamId, scored, cause, options, previous);
  }

  /** record() with the stored score's summary already read (rescore reads it with its inputs). */
  private async keep(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    scored: { modelVersionId: string; assessmentId: string | null; result: AssessmentResult },
    cause: { cause: ScoreCause; causeId: string },
    options: { recordAlways?: boolean },
    previous: StoredScoreSummary | undefined,
  ): Promise<RescoreOutcome> {
    const { result } = scored;
    const asOf = new Date(result.asOf);
    const changed =
      previous === undefined ||
      previous.modelVersionId !== scored.modelVersionId ||
      !sameFigures(previous.figures, result);
    const lastChange =
      changed || options.recordAlways || previous === undefined
        ? { ...cause, computedAt: asOf }
        : { cause: previous.cause, causeId: previous.causeId, computedAt: previous.computedAt };
    await this.scores.store(tx, organizationId, teamId, {
      modelVersionId: scored.modelVersionId,
      assessmentId: scored.assessmentId,
      result,
      ...lastChange,
      nextExpiryAt: nextExpiryOf(result),
    });
    if (changed || options.recordAlways) {
      const { previousLevel } = await this.progress.recordResult(tx, organizationId, {
        teamId,
        modelVersionId: scored.modelVersionId,
        cause: cause.cause,
        causeId: cause.causeId,
        recordedAt: asOf,
        result,
      });
      // Whatever changed the level (an assessment, a campaign, evidence or its expiry).
      await this.notifications.publish(
        tx,
        organizationId,
        levelChange({ teamId, previousLevel, level: result.minimumLevel, ...cause }),
      );
    }
    // Roadmap items close when the current score meets their criterion and reopen when it stops.
    await this.roadmapItems.reconcile(tx, organizationId, teamId, result, {
      kind: cause.cause,
      id: cause.causeId,
    });
    return { changed, result };
  }

  /**
   * The team's current score for other use cases (a roadmap is built from it), in the caller's
   * transaction: null when nothing has scored the team since this score was introduced.
   */
  async currentState(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
  ): Promise<{
    result: AssessmentResult;
    modelVersionId: string;
    assessmentId: string | null;
  } | null> {
    const stored = await this.scores.find(tx, organizationId, teamId);
    if (!stored) return null;
    return {
      result: stored.result,
      modelVersionId: stored.modelVersionId,
      assessmentId: stored.assessmentId,
    };
  }

  /**
   * The stored current score. A team scored before any evidence arrived (its assessments were
   * submitted before this feature) is scored on the fly from its latest submitted assessment; a
   * team with neither an assessment nor evidence has no score (404).
   */
  current(scope: TenantScope, teamId: string): Promise<TeamScoreDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      if (!(await this.scores.teamExists(tx, organizationId, teamId))) {
        throw problems.notFound('Team');
      }
      const score = (await this.currentScores(tx, organizationId, [teamId])).get(teamId);
      if (!score) {
        throw problems.notFound(
          'A score for this team (it has no submitted assessment and no CI evidence yet)',
        );
      }
      return score;
    });
  }

  /**
   * current() of many teams in one transaction of a bounded number of statements whatever the
   * number of teams (GraphQL's dashboards ask it for a whole page of teams), by team id; a team
   * without a score, of another organization or unknown, is absent.
   */
  currentOfTeams(
    scope: TenantScope,
    teamIds: readonly string[],
  ): Promise<Map<string, TeamScoreDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, (tx) => this.currentScores(tx, organizationId, teamIds));
  }

  private async currentScores(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: readonly string[],
  ): Promise<Map<string, TeamScoreDto>> {
    const stored = await this.scores.findOfTeams(tx, organizationId, teamIds);
    const scores = new Map([...stored].map(([teamId, score]) => [teamId, present(teamId, score)]));
    const unscored = teamIds.filter((teamId) => !stored.has(teamId));
    const bases = unscored.length
      ? await this.scores.latestSubmittedAssessments(tx, organizationId, unscored)
      : new Map<string, ScoringBasis>();
    if (bases.size === 0) return scores;
    const asOf = new Date();
    const facts = await this.scores.currentEvidence(tx, organizationId, [...bases.keys()], asOf);
    for (const [teamId, basis] of bases) {
      if (!basis.assessmentId) continue;
      const evidence = facts.filter((fact) => fact.teamId === teamId).map(evidenceItemOf);
      const result = this.score(basis, evidence, asOf);
      scores.set(
        teamId,
        present(teamId, {
          modelVersionId: basis.modelVersionId,
          assessmentId: basis.assessmentId,
          result,
          cause: 'assessment',
          causeId: basis.assessmentId,
          computedAt: new Date(result.asOf),
        }),
      );
    }
    return scores;
  }

  private score(basis: ScoringBasis, evidence: EvidenceItem[], asOf: Date): AssessmentResult {
    return scoreAssessment({
      model: basis.definition,
      answers: basis.answers.map((answer) => ({
        criterionKey: answer.criterionKey,
        status: answer.status,
        ...(answer.note !== null ? { note: answer.note } : {}),
        ...(answer.evidenceUrl !== null ? { evidenceUrl: answer.evidenceUrl } : {}),
      })),
      evidence,
      targetLevels: basis.targetLevels as Record<string, MaturityLevel>,
      asOf,
    });
  }
}
