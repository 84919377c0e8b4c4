import { defaultMaturityModel } from './default-model';
import type { MaturityModelDefinition } from './types';

export type CoverageSource = 'google' | 'microsoft' | 'ml_test_score';

/** One characteristic of a published model (or one ML Test Score test) and what covers it. */
export interface CoverageItem {
  source: CoverageSource;
  /** Level ('L0'..'L4') for Google and Microsoft; section for the ML Test Score. */
  section: string;
  /** Short description, e.g. 'Data 1: feature expectations are captured in a schema'. */
  item: string;
  /** Keys of the default-model criteria that, when met, cover this item. */
  criteria: string[];
}

const g = (section: string, item: string, criteria: string[]): CoverageItem => ({
  source: 'google',
  section,
  item,
  criteria,
});
const ms = (section: string, item: string, criteria: string[]): CoverageItem => ({
  source: 'microsoft',
  section,
  item,
  criteria,
});
const ts = (section: string, item: string, criteria: string[]): CoverageItem => ({
  source: 'ml_test_score',
  section,
  item,
  criteria,
});

/**
 * Coverage of the published models by the default model. Google Cloud "MLOps: Continuous delivery
 * and automation pipelines in ML" (levels 0-2; a level-0 characteristic is covered by the
 * criteria that remove it), Microsoft "Machine Learning operations maturity model" (levels 0-4),
 * and all 28 tests of "The ML Test Score: A Rubric for ML Production Readiness and Technical Debt
 * Reduction" (Breck et al., IEEE BigData 2017), 7 per section.
 */
