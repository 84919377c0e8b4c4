import { Injectable } from '@nestjs/common';
import { defaultMaturityModel, type MaturityModelDefinition } from '@app/maturity-model';
import {
  builtinModelId,
  OrganizationId,
  Prisma,
  TransactionClient,
  toStoredJson,
} from '@app/database';
import type { AssessmentResult, CriterionStatus } from '@app/scoring';

/** What a team's current score is computed from: its latest submitted assessment, or none. */
export interface ScoringBasis {
  assessmentId: string | null;
  modelVersionId: string;
  definition: MaturityModelDefinition;
  targetLevels: Record<string, number>;
  answers: {
    criterionKey: string;
    status: CriterionStatus;
    note: string | null;
    evidenceUrl: string | null;
  }[];
}

export interface EvidenceFact {
  criterionKey: string;
  passed: boolean;
  observedAt: Date;
  expiresAt: Date;
  url: string | null;
}

/** What decides whether a re-score changed anything: the levels and scores, not the explanation. */
export interface ScoreFigures {
  score: number;
  minimumLevel: number;
  dimensions: { dimensionKey: string; level: number; score: number }[];
}

/** A stored score without its (large) result: what a re-score compares and keeps. */
export interface StoredScoreSummary {
  modelVersionId: string;
  cause: string;
  causeId: string;
  computedAt: Date;
  figures: ScoreFigures;
}

export interface StoredTeamScore {
  modelVersionId: string;
  assessmentId: string | null;
  result: AssessmentResult;
  cause: string;
  causeId: string;
  computedAt: Date;
}

/**
 * The latest submitted assessment of each team, with its answers (the definition is read apart);
 * teams without one are absent.
 */
function latestSubmittedSql(
  organizationId: OrganizationId,
  teamIds: readonly string[],
): Prisma.Sql {
  return Prisma.sql`
    SELECT DISTINCT ON (a.team_id)
           a.team_id AS "teamId", a.id AS "assessmentId", a.model_version_id AS "modelVersionId",
           a.target_levels AS "targetLevels",
           COALESCE((SELECT json_agg(json_build_object(
                      'criterionKey', x.criterion_key, 'status', x.status, 'note', x.note,
                      'evidenceUrl', x.evidence_url) ORDER BY x.criterion_key)
                       FROM assessment_answers x
                      WHERE x.organization_id = a.organization_id AND x.assessment_id = a.id),
                    '[]'::json) AS answers
      FROM assessments a
     WHERE a.organization_id = ${organizationId}::uuid AND a.team_id = ANY(${[...teamIds]}::uuid[])
       AND a.status = 'submitted'
     ORDER BY a.team_id, a.submitted_at DESC, a.id DESC`;
}

/**
 * Per team and criterion, the latest fresh item and the latest stale one (enough for the scoring
 * rules: the latest fresh item decides, ties going to a failing item; a stale one only explains
 * why a criterion lost its proof). Bounded by the number of criteria, however much CI a team runs.
 */
function currentEvidenceSql(
  organizationId: OrganizationId,
  teamIds: readonly string[],
  asOf: Date,
): Prisma.Sql {
  return Prisma.sql`
    SELECT DISTINCT ON (team_id, criterion_key, fresh)
           team_id AS "teamId", criterion_key AS "criterionKey", passed,
           observed_at AS "observedAt", expires_at AS "expiresAt", url
      FROM (SELECT *, expires_at > ${asOf} AS fresh
              FROM evidence
             WHERE organization_id = ${organizationId}::uuid AND team_id = ANY(${[...teamIds]}::uuid[])
               AND observed_at <= ${asOf}) AS team_evidence
     ORDER BY team_id, criterion_key, fresh, observed_at DESC, passed ASC, expires_at DESC, url`;
}

/**
 * The stored score's figures and last change, picked out of the result JSON by the database, so
 * the whole result (explanations included) is not sent and parsed on every re-score.
 */
