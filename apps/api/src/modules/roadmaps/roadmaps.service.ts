import { Injectable } from '@nestjs/common';
import {
  Page,
  problems,
  requireActingUser,
  roleOf,
  TenantScope,
  actingUserId,
  fetchPage,
} from '@app/common';
import {
  isUniqueViolation,
  OrganizationId,
  TenantTransactions,
  TransactionClient,
} from '@app/database';
import type { MaturityModelDefinition } from '@app/maturity-model';
import { planRoadmap, ROADMAP_PHASES, roadmapCandidates } from '@app/roadmap';
import type { AssessmentResult, MaturityLevel } from '@app/scoring';
import { AuditTrail } from '../audit/audit-trail';
import { assertIfMatch, entityTag } from '../idempotency/etag';
import { MaturityModelsService } from '../maturity-models/maturity-models.service';
import { checkTargetLevels } from '../maturity-models/target-levels';
import { TeamScoresService } from '../team-scores/team-scores.service';
import { TeamsService } from '../teams/teams.service';
import {
  CreateRoadmapDto,
  ProgressCountsDto,
  RoadmapDto,
  RoadmapItemDto,
  RoadmapItemWithHistoryDto,
  RoadmapListQueryDto,
  RoadmapSummaryDto,
  UpdateRoadmapItemDto,
} from './dto/roadmap.dto';
import { criterionStatuses } from './roadmap-reconciler';
import { ItemStatus, RoadmapsRepository } from './roadmaps.repository';

type RoadmapRow = NonNullable<Awaited<ReturnType<RoadmapsRepository['find']>>>;
type ItemRow = NonNullable<Awaited<ReturnType<RoadmapsRepository['item']>>>;

/** A team's scored result and the model version it was scored against. */
export interface TeamScoredState {
  result: AssessmentResult;
  modelVersionId: string;
  /** The assessment the result comes from, when one does. */
  assessmentId: string | null;
}

const dateOnly = (date: Date): string => date.toISOString().slice(0, 10);
const asDate = (day: string): Date => new Date(`${day}T00:00:00.000Z`);

function presentSummary(row: RoadmapRow): RoadmapSummaryDto {
  return {
    ...row,
    targetLevels: row.targetLevels as Record<string, number>,
    startsOn: dateOnly(row.startsOn),
  };
}

function presentItem(row: ItemRow): RoadmapItemDto {
  const { lockVersion, dueOn, ...item } = row;
  return { ...item, dueOn: dueOn ? dateOnly(dueOn) : null, etag: entityTag(row.id, lockVersion) };
}

function countsOf(items: { status: string }[]): ProgressCountsDto {
  const count = (status: ItemStatus) => items.filter((item) => item.status === status).length;
  const done = count('done');
  const dropped = count('dropped');
  const remaining = items.length - dropped;
  return {
    total: items.length,
    todo: count('todo'),
    inProgress: count('in_progress'),
    done,
    dropped,
    fraction: remaining === 0 ? 1 : Math.round((done / remaining) * 10000) / 10000,
  };
}

function presentRoadmap(row: RoadmapRow, items: ItemRow[]): RoadmapDto {
  return {
    ...presentSummary(row),
    progress: countsOf(items),
    phases: ROADMAP_PHASES.map((phase) => ({
      phase,
      ...countsOf(items.filter((item) => item.phase === phase)),
    })),
    items: items.map(presentItem),
  };
}

/**
 * Roadmaps: a team's plan to its target levels, generated from its scored state (libs/roadmap
 * orders and phases the gaps), one active per team (a new one archives the old one). Items are
 * updated by managers, the team's leads and their owner (If-Match); RoadmapReconciler closes and
 * reopens them as scored results change.
 */
