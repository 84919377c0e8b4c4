import { Injectable } from '@nestjs/common';
import {
  mapReportedEvidence,
  mapRunsToEvidence,
  type MappingConfig,
  type MappingOutcome,
  type MappingRule,
  normalizeDelivery,
} from '@app/ci-evidence';
import { Metrics, systemScope } from '@app/common';
import { OrganizationId, TenantTransactions, TransactionClient, toStoredJson } from '@app/database';
import { EvidenceRecorder, NewEvidence } from '../evidence/evidence-recorder';
import { CriteriaCatalogue, CriteriaCatalogueReader } from '../evidence/criteria-catalogue';
import { EvidenceRepository } from '../evidence/evidence.repository';
import { IntegrationsRepository } from './integrations.repository';

/** Longest error text kept on a delivery (the log has the rest). */
const MAX_ERROR_LENGTH = 2000;

type LockedDelivery = Awaited<ReturnType<IntegrationsRepository['lockDeliveries']>>[number];

interface Evaluated {
  items: NewEvidence[];
  summary: Record<string, unknown>;
  ping: boolean;
  catalogue?: CriteriaCatalogue;
}

function bodyOf(rawBody: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(rawBody).toString('utf8')) as unknown;
  } catch {
    // The ingest route stored only bodies that parsed; a row written otherwise holds no runs.
    return null;
  }
}

/**
 * Turns stored webhook deliveries into evidence, exactly once: the delivery rows are locked, a
 * delivery already processed or ignored is left alone (a job that runs twice after a crash does
 * nothing the second time), and the evidence, the re-scored teams and the deliveries' new
 * statuses commit together. Redelivering replaces what the delivery produced before.
 */