export const DEFAULT_MODEL_COVERAGE: readonly CoverageItem[] = Object.freeze(
  [
    // Google Cloud, level 0: manual process.
    g('L0', 'Manual, script-driven and interactive process (notebooks)', [
      'pipeline_automation.training_job',
      'version_control.code_in_git',
      'experiment_tracking.experiments_logged',
    ]),
    g('L0', 'Disconnection between ML and operations: a trained model file is handed over', [
      'deployment.scripted_deploy',
      'experiment_tracking.model_registry',
    ]),
    g('L0', 'No CI: code is not built and tested automatically', [
      'pipeline_automation.ci_build_test',
      'testing.unit_tests_on_pr',
    ]),
    g('L0', 'No CD: deployment is manual', ['deployment.scripted_deploy']),
    g('L0', 'No active performance monitoring', [
      'monitoring.service_health',
      'monitoring.prediction_logging',
    ]),
    g('L0', 'Infrequent releases (a few times a year)', [
      'pipeline_automation.triggered_retraining',
      'deployment.dora_metrics',
    ]),
    // Google Cloud, level 1: ML pipeline automation.
    g('L1', 'Rapid, orchestrated experiment: steps run as one pipeline', [
      'pipeline_automation.orchestrated_pipeline',
    ]),
    g('L1', 'Continuous training in production on triggers (schedule, new data)', [
      'pipeline_automation.triggered_retraining',
    ]),
    g('L1', 'Continuous training triggered by model performance degradation or data drift', [
      'pipeline_automation.drift_triggered_retraining',
      'monitoring.alerts_trigger_remediation',
    ]),
    g('L1', 'Data validation step before training', [
      'data_management.schema_validation',
      'monitoring.drift_job',
    ]),
    g('L1', 'Model validation step before promotion', [
      'testing.quality_gate',
      'experiment_tracking.champion_challenger',
    ]),
    g('L1', 'ML metadata store records every pipeline execution', [
      'experiment_tracking.ci_runs_logged',
      'experiment_tracking.metadata_lineage',
    ]),
    g('L1', 'Feature store (optional)', ['data_management.shared_transformations']),
    g(
      'L1',
      'Same pipeline in development, pre-production and production (experimental-operational symmetry)',
      ['pipeline_automation.environment_parity'],
    ),
    g('L1', 'Modularised, reusable, containerised pipeline components', [
      'version_control.environment_as_code',
      'pipeline_automation.orchestrated_pipeline',
    ]),
    // Google Cloud, level 2: CI/CD pipeline automation.
    g('L2', 'The pipeline itself is built, tested and deployed by CI/CD', [
      'pipeline_automation.pipeline_cicd',
    ]),
    g('L2', 'CI: unit tests of feature engineering logic', ['data_management.feature_code_tests']),
    g('L2', 'CI: unit tests of model methods', ['testing.model_unit_tests']),
    g('L2', 'CI: training converges (loss goes down)', ['testing.model_unit_tests']),
    g('L2', 'CI: training produces no NaN values', ['testing.model_unit_tests']),
    g('L2', 'CI: each component produces the expected artifacts', [
      'testing.model_unit_tests',
      'testing.pipeline_integration_test',
    ]),
    g('L2', 'CI: integration between pipeline components', ['testing.pipeline_integration_test']),
    g('L2', 'CD: compatibility of the model with the target serving infrastructure', [
      'deployment.serving_contract_tests',
    ]),
    g('L2', 'CD: prediction service API tested against expected inputs and outputs', [
      'deployment.serving_contract_tests',
    ]),
    g('L2', 'CD: load test of the prediction service (QPS, latency)', ['testing.load_tests']),
    g('L2', 'CD: data validation for retraining or batch prediction', [
      'data_management.schema_validation',
    ]),
    g('L2', 'CD: model meets predictive performance targets before deployment', [
      'testing.quality_gate',
    ]),
    g('L2', 'Automated deployment to test, semi-automated to pre-production', [
      'deployment.staging_first',
      'deployment.promotion_checks',
    ]),
    g('L2', 'Manual deployment to production after several successful pre-production runs', [
      'pipeline_automation.preprod_soak',
      'deployment.promotion_checks',
    ]),
    // Microsoft, level 0: no MLOps.
    ms('L0', 'Data scientists, data engineers and software engineers work in silos', [
      'governance.goals_owners_risk',
      'deployment.api_contract',
    ]),
    ms('L0', 'Data gathered manually; experiments not predictably tracked', [
      'data_management.scheduled_extraction',
      'experiment_tracking.experiments_logged',
    ]),
    ms('L0', 'End result is a single model file handed off manually', [
      'experiment_tracking.model_registry',
      'deployment.scripted_deploy',
    ]),
    ms('L0', 'Manual release; scoring script created by hand and not version controlled', [
      'version_control.code_in_git',
      'deployment.scripted_deploy',
    ]),
    // Microsoft, level 1: DevOps but no MLOps.
    ms('L1', 'Data pipeline gathers data automatically', ['data_management.scheduled_extraction']),
    ms('L1', 'Application releases are automated; application code has unit tests', [
      'pipeline_automation.ci_build_test',
      'testing.unit_tests_on_pr',
    ]),
    ms('L1', 'Scoring script version controlled and handed off to software engineers', [
      'version_control.code_in_git',
      'deployment.api_contract',
    ]),
    ms('L1', 'Basic integration tests exist for the model', ['testing.pipeline_integration_test']),
    // Microsoft, level 2: automated training.
    ms(
      'L2',
      'Data scientists work with data engineers to turn experiment code into repeatable jobs',
      ['pipeline_automation.training_job', 'pipeline_automation.orchestrated_pipeline'],
    ),
    ms('L2', 'Compute managed; experiment results tracked', ['experiment_tracking.ci_runs_logged']),
    ms('L2', 'Training code and resulting models version controlled', [
      'version_control.code_in_git',
      'experiment_tracking.model_registry',
    ]),
    ms(
      'L2',
      'Scoring script version controlled with tests; release managed by software engineers',
      ['testing.unit_tests_on_pr', 'deployment.promotion_checks'],
    ),
    // Microsoft, level 3: automated model deployment.
    ms('L3', 'Release automatic, managed by the CI/CD pipeline', [
      'deployment.automatic_release',
      'version_control.cd_only_deploys',
    ]),
    ms('L3', 'A/B tests of model versions', ['deployment.canary_release']),
    ms('L3', 'Unit and integration tests for each model release (tests for all code)', [
      'testing.pipeline_integration_test',
      'deployment.serving_contract_tests',
    ]),
    ms('L3', 'Full traceability from deployment back to the original data', [
      'version_control.deployment_traceability',
      'governance.audit_trail',
    ]),
    ms('L3', 'Data scientists and engineers work with software engineers on model inputs/outputs', [
      'deployment.api_contract',
    ]),
    // Microsoft, level 4: full MLOps automated operations.
    ms('L4', 'Retraining triggered automatically by production metrics', [
      'pipeline_automation.drift_triggered_retraining',
      'monitoring.alerts_trigger_remediation',
    ]),
    ms('L4', 'Production metrics gathered and verified; model improvement is automatic', [
      'monitoring.offline_metrics_trended',
      'monitoring.business_feedback',
    ]),
    ms('L4', 'Policy-based promotion', ['governance.policy_promotion']),
    ms('L4', 'All roles work together; the system is close to zero-downtime', [
      'deployment.canary_release',
      'deployment.rollback_exercised',
    ]),
    // ML Test Score, Data.
    ts('Data', 'Data 1: feature expectations are captured in a schema', [
      'data_management.schema_validation',
    ]),
    ts('Data', 'Data 2: all features are beneficial', ['data_management.feature_value_reviewed']),
    ts('Data', "Data 3: no feature's cost is too much", ['data_management.feature_value_reviewed']),
    ts('Data', 'Data 4: features adhere to meta-level requirements', [
      'data_management.data_documented',
      'data_management.privacy_controls',
    ]),
    ts('Data', 'Data 5: the data pipeline has appropriate privacy controls', [
      'data_management.privacy_controls',
    ]),
    ts('Data', 'Data 6: new features can be added quickly', [
      'data_management.shared_transformations',
      'pipeline_automation.orchestrated_pipeline',
    ]),
    ts('Data', 'Data 7: all input feature code is tested', ['data_management.feature_code_tests']),
    // ML Test Score, Model.
    ts('Model', 'Model 1: model specs are reviewed and submitted', [
      'version_control.reviewed_changes',
      'governance.ml_code_review',
    ]),
    ts('Model', 'Model 2: offline and online metrics correlate', ['monitoring.business_feedback']),
    ts('Model', 'Model 3: all hyperparameters have been tuned', [
      'experiment_tracking.tuning_tracked',
    ]),
    ts('Model', 'Model 4: the impact of model staleness is known', ['monitoring.staleness_alert']),
    ts('Model', 'Model 5: a simpler model is not better', [
      'testing.baseline_comparison',
      'experiment_tracking.model_choice_documented',
      'experiment_tracking.champion_challenger',
    ]),
    ts('Model', 'Model 6: model quality is sufficient on important data slices', [
      'testing.slice_tests',
    ]),
    ts('Model', 'Model 7: the model is tested for considerations of inclusion', [
      'governance.fairness_tested',
    ]),
    // ML Test Score, Infrastructure.
    ts('Infrastructure', 'Infrastructure 1: training is reproducible', [
      'version_control.reproducible_training',
      'version_control.pinned_dependencies',
      'data_management.data_versioned',
    ]),
    ts('Infrastructure', 'Infrastructure 2: model specs are unit tested', [
      'testing.model_unit_tests',
    ]),
    ts('Infrastructure', 'Infrastructure 3: the ML pipeline is integration tested', [
      'testing.pipeline_integration_test',
    ]),
    ts('Infrastructure', 'Infrastructure 4: model quality is validated before serving', [
      'testing.quality_gate',
    ]),
    ts('Infrastructure', 'Infrastructure 5: the model is debuggable', [
      'governance.explainability',
    ]),
    ts('Infrastructure', 'Infrastructure 6: models are canaried before serving', [
      'deployment.canary_release',
    ]),
    ts('Infrastructure', 'Infrastructure 7: serving models can be rolled back', [
      'deployment.rollback_strategy',
      'deployment.rollback_exercised',
    ]),
    // ML Test Score, Monitoring.
    ts('Monitoring', 'Monitoring 1: dependency changes result in notification', [
      'monitoring.dependency_alerts',
    ]),
    ts('Monitoring', 'Monitoring 2: data invariants hold in training and serving inputs', [
      'monitoring.drift_job',
      'data_management.schema_validation',
    ]),
    ts('Monitoring', 'Monitoring 3: training and serving are not skewed', [
      'data_management.skew_check',
      'data_management.shared_transformations',
    ]),
    ts('Monitoring', 'Monitoring 4: models are not too stale', ['monitoring.staleness_alert']),
    ts('Monitoring', 'Monitoring 5: models are numerically stable', ['testing.model_unit_tests']),
    ts('Monitoring', 'Monitoring 6: computing performance has not regressed', [
      'testing.load_tests',
      'monitoring.service_health',
    ]),
    ts('Monitoring', 'Monitoring 7: prediction quality has not regressed', [
      'monitoring.offline_metrics_trended',
      'monitoring.prediction_logging',
    ]),
  ].map((item) => Object.freeze({ ...item, criteria: Object.freeze(item.criteria) as string[] })),
);

/**
 * Problems of a coverage map against a model: items covered by no criterion and criterion keys
 * that do not exist in the model. Empty when every item is covered by existing criteria.
 */
export function coverageProblems(
  coverage: readonly CoverageItem[] = DEFAULT_MODEL_COVERAGE,
  def: MaturityModelDefinition = defaultMaturityModel,
): string[] {
  const keys = new Set<string>();
  for (const dimension of def.dimensions) {
    for (const level of dimension.levels) {
      for (const criterion of level.criteria) keys.add(criterion.key);
    }
  }
  const problems: string[] = [];
  for (const item of coverage) {
    const label = `${item.source} ${item.section} '${item.item}'`;
    if (item.criteria.length === 0) problems.push(`${label}: covered by no criterion`);
    for (const key of item.criteria) {
      if (!keys.has(key)) problems.push(`${label}: unknown criterion '${key}'`);
    }
  }
  return problems;
}
