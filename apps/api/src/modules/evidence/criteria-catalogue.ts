import { Injectable } from '@nestjs/common';
import { DEFAULT_EVIDENCE_FRESHNESS_DAYS, type MaturityModelDefinition } from '@app/maturity-model';
import { OrganizationId, TransactionClient } from '@app/database';
import { EvidenceRepository } from './evidence.repository';

/** What CI evidence can say about an organization's criteria. */
export interface CriteriaCatalogue {
  /** Every criterion key of a published model the organization can use. */
  keys: ReadonlySet<string>;
  /** Criteria CI may prove (evidence `ci` or `both`), with their signal. */
  signals: { key: string; ciSignal: string }[];
  /** Days one result stays fresh, per criterion key. */
  freshnessDays(criterionKey: string): number;
}

interface VersionCriteria {
  keys: string[];
  signals: { key: string; ciSignal: string }[];
  freshness: [string, number][];
}

function criteriaOf(definition: MaturityModelDefinition): VersionCriteria {
  const criteria = definition.dimensions.flatMap((d) => d.levels.flatMap((l) => l.criteria));
  return {
    keys: criteria.map((c) => c.key),
    signals: criteria.flatMap((c) =>
      c.evidence !== 'human' && c.ciSignal ? [{ key: c.key, ciSignal: c.ciSignal }] : [],
    ),
    freshness: criteria.flatMap((c) =>
      c.evidenceFreshnessDays !== undefined
        ? [[c.key, c.evidenceFreshnessDays] as [string, number]]
        : [],
    ),
  };
}

/**
 * The union of the criteria of every published model version an organization can use: CI does
 * not know which model a team is assessed on, and evidence for a criterion another model lacks is
 * simply not used by that model's scoring. Published versions never change, so each version's
 * criteria are read once per process and kept (the list of version ids is read every time).
 */
@Injectable()
export class CriteriaCatalogueReader {
  private readonly byVersion = new Map<string, VersionCriteria>();

  constructor(private readonly evidence: EvidenceRepository) {}

  async read(tx: TransactionClient, organizationId: OrganizationId): Promise<CriteriaCatalogue> {
    const ids = await this.evidence.publishedVersionIds(tx, organizationId);
    const missing = ids.filter((id) => !this.byVersion.has(id));
    if (missing.length > 0) {
      for (const { id, definition } of await this.evidence.definitions(
        tx,
        organizationId,
        missing,
      )) {
        this.byVersion.set(id, criteriaOf(definition));
      }
    }
    const keys = new Set<string>();
    const signals = new Map<string, { key: string; ciSignal: string }>();
    const freshness = new Map<string, number>();
    for (const id of ids) {
      const version = this.byVersion.get(id);
      if (!version) continue;
      for (const key of version.keys) keys.add(key);
      for (const signal of version.signals) {
        signals.set(`${signal.key} ${signal.ciSignal}`, signal);
      }
      for (const [key, days] of version.freshness) {
        if (!freshness.has(key)) freshness.set(key, days);
      }
    }
    return {
      keys,
      signals: [...signals.values()],
      freshnessDays: (key) => freshness.get(key) ?? DEFAULT_EVIDENCE_FRESHNESS_DAYS,
    };
  }
}