@Injectable()
export class DeliveryProcessor {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly integrations: IntegrationsRepository,
    private readonly evidence: EvidenceRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly catalogue: CriteriaCatalogueReader,
    private readonly metrics: Metrics,
  ) {}

  process(organizationId: string, deliveryId: string, job: { name: string; id: string }) {
    return this.processMany(organizationId, [deliveryId], job);
  }

  /**
   * Processes several deliveries of one organization in one transaction (a worker draining a
   * backlog): one catalogue read, one insert of all their evidence, each team they concern
   * re-scored once, naming the latest received of its deliveries (see EvidenceRecorder.recordMany),
   * and one update of all of them. Either all of them commit or none: the caller then processes
   * them one by one, so that a bad delivery fails only itself.
   */
  async processMany(
    organizationId: string,
    deliveryIds: string[],
    job: { name: string; id: string },
  ) {
    const scope = systemScope(organizationId, job.name, { jobId: job.id });
    const statuses = await this.transactions.run(scope, async (tx) => {
      const locked = await this.integrations.lockDeliveries(tx, scope.organizationId, deliveryIds);
      const deliveries = locked.filter((row) => ['received', 'failed'].includes(row.status));
      if (deliveries.length === 0) return [];
      const outcomes = await this.evaluate(tx, scope.organizationId, deliveries);
      const batches = [];
      for (const [index, delivery] of deliveries.entries()) {
        // Only a delivery processed before (redelivered) has evidence to replace.
        const previousTeams =
          delivery.attempts > 0
            ? await this.evidence.deleteOfDelivery(tx, scope.organizationId, delivery.id)
            : [];
        batches.push({
          batch: {
            batchId: delivery.id,
            source: 'webhook' as const,
            deliveryId: delivery.id,
            apiKeyId: null,
          },
          items: outcomes[index].items,
          alsoRescore: previousTeams,
        });
      }
      const recorded = await this.recorder.recordMany(
        tx,
        scope.organizationId,
        batches,
        outcomes.find((outcome) => outcome.catalogue)?.catalogue,
      );
      const finished = deliveries.map((delivery, index) => {
        const outcome = outcomes[index];
        const stored = recorded[index];
        const status: 'processed' | 'ignored' =
          stored.evidence.length > 0 || outcome.ping ? 'processed' : 'ignored';
        return {
          id: delivery.id,
          status,
          outcome: toStoredJson({
            ...outcome.summary,
            evidence: stored.evidence.map((row) => ({
              id: row.id,
              teamId: row.teamId,
              criterionKey: row.criterionKey,
              passed: row.passed,
              expiresAt: row.expiresAt,
            })),
            teams: stored.teams,
          }),
        };
      });
      await this.integrations.finishDeliveries(tx, scope.organizationId, finished);
      return finished.map((row) => row.status);
    });
    for (const status of statuses) this.metrics.evidenceProcessed.inc({ status });
  }

  /** Records a failed attempt (in its own transaction: the attempt's own rolled back). */
  async recordFailure(
    organizationId: string,
    deliveryId: string,
    error: unknown,
    final: boolean,
    job: { name: string; id: string },
  ): Promise<void> {
    const scope = systemScope(organizationId, job.name, { jobId: job.id });
    const message = error instanceof Error ? error.message : String(error);
    await this.transactions.run(scope, (tx) =>
      this.integrations.failDelivery(tx, scope.organizationId, deliveryId, {
        status: final ? 'dead' : 'failed',
        lastError: message.slice(0, MAX_ERROR_LENGTH),
      }),
    );
    this.metrics.evidenceProcessed.inc({ status: final ? 'dead' : 'failed' });
  }

  /** What each delivery yields, in their order (one catalogue and one team read for all). */
  private async evaluate(
    tx: TransactionClient,
    organizationId: OrganizationId,
    deliveries: LockedDelivery[],
  ): Promise<Evaluated[]> {
    const prepared = deliveries.map((delivery) => {
      const normalized = normalizeDelivery(
        delivery.provider,
        delivery.event,
        delivery.providerDeliveryId,
        bodyOf(delivery.rawBody),
      );
      const { integration } = delivery;
      const repositories = (integration?.repositories ?? []) as MappingConfig['repositories'];
      const teamId = integration?.teamId ?? null;
      const namedTeams = [
        ...(teamId ? [teamId] : []),
        ...repositories.map((mapping) => mapping.teamId),
        ...(normalized.kind === 'reported'
          ? normalized.items.flatMap((item) => (item.teamId ? [item.teamId] : []))
          : []),
      ];
      return { delivery, normalized, repositories, teamId, namedTeams };
    });
    const mapped = prepared.filter(
      ({ normalized }) => normalized.kind === 'runs' || normalized.kind === 'reported',
    );
    const catalogue = mapped.length > 0 ? await this.catalogue.read(tx, organizationId) : undefined;
    const knownTeamIds = await this.evidence.existingTeamIds(tx, organizationId, [
      ...new Set(
        mapped.flatMap(({ namedTeams }) => namedTeams.filter((id) => /^[0-9a-f-]{36}$/i.test(id))),
      ),
    ]);
    return prepared.map(({ delivery, normalized, repositories, teamId }) => {
      if (normalized.kind === 'ping') {
        return { items: [], summary: { kind: 'ping' }, ping: true };
      }
      if (normalized.kind === 'unsupported') {
        return {
          items: [],
          summary: { kind: 'unsupported', ignored: { reason: normalized.reason } },
          ping: false,
        };
      }
      // Read above whenever a delivery has runs or reported results, as this one has.
      if (!catalogue) throw new Error('the criteria catalogue was not read');
      const { integration } = delivery;
      const config: MappingConfig = {
        criteria: catalogue.signals,
        rules: (integration?.rules ?? []) as unknown as MappingRule[],
        branches: integration && integration.branches.length > 0 ? integration.branches : null,
        repositories,
        teamId,
      };
      const outcome: MappingOutcome =
        normalized.kind === 'runs'
          ? mapRunsToEvidence(normalized.runs, config)
          : mapReportedEvidence(normalized.items, {
              ...config,
              knownTeamIds,
              deliveryId: delivery.providerDeliveryId,
            });
      // A mapping may name a team deleted since it was configured: no evidence for it.
      const gone = outcome.evidence.filter((match) => !knownTeamIds.has(match.teamId));
      const kept = outcome.evidence.filter((match) => knownTeamIds.has(match.teamId));
      const skipped = [
        ...outcome.skipped,
        ...gone.map((match) => ({
          name: match.run.name,
          criterionKey: match.criterionKey,
          reason: `team ${match.teamId} no longer exists`,
        })),
      ];
      const items: NewEvidence[] = kept.map((match) => ({
        teamId: match.teamId,
        criterionKey: match.criterionKey,
        passed: match.passed,
        url: match.run.url,
        commitSha: match.run.commitSha,
        observedAt: new Date(match.run.finishedAt ?? match.run.startedAt ?? delivery.receivedAt),
        run: {
          provider: match.run.provider,
          repository: match.run.repository,
          ref: match.run.ref,
          runId: match.run.runId,
          name: match.run.name,
          conclusion: match.run.conclusion,
          matchedBy: match.matchedBy,
        },
      }));
      const ignored =
        items.length > 0
          ? null
          : (outcome.ignored ?? {
              reason: 'every match concerned a team that no longer exists',
              repository: null,
              ref: null,
              names: [],
              rulesTried: [],
            });
      return {
        items,
        summary: {
          kind: normalized.kind,
          runs: normalized.kind === 'runs' ? normalized.runs : normalized.items,
          skipped,
          ignored,
        },
        ping: false,
        catalogue,
      };
    });
  }
}
