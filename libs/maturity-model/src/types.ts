/**
 * Shapes of a maturity model definition. A definition is plain data (JSON-serialisable): the
 * built-in default model is one, and an organization's own published versions are others.
 *
 * A dimension (e.g. `testing`) has levels 1..3; level 0 needs nothing and is not listed. A dimension
 * holds level n only when every criterion of levels 1..n holds (the scoring library enforces this).
 */

/**
 * How a criterion can be shown to hold:
 * - `ci`: CI evidence proves it (a check or job named by `ciSignal` reports pass/fail);
 * - `human`: only a person can answer it (a document, a process, a review);
 * - `both`: CI evidence proves it when present, otherwise a human answer is used.
 */
export type EvidenceMode = 'ci' | 'human' | 'both';

/** The levels that carry criteria. Level 0 ("manual") needs nothing. */
export type CriterionLevel = 1 | 2 | 3;

export interface CriterionDefinition {
  /** Stable key, `<dimension key>.<snake_case name>`, e.g. `testing.data_validation`. */
  key: string;
  /** Short name shown in lists and roadmaps. */
  title: string;
  /** The question as asked to an engineer in a questionnaire (answered met / not met / n.a.). */
  question: string;
  /** What "met" looks like: concrete enough to act on, used for gaps and recommendations. */
  guidance: string;
  /** Relative weight within its level (> 0). Used for the fraction of the next level met. */
  weight: number;
  evidence: EvidenceMode;
  /**
   * CI check / job name that reports this criterion, `mlops:<kebab-name>`. Required when
   * `evidence` is `ci` or `both`; unique across a model.
   */
  ciSignal?: string;
  /**
   * How long one CI result keeps proving (or disproving) the criterion, in days (1..3650).
   * Default 30 (DEFAULT_EVIDENCE_FRESHNESS_DAYS): proof older than that is stale.
   */
  evidenceFreshnessDays?: number;
  /** Where the criterion comes from, e.g. 'Google L1 data validation', 'ML Test Score Data 1'. */
  sources: string[];
}

/** How long CI evidence stays fresh when a criterion does not say (evidenceFreshnessDays). */
export const DEFAULT_EVIDENCE_FRESHNESS_DAYS = 30;

export interface LevelDefinition {
  level: CriterionLevel;
  name: string;
  description: string;
  criteria: CriterionDefinition[];
}

export interface DimensionDefinition {
  /** Stable snake_case key, e.g. `version_control`. */
  key: string;
  name: string;
  description: string;
  /** Relative weight of the dimension in the overall score (> 0). */
  weight: number;
  /** Exactly levels 1, 2 and 3. */
  levels: LevelDefinition[];
}

export interface MaturityModelDefinition {
  key: string;
  name: string;
  version: number;
  description: string;
  dimensions: DimensionDefinition[];
}
