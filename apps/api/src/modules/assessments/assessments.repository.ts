import { Injectable } from '@nestjs/common';
import type { CursorPosition } from '@app/common';
import { OrganizationId, Prisma, teamPagesSql, TransactionClient } from '@app/database';
import type { AnswerStatus } from './dto/assessment.dto';

const ASSESSMENT_FIELDS = {
  id: true,
  teamId: true,
  modelVersionId: true,
  status: true,
  targetLevels: true,
  lockVersion: true,
  result: true,
  createdById: true,
  createdAt: true,
  updatedAt: true,
  submittedAt: true,
  source: true,
  campaignId: true,
  modelVersion: { select: { modelId: true, version: true } },
} as const;

const { modelVersion: _modelVersion, ...ASSESSMENT_COLUMNS } = ASSESSMENT_FIELDS;

const ANSWER_FIELDS = {
  criterionKey: true,
  status: true,
  note: true,
  evidenceUrl: true,
  answeredById: true,
  updatedAt: true,
} as const;

export interface AnswerWrite {
  criterionKey: string;
  status: AnswerStatus;
  note: string | null;
  evidenceUrl: string | null;
}

interface ScoringRow {
  id: string;
  teamId: string;
  modelVersionId: string;
  status: 'draft' | 'submitted';
  targetLevels: Prisma.JsonValue;
  lockVersion: number;
  result: Prisma.JsonValue;
  createdById: string | null;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  modelId: string;
  version: number;
  definition: Prisma.JsonValue;
  answers: {
    criterionKey: string;
    status: AnswerStatus;
    note: string | null;
    evidenceUrl: string | null;
    answeredById: string | null;
    updatedAt: string;
  }[];
}

/** A row of a team's assessment history. */
interface HistoryRow {
  id: string;
  teamId: string;
  modelVersionId: string;
  status: 'draft' | 'submitted';
  result: Prisma.JsonValue;
  createdAt: Date;
  submittedAt: Date | null;
  source: 'assessor' | 'campaign';
  campaignId: string | null;
}

/** The only Prisma user for assessments and their answers; every call names the organization. */
@Injectable()
export class AssessmentsRepository {
  create(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: {
      teamId: string;
      modelVersionId: string;
      targetLevels: Prisma.InputJsonValue;
      createdById: string | null;
    },
  ) {
    return tx.assessment.create({
      data: { organizationId, status: 'draft', ...data },
      select: ASSESSMENT_FIELDS,
    });
  }

  find(tx: TransactionClient, organizationId: OrganizationId, assessmentId: string) {
    return tx.assessment.findUnique({
      where: { organizationId_id: { organizationId, id: assessmentId } },
      select: ASSESSMENT_FIELDS,
    });
  }

  /**
   * Locks the assessment row until the transaction ends. Every writer of a draft (answers, submit,
   * delete) takes this lock before it reads the row, so writers of one assessment run one after
   * the other: each sees the lock version its predecessor left, and none can deadlock another
   * over answer rows locked in different orders.
   */
  async lockForUpdate(
    tx: TransactionClient,
    organizationId: OrganizationId,
    assessmentId: string,
  ): Promise<void> {
    await tx.$queryRaw`
      SELECT id FROM assessments
       WHERE organization_id = ${organizationId}::uuid AND id = ${assessmentId}::uuid
         FOR UPDATE`;
  }