function summarySql(organizationId: OrganizationId, teamId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT model_version_id AS "modelVersionId", cause::text AS cause, cause_id AS "causeId",
           computed_at AS "computedAt",
           jsonb_build_object(
             'score', result->'score', 'minimumLevel', result->'minimumLevel',
             'dimensions', COALESCE((
               SELECT jsonb_agg(jsonb_build_object('dimensionKey', d->'dimensionKey',
                                                   'level', d->'level', 'score', d->'score')
                                ORDER BY position)
                 FROM jsonb_array_elements(result->'dimensions') WITH ORDINALITY AS x(d, position)),
               '[]'::jsonb)) AS figures
      FROM team_scores
     WHERE organization_id = ${organizationId}::uuid AND team_id = ${teamId}::uuid`;
}

const STORED_SCORE_FIELDS = {
  modelVersionId: true,
  assessmentId: true,
  result: true,
  cause: true,
  causeId: true,
  computedAt: true,
} as const;

function storedScoreOf(
  row: Omit<StoredTeamScore, 'result'> & { result: Prisma.JsonValue },
): StoredTeamScore {
  return { ...row, result: row.result as unknown as AssessmentResult };
}

@Injectable()
export class TeamScoresRepository {
  private readonly publishedDefinitions = new Map<string, MaturityModelDefinition>();

  /**
   * Serialises re-scoring of one team until the transaction ends: two deliveries for the same team
   * processed at once would otherwise each score without the other's evidence and the later
   * commit would store a stale score. A transaction-scoped advisory lock, so team edits are not
   * blocked by it.
   */
  async lockTeam(tx: TransactionClient, teamId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`team-score:${teamId}`}, 0))`;
  }

  async teamExists(tx: TransactionClient, organizationId: OrganizationId, teamId: string) {
    const team = await tx.team.findUnique({
      where: { organizationId_id: { organizationId, id: teamId } },
      select: { id: true },
    });
    return team !== null;
  }

  /** The scoring basis of each team's latest submitted assessment, by team (none: absent). */
  async latestSubmittedAssessments(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: readonly string[],
  ): Promise<Map<string, ScoringBasis>> {
    const rows = await tx.$queryRaw<(Omit<ScoringBasis, 'definition'> & { teamId: string })[]>(
      latestSubmittedSql(organizationId, teamIds),
    );
    const bases = new Map<string, ScoringBasis>();
    for (const { teamId, ...basis } of rows)
      bases.set(teamId, await this.withDefinition(tx, basis));
    return bases;
  }

  /**
   * What a re-score reads, in one round trip: the latest submitted assessment (its model's
   * definition comes from the cache), the current evidence and the stored score's summary.
   */
  async rescoreInputs(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    asOf: Date,
  ): Promise<{
    basis: ScoringBasis | undefined;
    evidence: EvidenceFact[];
    previous: StoredScoreSummary | undefined;
  }> {
    const [row] = await tx.$queryRaw<
      {
        basis: Omit<ScoringBasis, 'definition'> | null;
        evidence: (Omit<EvidenceFact, 'observedAt' | 'expiresAt'> & {
          observedAt: string;
          expiresAt: string;
        })[];
        previous: (Omit<StoredScoreSummary, 'computedAt'> & { computedAt: string }) | null;
      }[]
    >`
      SELECT (SELECT row_to_json(b) FROM (${latestSubmittedSql(organizationId, [teamId])}) b) AS basis,
             COALESCE((SELECT json_agg(e)
                         FROM (${currentEvidenceSql(organizationId, [teamId], asOf)}) e),
                      '[]'::json) AS evidence,
             (SELECT row_to_json(s) FROM (${summarySql(organizationId, teamId)}) s) AS previous`;
    // JSON carries timestamps as text.
    return {
      basis: row.basis ? await this.withDefinition(tx, row.basis) : undefined,
      evidence: row.evidence.map((fact) => ({
        ...fact,
        observedAt: new Date(fact.observedAt),
        expiresAt: new Date(fact.expiresAt),
      })),
      previous: row.previous
        ? { ...row.previous, computedAt: new Date(row.previous.computedAt) }
        : undefined,
    };
  }

  private async withDefinition(
    tx: TransactionClient,
    basis: Omit<ScoringBasis, 'definition'>,
  ): Promise<ScoringBasis> {
    return { ...basis, definition: await this.definition(tx, basis.modelVersionId) };
  }

  /** The newest published version of the built-in default model. */
  async builtinDefaultVersion(tx: TransactionClient): Promise<ScoringBasis> {
    const version = await tx.maturityModelVersion.findFirstOrThrow({
      where: {
        organizationId: null,
        modelId: builtinModelId(defaultMaturityModel.key),
        status: 'published',
      },
      orderBy: { version: 'desc' },
      select: { id: true },
    });
    return {
      assessmentId: null,
      modelVersionId: version.id,
      definition: await this.definition(tx, version.id),
      targetLevels: {},
      answers: [],
    };
  }

  /**
   * A model version's definition. Published versions never change, so each is read once per
   * process and kept (re-reading a definition of many kilobytes on every re-score was the
   * processing path's largest read); a draft's is read every time. The read runs in the caller's
   * tenant transaction, and callers ask only for versions they found through the tenant's own
   * rows, so a cached definition is one the asking tenant may see.
   */
  private async definition(
    tx: TransactionClient,
    versionId: string,
  ): Promise<MaturityModelDefinition> {
    const cached = this.publishedDefinitions.get(versionId);
    if (cached) return cached;
    const version = await tx.maturityModelVersion.findUniqueOrThrow({
      where: { id: versionId },
      select: { definition: true, status: true },
    });
    const definition = version.definition as unknown as MaturityModelDefinition;
    if (version.status === 'published') this.publishedDefinitions.set(versionId, definition);
    return definition;
  }

  /** The evidence scoring uses at `asOf` of each team, by team (see currentEvidenceSql). */
  currentEvidence(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: readonly string[],
    asOf: Date,
  ): Promise<(EvidenceFact & { teamId: string })[]> {
    return tx.$queryRaw(currentEvidenceSql(organizationId, teamIds, asOf));
  }

  async find(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
  ): Promise<StoredTeamScore | undefined> {
    const row = await tx.teamScore.findUnique({
      where: { organizationId_teamId: { organizationId, teamId } },
      select: STORED_SCORE_FIELDS,
    });
    return row ? storedScoreOf(row) : undefined;
  }

  /** The stored scores of many teams in one statement, by team (never scored: absent). */
  async findOfTeams(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: readonly string[],
  ): Promise<Map<string, StoredTeamScore>> {
    const rows = await tx.teamScore.findMany({
      where: { organizationId, teamId: { in: [...teamIds] } },
      select: { ...STORED_SCORE_FIELDS, teamId: true },
    });
    return new Map(rows.map(({ teamId, ...row }) => [teamId, storedScoreOf(row)]));
  }

  /**
   * The stored score's figures and last change, picked out of the result JSON by the database, so
   * the whole result (explanations included) is not sent and parsed on every re-score.
   */
  /** The stored score's figures and last change (see summarySql). */
  async findSummary(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
  ): Promise<StoredScoreSummary | undefined> {
    const rows = await tx.$queryRaw<StoredScoreSummary[]>(summarySql(organizationId, teamId));
    return rows[0];
  }

  async store(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    score: StoredTeamScore & { nextExpiryAt: Date | null },
  ): Promise<void> {
    const data = {
      modelVersionId: score.modelVersionId,
      assessmentId: score.assessmentId,
      result: toStoredJson(score.result) as Prisma.InputJsonValue,
      cause: score.cause as 'assessment' | 'campaign' | 'evidence' | 'expiry',
      causeId: score.causeId,
      computedAt: score.computedAt,
      nextExpiryAt: score.nextExpiryAt,
    };
    await tx.teamScore.upsert({
      where: { organizationId_teamId: { organizationId, teamId } },
      create: { organizationId, teamId, ...data },
      update: data,
    });
  }
}
