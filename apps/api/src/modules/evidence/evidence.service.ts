import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  fetchFirstPages,
  fetchPage,
  Page,
  problems,
  TenantScope,
  type FieldError,
} from '@app/common';
import { OrganizationId, TenantTransactions, TransactionClient } from '@app/database';
import { AuditTrail } from '../audit/audit-trail';
import { IdempotencyService, StoredResponse } from '../idempotency/idempotency.service';
import { TeamsService } from '../teams/teams.service';
import { CriteriaCatalogueReader } from './criteria-catalogue';
import {
  EvidenceDto,
  EvidenceQueryDto,
  PushedEvidenceDto,
  PushEvidenceDto,
} from './dto/evidence.dto';
import { EvidenceRecorder, NewEvidence } from './evidence-recorder';
import { EvidenceRepository, type StoredEvidence } from './evidence.repository';

/** Clock skew tolerated between a CI system and this service for `observedAt`. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const PUSH_OPERATION = 'evidence.push';

export function presentEvidence(row: StoredEvidence, now = new Date()): EvidenceDto {
  return {
    ...row,
    run: row.run as EvidenceDto['run'],
    fresh: row.observedAt <= now && row.expiresAt > now,
  };
}

/** The repository's filter for a REST query (`fresh` read as a boolean, judged at `now`). */
function filterOf(query: EvidenceQueryDto, now: Date) {
  return {
    from: query.from,
    to: query.to,
    criterionKey: query.criterionKey,
    fresh: query.fresh === undefined ? undefined : query.fresh === 'true',
    now,
  };
}

/** CI evidence over HTTP: a team's evidence, and results pushed by CI scripts. */
@Injectable()
export class EvidenceService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly evidence: EvidenceRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly catalogue: CriteriaCatalogueReader,
    private readonly teams: TeamsService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditTrail,
  ) {}

  list(scope: TenantScope, teamId: string, query: EvidenceQueryDto): Promise<Page<EvidenceDto>> {
    const { organizationId } = scope;
    const now = new Date();
    return this.transactions.run(scope, async (tx) => {
      await this.teams.existingTeam(tx, organizationId, teamId);
      return fetchPage(
        query,
        ({ after, take }) =>
          this.evidence.listOfTeams(
            tx,
            organizationId,
            [teamId],
            filterOf(query, now),
            after,
            take,
          ),
        (row) => presentEvidence(row, now),
      );
    });
  }

  /**
   * The first page of list() (no cursor) of each team asked for, in one transaction of a bounded
   * number of statements whatever the number of teams, by team id; a team of another
   * organization or unknown gets an empty page.
   */
  firstPagesOfTeams(
    scope: TenantScope,
    teamIds: readonly string[],
    query: EvidenceQueryDto,
  ): Promise<Map<string, Page<EvidenceDto>>> {
    const { organizationId } = scope;
    const now = new Date();
    return this.transactions.run(scope, (tx) =>
      fetchFirstPages(
        query,
        teamIds,
        (take) =>
          this.evidence.listOfTeams(
            tx,
            organizationId,
            teamIds,
            filterOf(query, now),
            undefined,
            take,
          ),
        (row) => row.teamId,
        (row) => presentEvidence(row, now),
      ),
    );
  }

  /**
   * Evidence pushed by a CI script (API key with `evidence:write`, or an owner/admin). Every item
   * must name a team of the organization and a criterion (by key or CI signal) of a model it can
   * use; otherwise 422 naming each bad item, and nothing is stored. With an Idempotency-Key a
   * retried batch is stored once and replayed.
   */
  async push(
    scope: TenantScope,
    input: PushEvidenceDto,
    idempotencyKey: string | undefined,
  ): Promise<StoredResponse<PushedEvidenceDto>> {
    const { organizationId } = scope;
    const request = {
      operation: PUSH_OPERATION,
      key: idempotencyKey,
      subject: 'evidence',
      body: input,
    };
    return this.transactions.run(scope, (tx) =>
      this.idempotency.execute(tx, organizationId, request, async () => {
        const items = await this.resolvePushed(tx, organizationId, input);
        const batchId = randomUUID();
        const stored = await this.recorder.record(
          tx,
          organizationId,
          {
            batchId,
            source: 'api',
            deliveryId: null,
            apiKeyId: scope.actor.kind === 'api_key' ? scope.actor.apiKeyId : null,
          },
          items,
        );
        await this.audit.record(tx, scope, {
          action: 'evidence.pushed',
          entityType: 'evidence_batch',
          entityId: batchId,
          changes: {
            items: items.length,
            teams: stored.teams.map(({ teamId, changed }) => ({ teamId, changed })),
          },
        });
        const now = new Date();
        return {
          batchId,
          evidence: stored.evidence.map((row) => presentEvidence(row, now)),
          teams: stored.teams,
        };
      }),
    );
  }

  private async resolvePushed(
    tx: TransactionClient,
    organizationId: OrganizationId,
    input: PushEvidenceDto,
  ): Promise<NewEvidence[]> {
    const catalogue = await this.catalogue.read(tx, organizationId);
    const keyOfSignal = new Map(catalogue.signals.map((s) => [s.ciSignal, s.key]));
    const provable = new Set(catalogue.signals.map((s) => s.key));
    const teams = await this.evidence.existingTeamIds(tx, organizationId, [
      ...new Set(input.items.map((item) => item.teamId)),
    ]);
    const errors: FieldError[] = [];
    const now = Date.now();
    const items = input.items.map((item, i) => {
      const reasons: string[] = [];
      if (!teams.has(item.teamId))
        reasons.push(`team ${item.teamId} is not a team of this organization`);
      let criterionKey = item.criterionKey;
      if (criterionKey === undefined && item.signal === undefined) {
        reasons.push('give criterionKey or signal');
      } else if (criterionKey !== undefined && item.signal !== undefined) {
        reasons.push('give criterionKey or signal, not both');
      } else if (criterionKey !== undefined && !catalogue.keys.has(criterionKey)) {
        reasons.push(`criterion ${criterionKey} is in none of the organization's published models`);
      } else if (criterionKey !== undefined && !provable.has(criterionKey)) {
        reasons.push(`criterion ${criterionKey} is answered by people only: CI cannot prove it`);
      } else if (item.signal !== undefined) {
        criterionKey = keyOfSignal.get(item.signal);
        if (criterionKey === undefined)
          reasons.push(`no criterion has the CI signal ${item.signal}`);
      }
      const observedAt = item.observedAt ? new Date(item.observedAt) : new Date(now);
      if (observedAt.getTime() > now + FUTURE_TOLERANCE_MS) {
        reasons.push('observedAt is in the future');
      }
      if (reasons.length > 0) errors.push({ field: `items[${i}]`, reasons });
      return {
        teamId: item.teamId,
        criterionKey: criterionKey ?? '',
        passed: item.passed,
        url: item.url ?? null,
        commitSha: item.commitSha ?? null,
        observedAt,
        run: null,
      };
    });
    if (errors.length > 0) {
      throw problems.unprocessable(
        `${errors.length} evidence item(s) cannot be stored; nothing was stored.`,
        { errors },
      );
    }
    return items;
  }
}