  /**
   * Everything submitting needs, in one statement: the assessment, its model version's definition
   * and its answers (the three Prisma reads it replaces were three round trips). Not locked: a
   * FOR UPDATE that waited would still read the answers as they were before it waited; submit's
   * UPDATE instead requires the lock version it read, so a writer in between makes it a 412.
   */
  async findForScoring(
    tx: TransactionClient,
    organizationId: OrganizationId,
    assessmentId: string,
  ) {
    const rows = await tx.$queryRaw<ScoringRow[]>`
      SELECT a.id, a.team_id AS "teamId", a.model_version_id AS "modelVersionId",
             a.status::text AS status, a.target_levels AS "targetLevels",
             a.lock_version AS "lockVersion", a.result, a.created_by_id AS "createdById",
             a.created_at AS "createdAt", a.updated_at AS "updatedAt",
             a.submitted_at AS "submittedAt", v.model_id AS "modelId", v.version,
             v.definition,
             COALESCE((SELECT json_agg(json_build_object(
                        'criterionKey', x.criterion_key, 'status', x.status, 'note', x.note,
                        'evidenceUrl', x.evidence_url, 'answeredById', x.answered_by_id,
                        'updatedAt', x.updated_at) ORDER BY x.criterion_key)
                         FROM assessment_answers x
                        WHERE x.organization_id = a.organization_id AND x.assessment_id = a.id),
                      '[]'::json) AS answers
        FROM assessments a
        JOIN maturity_model_versions v ON v.id = a.model_version_id
       WHERE a.organization_id = ${organizationId}::uuid AND a.id = ${assessmentId}::uuid`;
    const row = rows[0];
    if (!row) return undefined;
    const { modelId, version, definition, answers, ...assessment } = row;
    return {
      assessment: { ...assessment, modelVersion: { modelId, version } },
      definition,
      // json_build_object renders timestamps as text: back to the Date Prisma would give.
      answers: answers.map((answer) => ({ ...answer, updatedAt: new Date(answer.updatedAt) })),
    };
  }

  answers(tx: TransactionClient, organizationId: OrganizationId, assessmentId: string) {
    return tx.assessmentAnswer.findMany({
      where: { organizationId, assessmentId },
      orderBy: { criterionKey: 'asc' },
      select: ANSWER_FIELDS,
    });
  }