@Injectable()
export class RoadmapsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly roadmaps: RoadmapsRepository,
    private readonly teams: TeamsService,
    private readonly models: MaturityModelsService,
    private readonly audit: AuditTrail,
    private readonly teamScores: TeamScoresService,
  ) {}

  /** THE team's current scored result, the one place roadmaps read it from. */
  async currentScoredState(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
  ): Promise<TeamScoredState | null> {
    // Its latest submitted assessment with fresh CI evidence; a team not scored since that score
    // exists falls back to its latest submitted assessment's own result.
    const current = await this.teamScores.currentState(tx, organizationId, teamId);
    if (current) return current;
    const latest = await this.roadmaps.latestSubmittedAssessment(tx, organizationId, teamId);
    if (!latest || latest.result === null) return null;
    return {
      result: latest.result as unknown as AssessmentResult,
      modelVersionId: latest.modelVersionId,
      assessmentId: latest.id,
    };
  }

  async create(scope: TenantScope, teamId: string, input: CreateRoadmapDto): Promise<RoadmapDto> {
    const { organizationId } = scope;
    try {
      return await this.transactions.run(scope, async (tx) => {
        await this.teams.existingTeam(tx, organizationId, teamId);
        const state = input.fromAssessmentId
          ? await this.namedAssessmentState(tx, organizationId, teamId, input.fromAssessmentId)
          : await this.currentScoredState(tx, organizationId, teamId);
        if (!state) {
          throw problems.conflict(
            'The team has no submitted assessment yet: submit one, then build its roadmap.',
          );
        }
        const version = await this.models.versionById(tx, organizationId, state.modelVersionId);
        const targetLevels = checkRoadmapTargets(input.targetLevels, version.definition);
        const startsOn = input.startsOn ?? dateOnly(new Date());
        const horizonMonths = input.horizonMonths ?? 12;
        const planned = planRoadmap({
          candidates: roadmapCandidates(
            version.definition,
            criterionStatuses(state.result),
            targetLevels,
          ),
          dimensionScores: Object.fromEntries(
            state.result.dimensions.map((d) => [d.dimensionKey, d.score]),
          ),
          startsOn,
          horizonMonths,
        });
        const archived = await this.roadmaps.archiveActive(tx, organizationId, teamId);
        const { roadmap, items } = await this.roadmaps.create(
          tx,
          organizationId,
          {
            teamId,
            modelVersionId: state.modelVersionId,
            fromAssessmentId: state.assessmentId,
            targetLevels,
            startsOn: asDate(startsOn),
            horizonMonths,
            createdById: actingUserId(scope),
          },
          planned.map(({ dueMonth: _month, dueOn, ...item }) => ({
            ...item,
            dueOn: asDate(dueOn),
          })),
        );
        await this.roadmaps.appendEvents(
          tx,
          organizationId,
          items.map((item) => ({
            itemId: item.id,
            cause: 'created',
            causeId: state.assessmentId,
            fromStatus: null,
            toStatus: 'todo',
            changes: { phase: item.phase, dueOn: item.dueOn && dateOnly(item.dueOn) },
          })),
        );
        await this.audit.record(tx, scope, {
          action: 'roadmap.created',
          entityType: 'roadmap',
          entityId: roadmap.id,
          changes: {
            teamId,
            targetLevels,
            fromAssessmentId: state.assessmentId,
            items: items.length,
            archived: archived.map((row) => row.id),
          },
        });
        return presentRoadmap(roadmap, items);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw problems.conflict('Another roadmap of this team was created meanwhile; retry.');
      }
      throw error;
    }
  }

  list(
    scope: TenantScope,
    teamId: string,
    query: RoadmapListQueryDto,
  ): Promise<Page<RoadmapSummaryDto>> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.teams.existingTeam(tx, organizationId, teamId);
      return fetchPage(
        query,
        ({ after, take }) => this.roadmaps.list(tx, organizationId, teamId, query, after, take),
        presentSummary,
      );
    });
  }

  get(scope: TenantScope, teamId: string, roadmapId: string): Promise<RoadmapDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const roadmap = await this.existing(tx, organizationId, teamId, roadmapId);
      return presentRoadmap(roadmap, await this.roadmaps.items(tx, organizationId, roadmapId));
    });
  }

  getItem(
    scope: TenantScope,
    teamId: string,
    roadmapId: string,
    itemId: string,
  ): Promise<RoadmapItemWithHistoryDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.existing(tx, organizationId, teamId, roadmapId);
      const item = await this.existingItem(tx, organizationId, roadmapId, itemId);
      return this.withHistory(tx, organizationId, item);
    });
  }

  /**
   * Status, owner, due date, note. Managers, the team's leads and the item's owner only (403
   * otherwise); a stale If-Match is 412; an archived roadmap is read-only (409); the owner must
   * be a member of the team (422). The change and its cause (this user) go to the item's history.
   */
  updateItem(
    scope: TenantScope,
    teamId: string,
    roadmapId: string,
    itemId: string,
    input: UpdateRoadmapItemDto,
    ifMatch: string | undefined,
  ): Promise<RoadmapItemWithHistoryDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      const roadmap = await this.existing(tx, organizationId, teamId, roadmapId);
      const item = await this.existingItem(tx, organizationId, roadmapId, itemId);
      await this.assertMayUpdate(tx, scope, teamId, item);
      assertIfMatch(ifMatch, entityTag(item.id, item.lockVersion));
      if (roadmap.status !== 'active') {
        throw problems.conflict('The roadmap is archived; its items no longer change.');
      }
      if (input.ownerUserId) {
        const member = await this.roadmaps.teamRoleOf(
          tx,
          organizationId,
          teamId,
          input.ownerUserId,
        );
        if (!member) throw problems.unprocessable('The owner must be a member of the team.');
      }
      const changes = {
        ...(input.status !== undefined ? { status: input.status, autoClosed: false } : {}),
        ...(input.ownerUserId !== undefined ? { ownerUserId: input.ownerUserId } : {}),
        ...(input.dueOn !== undefined ? { dueOn: input.dueOn ? asDate(input.dueOn) : null } : {}),
        ...(input.note !== undefined ? { note: input.note } : {}),
      };
      if (Object.keys(changes).length === 0) return this.withHistory(tx, organizationId, item);
      const updated = await this.roadmaps.updateItem(
        tx,
        organizationId,
        itemId,
        item.lockVersion,
        changes,
      );
      if (!updated) {
        throw problems.preconditionFailed(
          'The item changed while this request ran; read it again and retry.',
        );
      }
      const userId = requireActingUser(scope);
      await this.roadmaps.appendEvents(tx, organizationId, [
        {
          itemId,
          cause: 'user',
          causeId: userId,
          fromStatus: item.status,
          toStatus: updated.status,
          changes: { ...input },
        },
      ]);
      await this.audit.record(tx, scope, {
        action: 'roadmap.item_updated',
        entityType: 'roadmap_item',
        entityId: itemId,
        changes: { roadmapId, ...input },
      });
      return this.withHistory(tx, organizationId, updated);
    });
  }

  archive(scope: TenantScope, teamId: string, roadmapId: string): Promise<RoadmapDto> {
    const { organizationId } = scope;
    return this.transactions.run(scope, async (tx) => {
      await this.existing(tx, organizationId, teamId, roadmapId);
      const { count } = await this.roadmaps.archive(tx, organizationId, roadmapId);
      if (count === 0) throw problems.conflict('The roadmap is archived already.');
      await this.audit.record(tx, scope, {
        action: 'roadmap.archived',
        entityType: 'roadmap',
        entityId: roadmapId,
        changes: { teamId },
      });
      const roadmap = await this.existing(tx, organizationId, teamId, roadmapId);
      return presentRoadmap(roadmap, await this.roadmaps.items(tx, organizationId, roadmapId));
    });
  }

  // --- helpers -------------------------------------------------------------------------------

  private async namedAssessmentState(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    assessmentId: string,
  ): Promise<TeamScoredState> {
    const row = await this.roadmaps.assessment(tx, organizationId, assessmentId);
    if (!row || row.teamId !== teamId) throw problems.notFound('Assessment');
    if (row.status !== 'submitted' || row.result === null) {
      throw problems.conflict('The assessment is a draft: roadmaps start from submitted ones.');
    }
    return {
      result: row.result as unknown as AssessmentResult,
      modelVersionId: row.modelVersionId,
      assessmentId: row.id,
    };
  }

  private async existing(
    tx: TransactionClient,
    organizationId: OrganizationId,
    teamId: string,
    roadmapId: string,
  ) {
    await this.teams.existingTeam(tx, organizationId, teamId);
    const roadmap = await this.roadmaps.find(tx, organizationId, teamId, roadmapId);
    if (!roadmap) throw problems.notFound('Roadmap');
    return roadmap;
  }

  private async existingItem(
    tx: TransactionClient,
    organizationId: OrganizationId,
    roadmapId: string,
    itemId: string,
  ) {
    const item = await this.roadmaps.item(tx, organizationId, roadmapId, itemId);
    if (!item) throw problems.notFound('Roadmap item');
    return item;
  }

  private async withHistory(
    tx: TransactionClient,
    organizationId: OrganizationId,
    item: ItemRow,
  ): Promise<RoadmapItemWithHistoryDto> {
    const history = await this.roadmaps.history(tx, organizationId, item.id);
    return {
      ...presentItem(item),
      history: history.map((event) => ({
        ...event,
        changes: event.changes as Record<string, unknown>,
      })),
    };
  }

  /** Owners and admins; otherwise a lead of the team or the item's owner. */
  private async assertMayUpdate(
    tx: TransactionClient,
    scope: TenantScope,
    teamId: string,
    item: ItemRow,
  ) {
    const role = roleOf(scope);
    if (role === 'owner' || role === 'admin') return;
    const userId = requireActingUser(scope);
    if (item.ownerUserId === userId) return;
    const member = await this.roadmaps.teamRoleOf(tx, scope.organizationId, teamId, userId);
    if (member?.role === 'lead') return;
    throw problems.forbidden("Only the team's leads, the item's owner and admins update items.");
  }
}

/** A roadmap's targets: levels 1..3 of the version's dimensions, at least one. */
function checkRoadmapTargets(
  input: Record<string, unknown>,
  model: MaturityModelDefinition,
): Record<string, MaturityLevel> {
  const levels = checkTargetLevels(input, model, 1);
  if (Object.keys(levels).length === 0) {
    throw problems.unprocessable('Name at least one dimension and its target level.');
  }
  return levels;
}
