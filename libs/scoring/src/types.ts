import type { CriterionLevel, EvidenceMode, MaturityModelDefinition } from '@app/maturity-model';

/** A human answer, and also the effective status of a criterion after evidence is applied. */
export type CriterionStatus = 'met' | 'not_met' | 'not_applicable' | 'unknown';

/** Where a criterion's effective status came from. */
export type StatusSource = 'answer' | 'evidence' | 'none';

export type MaturityLevel = 0 | 1 | 2 | 3;

/** Names of the overall band, from the weakest dimension's level (the seed's level names). */
export type BandName = 'manual' | 'pipeline automation' | 'CI/CD for ML' | 'full automation';

export interface AssessmentAnswer {
  criterionKey: string;
  status: CriterionStatus;
  note?: string;
  evidenceUrl?: string;
}

/** One CI fact about a criterion (e.g. a run of the `mlops:data-validation` job). */
export interface EvidenceItem {
  criterionKey: string;
  passed: boolean;
  observedAt: Date;
  /** When the fact stops counting; null = never expires. */
  expiresAt: Date | null;
  sourceUrl?: string;
}

export interface ScoreAssessmentInput {
  model: MaturityModelDefinition;
  answers: AssessmentAnswer[];
  evidence?: EvidenceItem[];
  /** Target level per dimension key; default: the dimension's level + 1, capped at 3. */
  targetLevels?: Record<string, MaturityLevel>;
  /** The instant the assessment is scored at; evidence freshness is judged against it. */
  asOf: Date;
}

/** The evidence item that decided a criterion, as JSON-friendly data. */
export interface UsedEvidence {
  passed: boolean;
  /** ISO 8601. */
  observedAt: string;
  /** ISO 8601, or null when it never expires. */
  expiresAt: string | null;
  sourceUrl: string | null;
}

/** How many evidence items of a criterion did not decide it, and why. */
export interface IgnoredEvidenceCounts {
  /** expiresAt <= asOf. */
  expired: number;
  /** observedAt > asOf. */
  notYetObserved: number;
  /** Fresh, but an item observed later (or a failing one at the same instant) decided. */
  superseded: number;
  /** The criterion is human-only (evidence mode 'human'): CI cannot prove it. */
  humanOnly: number;
  /** observedAt or expiresAt is not a valid date. */
  invalid: number;
}

export interface CriterionResult {
  key: string;
  level: CriterionLevel;
  title: string;
  weight: number;
  evidenceMode: EvidenceMode;
  /** Effective status after the evidence rules. */
  status: CriterionStatus;
  /** The human answer ('unknown' when there is none). */
  answerStatus: CriterionStatus;
  source: StatusSource;
  /** True when a human answer (met or not applicable) is contradicted by fresh failing evidence. */
  conflict: boolean;
  /** The fresh evidence item that decided the status, if any. */
  evidence: UsedEvidence | null;
  note?: string;
  evidenceUrl?: string;
}

export interface StatusCounts {
  met: number;
  notMet: number;
  notApplicable: number;
  unknown: number;
}

export interface Gap {
  key: string;
  level: CriterionLevel;
  title: string;
  question: string;
  guidance: string;
  weight: number;
  status: 'not_met' | 'unknown';
  conflict: boolean;
  evidenceMode: EvidenceMode;
  ciSignal: string | null;
}

export type RecommendationKind = 'implement' | 'answer' | 'resolve_conflict';

export interface Recommendation {
  criterionKey: string;
  level: CriterionLevel;
  kind: RecommendationKind;
  text: string;
}

export interface DimensionResult {
  dimensionKey: string;
  name: string;
  weight: number;
  level: MaturityLevel;
  /** level + weighted fraction of the next level's applicable criteria met; 0..3, 4 decimals. */
  score: number;
  counts: StatusCounts;
  targetLevel: MaturityLevel;
  /** Unmet (not_met or unknown) criteria of levels 1..targetLevel, by level then key. */
  gaps: Gap[];
  /** One per gap, same order (lowest level first). */
  recommendations: Recommendation[];
  /** Every criterion of the dimension, by level then key. */
  criteria: CriterionResult[];
}

export interface Conflict {
  criterionKey: string;
  dimensionKey: string;
  level: CriterionLevel;
  answerStatus: 'met' | 'not_applicable';
  evidence: UsedEvidence;
  message: string;
}

export interface OverallTerm {
  dimensionKey: string;
  weight: number;
  score: number;
}

/**
 * Structured lines tracing every number of a result to its inputs. `text` is the same fact in a
 * sentence; the other fields are for programs.
 */
export type ExplanationLine =
  | {
      kind: 'answer_ignored';
      criterionKey: string;
      reason: 'unknown_criterion' | 'duplicate';
      text: string;
    }
  | { kind: 'evidence_ignored'; criterionKey: string; count: number; text: string }
  | { kind: 'target_ignored'; dimensionKey: string; text: string }
  | {
      kind: 'criterion_evidence';
      dimensionKey: string;
      criterionKey: string;
      status: CriterionStatus;
      answerStatus: CriterionStatus;
      source: StatusSource;
      conflict: boolean;
      used: UsedEvidence | null;
      ignored: IgnoredEvidenceCounts;
      text: string;
    }
  | {
      kind: 'level_gate';
      dimensionKey: string;
      level: CriterionLevel;
      passed: boolean;
      /** Criteria of this level that are not met and not n.a. (empty when passed). */
      blocking: string[];
      text: string;
    }
  | {
      kind: 'next_level';
      dimensionKey: string;
      level: CriterionLevel;
      metWeight: number;
      applicableWeight: number;
      fraction: number;
      met: string[];
      notMet: string[];
      notApplicable: string[];
      text: string;
    }
  | {
      kind: 'dimension_score';
      dimensionKey: string;
      level: MaturityLevel;
      fraction: number;
      score: number;
      text: string;
    }
  | {
      kind: 'target';
      dimensionKey: string;
      targetLevel: MaturityLevel;
      given: boolean;
      gaps: number;
      text: string;
    }
  | {
      kind: 'overall_score';
      terms: OverallTerm[];
      weightedSum: number;
      weightSum: number;
      score: number;
      text: string;
    }
  | {
      kind: 'minimum_level';
      level: MaturityLevel;
      band: BandName;
      dimensionKeys: string[];
      text: string;
    };

export interface AssessmentResult {
  modelKey: string;
  modelVersion: number;
  /** ISO 8601 instant the result was computed for. */
  asOf: string;
  /** Dimension-weight-weighted mean of the dimension scores; 0..3, 4 decimals. */
  score: number;
  /** Level of the weakest dimension. */
  minimumLevel: MaturityLevel;
  band: BandName;
  /** In model order. */
  dimensions: DimensionResult[];
  /** In model order (dimension, then level, then key). */
  conflicts: Conflict[];
  explanation: ExplanationLine[];
}