  /**
   * The newest submitted assessment of each of many teams (teams without one are absent), in two
   * statements whatever the number of teams: DISTINCT ON picks the ids, one read loads them.
   */
  async latestSubmittedOfTeams(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: readonly string[],
  ) {
    if (teamIds.length === 0) return [];
    const latest = await tx.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT ON (team_id) id FROM assessments
       WHERE organization_id = ${organizationId}::uuid AND team_id = ANY(${[...teamIds]}::uuid[])
         AND status = 'submitted'
       ORDER BY team_id, submitted_at DESC, id DESC`;
    if (latest.length === 0) return [];
    return tx.assessment.findMany({
      where: { organizationId, id: { in: latest.map((row) => row.id) } },
      select: ASSESSMENT_FIELDS,
    });
  }

  /** The answers of many assessments in one statement, by criterion key within each. */
  answersOfMany(
    tx: TransactionClient,
    organizationId: OrganizationId,
    assessmentIds: readonly string[],
  ) {
    return tx.assessmentAnswer.findMany({
      where: { organizationId, assessmentId: { in: [...assessmentIds] } },
      orderBy: [{ assessmentId: 'asc' }, { criterionKey: 'asc' }],
      select: { ...ANSWER_FIELDS, assessmentId: true },
    });
  }

  /**
   * Newest first, up to `take` assessments of each team asked for (a team's own history page,
   * from the cursor's position when there is one), in one statement whatever the number of teams.
   */
  historyOfTeams(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamIds: readonly string[],
    filter: { from?: string; to?: string; status?: 'draft' | 'submitted' },
    after: CursorPosition | undefined,
    take: number,
  ) {
    return tx.$queryRaw<HistoryRow[]>(
      teamPagesSql({
        table: 'assessments',
        alias: 'a',
        columns: Prisma.sql`a.id, a.team_id AS "teamId", a.model_version_id AS "modelVersionId",
          a.status::text AS status, a.result, a.created_at AS "createdAt",
          a.submitted_at AS "submittedAt", a.source::text AS source, a.campaign_id AS "campaignId"`,
        organizationId,
        teamIds,
        range: filter,
        after,
        conditions: filter.status
          ? [Prisma.sql`a.status = ${filter.status}::"AssessmentStatus"`]
          : [],
        take,
      }),
    );
  }

  /** One statement for the whole batch: INSERT ... ON CONFLICT DO UPDATE over unnest(arrays). */
  upsertAnswers(
    tx: TransactionClient,
    organizationId: OrganizationId,
    assessmentId: string,
    answers: AnswerWrite[],
    answeredById: string | null,
  ) {
    // Rows are written (and locked) in criterion-key order, the same in every transaction.
    answers = [...answers].sort((a, b) =>
      a.criterionKey < b.criterionKey ? -1 : a.criterionKey > b.criterionKey ? 1 : 0,
    );
    return tx.$executeRaw`
      INSERT INTO assessment_answers
        (organization_id, assessment_id, criterion_key, status, note, evidence_url, answered_by_id, updated_at)
      SELECT ${organizationId}::uuid, ${assessmentId}::uuid, a.criterion_key, a.status::"AnswerStatus",
             a.note, a.evidence_url, ${answeredById}::uuid, now()
        FROM unnest(${answers.map((a) => a.criterionKey)}::text[], ${answers.map((a) => a.status)}::text[],
                    ${answers.map((a) => a.note)}::text[], ${answers.map((a) => a.evidenceUrl)}::text[])
             AS a(criterion_key, status, note, evidence_url)
      ON CONFLICT (organization_id, assessment_id, criterion_key) DO UPDATE
        SET status = EXCLUDED.status, note = EXCLUDED.note, evidence_url = EXCLUDED.evidence_url,
            answered_by_id = EXCLUDED.answered_by_id, updated_at = EXCLUDED.updated_at`;
  }

  /**
   * A scored assessment recorded in one statement (a campaign close records a hundred of them in
   * one transaction): the row, submitted, with its result, and its answers.
   */
  async createSubmitted(
    tx: TransactionClient,
    organizationId: OrganizationId,
    data: {
      teamId: string;
      modelVersionId: string;
      targetLevels: Prisma.InputJsonValue;
      result: Prisma.InputJsonValue;
      submittedAt: Date;
      source: 'assessor' | 'campaign';
      campaignId: string | null;
      createdById: string | null;
    },
    answers: AnswerWrite[],
  ): Promise<string> {
    const [row] = await tx.$queryRaw<{ id: string }[]>`
      WITH assessment AS (
        INSERT INTO assessments
          (organization_id, team_id, model_version_id, status, target_levels, result, submitted_at,
           source, campaign_id, created_by_id, updated_at)
        VALUES (${organizationId}::uuid, ${data.teamId}::uuid, ${data.modelVersionId}::uuid,
                'submitted', ${JSON.stringify(data.targetLevels)}::jsonb,
                ${JSON.stringify(data.result)}::jsonb, ${data.submittedAt}::timestamptz,
                ${data.source}::"AssessmentSource", ${data.campaignId}::uuid,
                ${data.createdById}::uuid, now())
        RETURNING id
      ), answers AS (
        INSERT INTO assessment_answers
          (organization_id, assessment_id, criterion_key, status, note, evidence_url, updated_at)
        SELECT ${organizationId}::uuid, assessment.id, a.criterion_key, a.status::"AnswerStatus",
               a.note, a.evidence_url, now()
          FROM assessment,
               unnest(${answers.map((a) => a.criterionKey)}::text[], ${answers.map((a) => a.status)}::text[],
                      ${answers.map((a) => a.note)}::text[], ${answers.map((a) => a.evidenceUrl)}::text[])
                 AS a(criterion_key, status, note, evidence_url)
      )
      SELECT id FROM assessment`;
    return row.id;
  }

  /** Moves the lock version on if nobody else did since `lockVersion`; returns rows changed. */
  async touch(
    tx: TransactionClient,
    organizationId: OrganizationId,
    assessmentId: string,
    lockVersion: number,
  ): Promise<number> {
    const { count } = await tx.assessment.updateMany({
      where: { organizationId, id: assessmentId, status: 'draft', lockVersion },
      data: { lockVersion: { increment: 1 } },
    });
    return count;
  }

  /** The submitted assessment's columns, or undefined when someone else changed it meanwhile. */
  async submit(
    tx: TransactionClient,
    organizationId: OrganizationId,
    assessmentId: string,
    lockVersion: number,
    result: Prisma.InputJsonValue,
    submittedAt: Date,
  ) {
    const [submitted] = await tx.assessment.updateManyAndReturn({
      where: { organizationId, id: assessmentId, status: 'draft', lockVersion },
      data: { status: 'submitted', result, submittedAt, lockVersion: { increment: 1 } },
      select: ASSESSMENT_COLUMNS,
    });
    return submitted;
  }

  async deleteDraft(
    tx: TransactionClient,
    organizationId: OrganizationId,
    assessmentId: string,
    lockVersion: number,
  ): Promise<number> {
    const { count } = await tx.assessment.deleteMany({
      where: { organizationId, id: assessmentId, status: 'draft', lockVersion },
    });
    return count;
  }
}
