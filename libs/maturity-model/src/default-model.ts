import { freezeModelDefinition } from './freeze';
import type { MaturityModelDefinition } from './types';

/** Key of the built-in model. */
export const DEFAULT_MODEL_KEY = 'mlops-maturity';

/** Version of the built-in model shipped with this code. */
export const DEFAULT_MODEL_VERSION = 1;

/**
 * The built-in "MLOps maturity" model, version 1.
 *
 * Built from Google Cloud's "MLOps: Continuous delivery and automation pipelines in ML" (levels
 * 0-2), Microsoft's "Machine Learning operations maturity model" (levels 0-4), AWS's "MLOps
 * foundation roadmap", the Marvelous MLOps questionnaire and the ML Test Score (Breck et al., IEEE
 * BigData 2017); see ./coverage.ts for which criterion covers which published characteristic or
 * test. Levels follow the seed's names: 0 manual, 1 pipeline automation, 2 CI/CD for ML, 3 full
 * automation. Level 0 needs nothing and is not listed.
 *
 * Criteria marked `ci` or `both` can be proven by a CI check or job named after their `ciSignal`
 * (e.g. a GitHub Actions job `mlops:data-validation`), or by a signed evidence event naming the
 * criterion. This object is deeply frozen: use `cloneDefaultModel()` for an editable copy.
 */
const model: MaturityModelDefinition = {
  key: DEFAULT_MODEL_KEY,
  name: 'MLOps maturity',
  version: DEFAULT_MODEL_VERSION,
  description:
    'How far a team has automated and secured the life of its ML models, from manual notebooks ' +
    '(level 0) through pipeline automation (1) and CI/CD for ML (2) to full automation (3), in ' +
    'eight dimensions. A dimension holds a level only when every criterion of that level and ' +
    'the levels below it is met or not applicable.',
  dimensions: [
    {
      key: 'version_control',
      name: 'Version control & reproducibility',
      description:
        'Everything needed to rebuild a model (code, dependencies, environment, infrastructure) ' +
        'is versioned, reviewed, and every production model traces back to it.',
      weight: 1,
      levels: [
        {
          level: 1,
          name: 'Versioned code',
          description: 'ML code lives in git and its dependencies are pinned.',
          criteria: [
            {
              key: 'version_control.code_in_git',
              title: 'Data prep, training and serving code in git',
              question:
                'Is all the code that prepares data, trains the model and serves predictions kept ' +
                'in a git repository (no step that exists only in a notebook or on a laptop)?',
              guidance:
                'Move data preparation, training and serving code (including SQL and notebook ' +
                'logic turned into modules) into git. CI events then carry the commit sha of ' +
                'every build, so each model can be tied to the code that produced it.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:source-commit',
              sources: [
                'Google L0 manual, notebook-driven process',
                'Microsoft L1 scoring script version controlled',
                'Microsoft L2 training code version controlled',
                'Seed version_control L1 Git for code',
              ],
            },
            {
              key: 'version_control.pinned_dependencies',
              title: 'Dependencies pinned',
              question:
                'Are the exact versions of every library used for training and serving pinned in ' +
                'a lock file or a container image digest?',
              guidance:
                'Commit a lock file (poetry.lock, uv.lock, requirements with hashes, conda-lock, ' +
                'renv.lock) or pin base images by digest, and make CI fail when the lock file is ' +
                'out of date with the declared dependencies.',
              weight: 1,
              evidence: 'both',
              ciSignal: 'mlops:dependency-lock',
              sources: ['ML Test Score Infrastructure 1', 'Seed L0 inconsistent environments'],
            },
          ],
        },
        {
          level: 2,
          name: 'Reviewed changes, environments as code',
          description:
            'Every change is reviewed, and environments and infrastructure are built from code.',
          criteria: [
            {
              key: 'version_control.reviewed_changes',
              title: 'Every change through a reviewed pull request',
              question:
                'Does every change to ML code, model specs and pipeline configuration reach the ' +
                'main branch only through a pull request that someone else approved?',
              guidance:
                'Turn on branch protection for the main branch: at least one approving review and ' +
                'passing checks required, direct pushes and force pushes disabled for everyone.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:pull-request-review',
              sources: [
                'ML Test Score Model 1',
                'Seed version_control L2 Branch protection',
                'Marvelous MLOps code quality',
              ],
            },
            {
              key: 'version_control.environment_as_code',
              title: 'Environment defined as code and built in CI',
              question:
                'Is the training and serving environment defined as code (Dockerfile, conda ' +
                'environment, devcontainer) and built by CI rather than set up by hand?',
              guidance:
                'Describe the runtime in a Dockerfile or environment file in the repository and ' +
                'build the image in CI on every change; training and serving run that image.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:environment-build',
              sources: ['Seed L1 containerized training', 'Seed L2 consistent dev/staging/prod'],
            },
            {
              key: 'version_control.infrastructure_as_code',
              title: 'Infrastructure as code applied by CD',
              question:
                'Is the infrastructure the model needs (compute, storage, endpoints, queues) ' +
                'defined as code and changed only by a pipeline applying it?',
              guidance:
                'Keep Terraform, Pulumi, CloudFormation or Helm definitions in git, review changes ' +
                'like code and let the CD pipeline apply them; no hand-made console changes.',
              weight: 1,
              evidence: 'both',
              ciSignal: 'mlops:infrastructure-apply',
              sources: [
                'AWS Reliable multi-account deploy',
                'Seed version_control L3 GitOps',
                'Marvelous MLOps traceability & reproducibility',
              ],
            },
          ],
        },
        {
          level: 3,
          name: 'Full traceability and reproducibility',
          description:
            'Every production model traces to its inputs, can be rebuilt, and reaches production ' +
            'only through CD.',
          criteria: [
            {
              key: 'version_control.deployment_traceability',
              title: 'Production deployments trace to commit, environment, model and data',
              question:
                'For any model serving in production today, can you name the commit, environment ' +
                'image, model version and training data version it came from, from records alone?',
              guidance:
                'Have the deployment job record the commit sha, image digest, registry model ' +
                'version and data snapshot hash, and expose them with the deployment (labels, ' +
                'release record, model metadata).',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:deployment-lineage',
              sources: ['Microsoft L3 full traceability from deployment back to data'],
            },
            {
              key: 'version_control.reproducible_training',
              title: 'Training reproducible',
              question:
                'Can a past training run be re-run from its recorded commit, environment and data ' +
                'snapshot and produce a model whose metrics match within a stated tolerance?',
              guidance:
                'Fix random seeds where the framework allows, record every input of a run, and run ' +
                'a periodic CI job that retrains a recorded run and compares metrics against a ' +
                'tolerance (e.g. AUC within 0.005).',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:reproducible-training',
              sources: ['ML Test Score Infrastructure 1', 'Seed L0 pain point no reproducibility'],
            },
            {
              key: 'version_control.cd_only_deploys',
              title: 'Only CD deploys to production',
              question:
                'Is the CD pipeline the only way a model or serving change reaches production (no ' +
                'manual deployments with personal credentials)?',
              guidance:
                'Remove personal production deploy rights; give the CD pipeline its own identity ' +
                'and keep a break-glass procedure that is logged and reviewed.',
              weight: 1,
              evidence: 'both',
              ciSignal: 'mlops:cd-only-deploy',
              sources: [
                'Microsoft L3 release managed by the CI/CD pipeline',
                'Seed version_control L3 Policy enforcement',
              ],
            },
          ],
        },
      ],
    },
    {
      key: 'experiment_tracking',
      name: 'Experiment tracking & model registry',
      description:
        'Experiments and training runs are recorded, models are versioned in a registry, and ' +
        'promotion decisions are based on recorded comparisons.',
      weight: 1,
      levels: [
        {
          level: 1,
          name: 'Tracked experiments',
          description: 'Experiments are logged to a shared tracker and model choices explained.',
          criteria: [
            {
              key: 'experiment_tracking.experiments_logged',
              title: 'Experiments logged to a tracker',
              question:
                'Are experiments logged to a shared tracker (MLflow, Weights & Biases, Vertex AI ' +
                'Experiments, ...) with their parameters, metrics and code version?',
              guidance:
                'Set up a shared tracking server and log every experiment to it from the training ' +
                'code: parameters, metrics, the commit sha and the produced artifact. Spreadsheets ' +
                'and notebook output do not count.',
              weight: 1,
              evidence: 'human',
              sources: [
                'Google L0 manual, notebook-driven process',
                'Microsoft L0 experiments not predictably tracked',
                'Seed experiment_tracking L1 MLflow/W&B',
              ],
            },
            {
              key: 'experiment_tracking.model_choice_documented',
              title: 'Model choice documented',
              question:
                'Is the choice of the current production model documented: which alternatives ' +
                '(including a simple baseline) were tried, on which metrics, and why it won?',
              guidance:
                'Write a short decision record per model: candidates tried, a simple baseline, the ' +
                'evaluation data and metrics, and the reason for the choice. Link it from the ' +
                'registry entry.',
              weight: 1,
              evidence: 'human',
              sources: ['ML Test Score Model 5', 'Marvelous MLOps documentation'],
            },
          ],
        },
        {
          level: 2,
          name: 'Tracked pipeline runs and a registry',
          description: 'Every automated training run is logged and every model is registered.',
          criteria: [
            {
              key: 'experiment_tracking.ci_runs_logged',
              title: 'Every pipeline training run logged',
              question:
                'Does every training run executed by CI or the training pipeline log its run id, ' +
                'parameters, metrics and resulting artifact to the tracker?',
              guidance:
                'Make logging part of the training job, not an option: the job fails if it cannot ' +
                'log run id, parameters, metrics and artifact location.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:training-run-logged',
              sources: [
                'Microsoft L2 experiment results tracked',
                'Seed experiment_tracking L2 Comprehensive tracking',
              ],
            },
            {
              key: 'experiment_tracking.model_registry',
              title: 'Models registered with versions',
              question:
                'Is every trained model that may be deployed registered in a model registry with ' +
                'an immutable version and a stage (e.g. staging, production)?',
              guidance:
                'Use a model registry (MLflow, SageMaker, Vertex AI, ...); the pipeline registers ' +
                'each candidate with its run id, and deployments reference registry versions, ' +
                'never files.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:model-registered',
              sources: [
                'AWS Repeatable model registry',
                'Microsoft L2 resulting models version controlled',
                'Seed experiment_tracking L2 Model registry',
              ],
            },
          ],
        },
        {
          level: 3,
          name: 'Lineage and evidence-based promotion',
          description:
            'Full metadata lineage is recorded and candidates are compared with production ' +
            'before promotion.',
          criteria: [
            {
              key: 'experiment_tracking.metadata_lineage',
              title: 'Full metadata lineage',
              question:
                'Does the metadata store record, for each model, the pipeline and component ' +
                'versions, input data, parameters, evaluation and the model it replaced?',
              guidance:
                'Record pipeline and component versions, data snapshot ids, parameters, ' +
                'evaluation results and the previous production model for every run (ML Metadata, ' +
                'MLflow lineage, OpenLineage).',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:metadata-lineage',
              sources: ['Google L1 ML metadata store', 'Seed experiment_tracking L3 Full lineage'],
            },
            {
              key: 'experiment_tracking.champion_challenger',
              title: 'Candidate compared with production before promotion',
              question:
                'Before promotion, is every candidate model compared with the current production ' +
                'model on the same evaluation data, with the comparison recorded?',
              guidance:
                'Add a pipeline step that evaluates candidate and production model on the same ' +
                'held-out data and records both; promotion requires the candidate to be at least ' +
                'as good on the agreed metrics.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:champion-challenger',
              sources: ['Google L1 model validation', 'ML Test Score Model 5'],
            },
            {
              key: 'experiment_tracking.tuning_tracked',
              title: 'Hyperparameter tuning tracked',
              question:
                'Are hyperparameters tuned by a recorded search (grid, random, Bayesian) whose ' +
                'trials are tracked, rather than set by hand once?',
              guidance:
                'Run hyperparameter searches as tracked jobs (Optuna, Katib, Vertex Vizier, ...) ' +
                'and keep the search space, trials and chosen values with the model.',
              weight: 1,
              evidence: 'both',
              ciSignal: 'mlops:hyperparameter-search',
              sources: ['ML Test Score Model 3'],
            },
          ],
        },
      ],
    },
    {
      key: 'data_management',
      name: 'Data management & validation',
      description:
        'Training data is documented, extracted by pipelines, versioned per run, validated ' +
        'before training, and treated the same way in training and serving.',
      weight: 1,
      levels: [
        {
          level: 1,
          name: 'Documented, scheduled data',
          description: 'Data is documented and extracted by a scheduled pipeline.',
          criteria: [
            {
              key: 'data_management.data_documented',
              title: 'Sources, definitions and cleaning documented',
              question:
                'Are the data sources, feature and label definitions and the cleaning steps ' +
                'documented where the whole team can find them?',
              guidance:
                'Keep a data sheet per dataset: source systems and owners, feature and label ' +
                'definitions, known quality issues and every cleaning or filtering step.',
              weight: 1,
              evidence: 'human',
              sources: ['Marvelous MLOps documentation', 'ML Test Score Data 4'],
            },
            {
              key: 'data_management.scheduled_extraction',
              title: 'Data extraction runs as a scheduled pipeline',
              question:
                'Is training data extracted and prepared by a scheduled or triggered pipeline ' +
                'rather than by someone running queries by hand?',
              guidance:
                'Turn the extraction queries and scripts into a pipeline job (Airflow, Dagster, ' +
                'a scheduled CI workflow) that writes a dated dataset.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:data-extraction',
              sources: [
                'Microsoft L1 data pipeline gathers data automatically',
                'Seed pipeline_automation L1 Scheduled runs',
              ],
            },
          ],
        },
        {
          level: 2,
          name: 'Versioned and validated data',
          description:
            'Each run records the data it used, data is validated before training, and feature ' +
            'code is tested.',
          criteria: [
            {
              key: 'data_management.data_versioned',
              title: 'Training data snapshotted per run',
              question:
                'Is the training data of every run snapshotted or content-hashed, with the ' +
                'snapshot id or hash recorded with the run?',
              guidance:
                'Version datasets with DVC, lakeFS, Delta/Iceberg time travel or immutable dated ' +
                'paths, and log the snapshot id or content hash as a run parameter.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:data-snapshot',
              sources: [
                'Seed version_control L2 Git for code and data, DVC/LFS',
                'ML Test Score Infrastructure 1',
              ],
            },
            {
              key: 'data_management.schema_validation',
              title: 'Schema and value validation gate training',
              question:
                'Does an automated check validate the schema and value ranges of the input data ' +
                'and stop the pipeline before training when it fails?',
              guidance:
                'Capture feature expectations in a schema (types, ranges, allowed values, ' +
                'missing-value rates) with Great Expectations, TFDV, pandera or similar; the ' +
                'validation step fails the run on violations.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:data-validation',
              sources: [
                'Google L1 data validation',
                'ML Test Score Data 1',
                'ML Test Score Monitoring 2',
                'Seed testing L2 Data validation',
              ],
            },
            {
              key: 'data_management.feature_code_tests',
              title: 'Feature code unit-tested',
              question: 'Is every feature transformation covered by unit tests that run in CI?',
              guidance:
                'Write unit tests for each transformation with small hand-made inputs, including ' +
                'edge cases (nulls, empty, extreme values), and run them on every pull request.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:feature-tests',
              sources: [
                'ML Test Score Data 7',
                'Google L2 unit tests of feature engineering logic',
              ],
            },
          ],
        },
        {
          level: 3,
          name: 'Consistent, governed features',
          description:
            'Training and serving share feature code, skew is watched, privacy is enforced and ' +
            'every feature earns its place.',
          criteria: [
            {
              key: 'data_management.shared_transformations',
              title: 'Same transformation code for training and serving',
              question:
                'Do training and serving compute features with the same code (a shared library or ' +
                'a feature store), so no transformation is reimplemented?',
              guidance:
                'Package feature transformations once and call them from both training and ' +
                'serving, or serve features from a feature store fed by the same pipeline.',
              weight: 1,
              evidence: 'human',
              sources: [
                'Google L1 feature store',
                'ML Test Score Data 6',
                'Seed L2 feature stores',
              ],
            },
            {
              key: 'data_management.skew_check',
              title: 'Training-serving skew check scheduled',
              question:
                'Does a scheduled job compare the features seen in serving with those used in ' +
                'training and alert on skew?',
              guidance:
                'Log serving features, and run a scheduled job that compares their distributions ' +
                'and a sample of recomputed values with training data, alerting above a threshold.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:training-serving-skew',
              sources: ['ML Test Score Monitoring 3'],
            },
            {
              key: 'data_management.privacy_controls',
              title: 'Privacy controls on the data pipeline',
              question:
                'Are personal and sensitive data identified, access-controlled, minimised and ' +
                'handled according to policy (retention, consent, anonymisation) in the pipeline?',
              guidance:
                'Classify columns, restrict access to sensitive ones, pseudonymise or drop what the ' +
                'model does not need, apply retention rules and document the legal basis.',
              weight: 1,
              evidence: 'human',
              sources: ['ML Test Score Data 5', 'ML Test Score Data 4'],
            },
            {
              key: 'data_management.feature_value_reviewed',
              title: 'Feature benefit and cost measured',
              question:
                "Is each feature's benefit (importance or ablation) and cost (latency, memory, " +
                'upstream dependencies) measured, and are features that do not pay off removed?',
              guidance:
                'Publish feature importance or ablation results with each training run, review ' +
                'them together with each feature cost, and delete unused or low-value features.',
              weight: 1,
              evidence: 'both',
              ciSignal: 'mlops:feature-importance',
              sources: ['ML Test Score Data 2', 'ML Test Score Data 3'],
            },
          ],
        },
      ],
    },
    {
      key: 'pipeline_automation',
      name: 'Pipeline automation & continuous training',
      description:
        'Training runs as automated, orchestrated pipelines that retrain on triggers, and the ' +
        'pipeline itself is delivered by CI/CD.',
      weight: 1,
      levels: [
        {
          level: 1,
          name: 'Automated builds and runnable training',
          description: 'CI builds every push and training runs as a job.',
          criteria: [
            {
              key: 'pipeline_automation.ci_build_test',
              title: 'Every push built and tested',
              question: 'Is every push to the repository built and tested automatically by CI?',
              guidance:
                'Add a CI workflow that installs dependencies, builds the package or image and ' +
                'runs the test suite on every push and pull request.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:ci-build',
              sources: ['Google L0 no CI', 'Microsoft L1 DevOps but no MLOps'],
            },
            {
              key: 'pipeline_automation.training_job',
              title: 'Training is a runnable job, not a notebook',
              question:
                'Can training be run end to end as a parameterised job (script or container) ' +
                'without opening a notebook or changing code?',
              guidance:
                'Extract training from notebooks into a module with a command-line entry point ' +
                'and configuration file, runnable locally and on the training platform.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:training-job',
              sources: [
                'Google L0 manual, notebook-driven process',
                'Microsoft L2 experimentation code turned into repeatable jobs',
                'Seed pipeline_automation L0 Manual scripts',
              ],
            },
          ],
        },
        {
          level: 2,
          name: 'Orchestrated continuous training',
          description:
            'One orchestrated pipeline validates, trains, evaluates and registers, on a ' +
            'schedule or on events, identically in every environment.',
          criteria: [
            {
              key: 'pipeline_automation.orchestrated_pipeline',
              title: 'One orchestrated validate -> train -> evaluate -> register run',
              question:
                'Do data validation, training, evaluation and registration run as one ' +
                'orchestrated pipeline, each step starting only when the previous one succeeded?',
              guidance:
                'Express the steps as a pipeline (Kubeflow, Vertex AI Pipelines, Airflow, ' +
                'SageMaker Pipelines, Dagster) with explicit inputs and outputs per step.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:pipeline-run',
              sources: [
                'Google L1 orchestrated experiment',
                'Seed pipeline_automation L1 Airflow/Kubeflow',
                'ML Test Score Data 6',
              ],
            },
            {
              key: 'pipeline_automation.triggered_retraining',
              title: 'Retraining on schedule or event',
              question:
                'Is the model retrained automatically on a schedule or when new data arrives, ' +
                'without someone starting it?',
              guidance:
                'Trigger the training pipeline from a scheduler or a data-arrival event, and ' +
                'alert when a scheduled run fails or does not start.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:scheduled-retraining',
              sources: [
                'Google L1 continuous training on triggers',
                'Seed pipeline_automation L2 Event-driven',
              ],
            },
            {
              key: 'pipeline_automation.environment_parity',
              title: 'Same pipeline in every environment',
              question:
                'Does the same pipeline definition run in development, pre-production and ' +
                'production, with only configuration differing?',
              guidance:
                'Parameterise environment-specific values (projects, buckets, endpoints) and ' +
                'deploy the same pipeline artifact to each environment.',
              weight: 1,
              evidence: 'human',
              sources: ['Google L1 same pipeline in dev, pre-prod and prod'],
            },
          ],
        },
        {
          level: 3,
          name: 'CI/CD of the pipeline, self-triggering',
          description:
            'The pipeline itself is delivered by CI/CD, retrains on degradation and proves itself ' +
            'in pre-production before production.',
          criteria: [
            {
              key: 'pipeline_automation.pipeline_cicd',
              title: 'The pipeline is built, tested and deployed by CI/CD',
              question:
                'Is the training pipeline itself (its components and definition) built, tested ' +
                'and deployed to the orchestrator by a CI/CD pipeline?',
              guidance:
                'Build pipeline components as images, test them, compile the pipeline definition ' +
                'in CI and let CD deploy it; nobody uploads pipelines by hand.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:pipeline-deploy',
              sources: [
                'Google L2 CI/CD pipeline automation',
                'Seed pipeline_automation L2 CI/CD integration',
              ],
            },
            {
              key: 'pipeline_automation.drift_triggered_retraining',
              title: 'Drift or degradation triggers retraining',
              question:
                'Does detected data drift or performance degradation start the training pipeline ' +
                'automatically?',
              guidance:
                'Connect the drift and quality monitors to the pipeline trigger with thresholds and ' +
                'a rate limit, and record which signal started each run.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:drift-retraining',
              sources: [
                'Google L1 triggers: model performance degradation, data drift',
                'Microsoft L4 retraining triggered by production metrics',
                'Seed L3 automated retraining on drift',
              ],
            },
            {
              key: 'pipeline_automation.preprod_soak',
              title: 'Green pre-production runs before production',
              question:
                'Must the pipeline complete several successful runs in pre-production before a ' +
                'new version of it is promoted to production?',
              guidance:
                'Require N (e.g. 3) consecutive green pre-production runs of a pipeline version as ' +
                'a promotion condition, checked automatically.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:preprod-runs',
              sources: ['Google L2 manual to production after several good pre-production runs'],
            },
          ],
        },
      ],
    },
    {
      key: 'testing',
      name: 'Testing',
      description:
        'Code, data, models and the pipeline are tested automatically, and quality thresholds ' +
        'decide what may be deployed.',
      weight: 1,
      levels: [
        {
          level: 1,
          name: 'Automated code checks',
          description: 'Unit tests and linters run on every pull request.',
          criteria: [
            {
              key: 'testing.unit_tests_on_pr',
              title: 'Unit tests on every pull request',
              question: 'Do unit tests run automatically on every pull request and block merging?',
              guidance:
                'Run the unit test suite in CI on every pull request and make it a required check.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:unit-tests',
              sources: [
                'Microsoft L1 application code has unit tests',
                'Seed testing L1 Basic unit tests',
              ],
            },
            {
              key: 'testing.lint',
              title: 'Linting and pre-commit checks',
              question:
                'Do linters, formatters and type checks run on every pull request (and locally ' +
                'via pre-commit)?',
              guidance:
                'Configure a linter and formatter (ruff, black, mypy, eslint, ...) with pre-commit ' +
                'hooks and run the same checks as a required CI job.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:lint',
              sources: ['Marvelous MLOps code quality'],
            },
          ],
        },
        {
          level: 2,
          name: 'ML tests gate releases',
          description:
            'Model and pipeline tests run in CI and quality thresholds block bad models.',
          criteria: [
            {
              key: 'testing.model_unit_tests',
              title: 'Model unit tests (convergence, no NaNs)',
              question:
                'Do automated tests check that training converges on a small sample, produces no ' +
                'NaN or infinite values and emits the expected artifacts?',
              guidance:
                'Add tests that train for a few steps on a fixture dataset and assert the loss ' +
                'decreases, outputs and weights are finite and the artifact has the expected shape.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:model-tests',
              sources: [
                'Google L2 training converges, no NaN values, artifacts produced',
                'ML Test Score Infrastructure 2',
                'ML Test Score Monitoring 5',
              ],
            },
            {
              key: 'testing.pipeline_integration_test',
              title: 'Pipeline integration test on a data subset',
              question:
                'Does CI run the whole pipeline end to end on a small subset of real or synthetic ' +
                'data, including serving the resulting model?',
              guidance:
                'Add a CI job that runs every pipeline step on a sampled dataset and sends a few ' +
                'requests to the resulting model, failing on any broken step.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:pipeline-integration-test',
              sources: [
                'ML Test Score Infrastructure 3',
                'Google L2 integration between pipeline components',
                'Microsoft L1 basic integration tests exist for the model',
                'Seed testing L2 Integration tests',
              ],
            },
            {
              key: 'testing.quality_gate',
              title: 'Quality thresholds block deployment',
              question:
                'Is a model blocked from deployment automatically when its evaluation metrics are ' +
                'below agreed thresholds?',
              guidance:
                'Write the metric thresholds down next to the model, evaluate every candidate ' +
                'against them in the pipeline and stop promotion when one is missed.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:quality-gate',
              sources: [
                'ML Test Score Infrastructure 4',
                'Google L1 model validation',
                'Google L2 model performance targets met',
                'Seed testing L1 Model validation',
              ],
            },
          ],
        },
        {
          level: 3,
          name: 'Comprehensive ML testing',
          description:
            'Slices, baselines and load are tested, and the ML Test Score shows no weak section.',
          criteria: [
            {
              key: 'testing.slice_tests',
              title: 'Quality tested on important data slices',
              question:
                'Is model quality evaluated and gated per important data slice (segments, regions, ' +
                'rare classes), not only on the aggregate?',
              guidance:
                'Define the slices that matter with the product owner, compute metrics per slice ' +
                'in evaluation and fail the gate when any slice falls below its threshold.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:slice-tests',
              sources: ['ML Test Score Model 6', 'Seed testing L3 Comprehensive test suite'],
            },
            {
              key: 'testing.baseline_comparison',
              title: 'Compared with a simple baseline',
              question:
                'Is every candidate automatically compared with a simple baseline model (e.g. ' +
                'linear or heuristic) to show the complexity pays off?',
              guidance:
                'Train a simple baseline in the same pipeline and record the metric gap; flag ' +
                'candidates whose advantage over the baseline is below an agreed margin.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:baseline-comparison',
              sources: ['ML Test Score Model 5'],
            },
            {
              key: 'testing.load_tests',
              title: 'Load and latency tests',
              question:
                'Are load and latency tests run against the serving endpoint before release, ' +
                'with targets that fail the release when missed?',
              guidance:
                'Run a load test (k6, Locust, autocannon) against the staging endpoint in CD and ' +
                'compare p95/p99 latency, throughput and memory with the targets.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:load-test',
              sources: ['Google L2 load test', 'ML Test Score Monitoring 6'],
            },
            {
              key: 'testing.ml_test_score',
              title: 'ML Test Score of at least 2',
              question:
                'Has the team scored the model with the ML Test Score rubric (28 tests) in the ' +
                'last quarter, with every section scoring at least 2?',
              guidance:
                'Score the 28 tests (0.5 manual, 1 automated), take the minimum of the four ' +
                'section sums, and plan work on the weakest section until the minimum reaches 2.',
              weight: 1,
              evidence: 'both',
              ciSignal: 'mlops:ml-test-score',
              sources: ['ML Test Score final score (minimum of sections)'],
            },
          ],
        },
      ],
    },
    {
      key: 'deployment',
      name: 'Deployment & release',
      description:
        'Models reach production through scripted, staged, checked and finally automatic ' +
        'releases that can be rolled back.',
      weight: 1,
      levels: [
        {
          level: 1,
          name: 'Scripted deployments',
          description: 'Deployments are scripted and recorded, and the serving API is documented.',
          criteria: [
            {
              key: 'deployment.scripted_deploy',
              title: 'Deployments scripted and recorded',
              question:
                'Is every model deployment done by a script or job (not by copying files by hand), ' +
                'and recorded with what was deployed, when and by whom?',
              guidance:
                'Replace manual copies with a deployment script or job that takes a registry ' +
                'model version and records each deployment.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:deploy',
              sources: [
                'Google L0 hand-over of a model file',
                'Microsoft L0 manual release',
                'Seed deployment L1 Scripted deployment',
              ],
            },
            {
              key: 'deployment.api_contract',
              title: 'Serving API contract documented',
              question:
                "Is the model's serving interface (inputs, outputs, errors, latency expectations) " +
                'documented and agreed with the applications that call it?',
              guidance:
                'Publish an API schema (OpenAPI, protobuf) and the expected latency and error ' +
                'behaviour; version it and tell consumers about breaking changes.',
              weight: 1,
              evidence: 'human',
              sources: [
                'Microsoft L1 model handed off to software engineers',
                'Microsoft L0 teams work in silos',
              ],
            },
          ],
        },
        {
          level: 2,
          name: 'Staged, checked promotion',
          description:
            'The same build goes through staging, passes checks and an approval, and can be ' +
            'rolled back.',
          criteria: [
            {
              key: 'deployment.staging_first',
              title: 'Same build reaches staging before production',
              question:
                'Does the exact build (same commit and model version) that goes to production run ' +
                'in a staging environment first?',
              guidance:
                'Promote immutable artifacts (image digest plus registry model version) from ' +
                'staging to production instead of rebuilding them.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:staging-deploy',
              sources: [
                'Google L2 automatic deployment to test, semi-automatic to pre-production',
                'AWS Reliable isolated staging account',
              ],
            },
            {
              key: 'deployment.serving_contract_tests',
              title: 'Serving compatibility and API tests before promotion',
              question:
                'Before promotion, does CD check that the model loads in the serving stack and ' +
                'that the prediction API passes contract tests?',
              guidance:
                'Deploy to staging and run contract tests (schema, expected responses on fixed ' +
                'examples, error handling) against the endpoint; failing tests stop promotion.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:serving-contract-test',
              sources: [
                'Google L2 infrastructure compatibility and API tests',
                'Microsoft L3 unit and integration tests for each model release',
              ],
            },
            {
              key: 'deployment.promotion_checks',
              title: 'Promotion needs passing checks and an approval',
              question:
                'Does promotion to production require all checks to pass and a recorded approval?',
              guidance:
                'Use protected deployment environments: required checks plus an approver ' +
                'recorded by the CD system.',
              weight: 2,
              evidence: 'both',
              ciSignal: 'mlops:promotion-approval',
              sources: [
                'AWS Reliable approval',
                'Microsoft L2 release managed by the software engineering team',
              ],
            },
            {
              key: 'deployment.rollback_strategy',
              title: 'Rollback strategy defined',
              question:
                'Is there a documented, tested way to return to the previous model version within ' +
                'minutes?',
              guidance:
                'Keep the previous model version deployable, document the rollback command or ' +
                'pipeline and who may run it, and keep the data it needs available.',
              weight: 1,
              evidence: 'human',
              sources: [
                'ML Test Score Infrastructure 7',
                'Seed deployment L1 version-based rollback',
              ],
            },
          ],
        },
        {
          level: 3,
          name: 'Automatic progressive release',
          description:
            'Releases are automatic, progressive and reversible, and delivery performance is ' +
            'measured.',
          criteria: [
            {
              key: 'deployment.automatic_release',
              title: 'Release automatic',
              question:
                'Is a model that passes every check released to production automatically by the ' +
                'CD pipeline?',
              guidance:
                'Let the CD pipeline promote a model that passed all gates (and policy checks) ' +
                'without manual steps; humans intervene only on failures.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:release',
              sources: ['Microsoft L3 automatic release', 'Seed deployment L2 CI/CD'],
            },
            {
              key: 'deployment.canary_release',
              title: 'Canary or A/B before full rollout',
              question:
                'Does a new model first serve a small share of traffic (canary or A/B test), with ' +
                'automatic comparison to the current model before full rollout?',
              guidance:
                'Route a small percentage of traffic to the new model, compare error rate, ' +
                'latency and prediction quality against the current model, and roll forward or ' +
                'back automatically.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:canary',
              sources: [
                'ML Test Score Infrastructure 6',
                'Microsoft L3 A/B tests',
                'Seed deployment L2 Canary deployments',
              ],
            },
            {
              key: 'deployment.rollback_exercised',
              title: 'Rollback exercised in the last 90 days',
              question:
                'Has a rollback of the model been performed or rehearsed in the last 90 days?',
              guidance:
                'Schedule a rollback drill at least quarterly (or count real rollbacks) and record ' +
                'how long it took.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:rollback-drill',
              sources: ['ML Test Score Infrastructure 7', 'Seed L2 automated rollback on failure'],
            },
            {
              key: 'deployment.dora_metrics',
              title: 'DORA metrics computed',
              question:
                'Are deployment frequency, lead time for changes, change failure rate and time to ' +
                'restore computed for model releases?',
              guidance:
                'Derive the four DORA metrics from deployment and incident records and review ' +
                'them with the team every month.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:dora-metrics',
              sources: ['Google L0 infrequent releases'],
            },
          ],
        },
      ],
    },
    {
      key: 'monitoring',
      name: 'Monitoring & feedback',
      description:
        'The service, its predictions and its data are watched, and what is seen feeds back ' +
        'into training and the business.',
      weight: 1,
      levels: [
        {
          level: 1,
          name: 'Basic monitoring',
          description: 'Service health is alerted on and predictions are logged.',
          criteria: [
            {
              key: 'monitoring.service_health',
              title: 'Service health monitored with alerts',
              question:
                'Are latency, error rate, throughput and resource use of the model service ' +
                'monitored, with alerts that reach an on-call person?',
              guidance:
                'Export service metrics (Prometheus, Cloud Monitoring), build a dashboard and set ' +
                'alerts on error rate and latency routed to on-call.',
              weight: 2,
              evidence: 'human',
              sources: [
                'Google L0 no active performance monitoring',
                'ML Test Score Monitoring 6',
                'Seed monitoring L1 Basic metrics',
              ],
            },
            {
              key: 'monitoring.prediction_logging',
              title: 'Predictions logged',
              question:
                'Are model inputs and predictions (sampled if needed) logged with model version ' +
                'and timestamp, so they can be analysed and joined with outcomes later?',
              guidance:
                'Log a sample of requests, features, predictions and model version to durable ' +
                'storage, respecting privacy rules.',
              weight: 1,
              evidence: 'human',
              sources: ['ML Test Score Monitoring 7', 'Google L0 no active performance monitoring'],
            },
          ],
        },
        {
          level: 2,
          name: 'Model and data monitoring',
          description:
            'Model quality, drift, staleness and upstream changes are monitored automatically.',
          criteria: [
            {
              key: 'monitoring.offline_metrics_trended',
              title: 'Model metrics stored and trended',
              question:
                'Are evaluation and production quality metrics of each model version stored and ' +
                'plotted over time, so regressions are visible?',
              guidance:
                'Write metrics of every evaluation and of delayed production labels to a metrics ' +
                'store and chart them per model version; alert on regressions.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:metrics-trend',
              sources: ['ML Test Score Monitoring 7', 'Seed monitoring L1 Grafana dashboards'],
            },
            {
              key: 'monitoring.drift_job',
              title: 'Scheduled drift and data-invariant checks',
              question:
                'Does a scheduled job check serving inputs for drift and for violations of the ' +
                'data invariants (schema, ranges) used in training?',
              guidance:
                'Reuse the training schema to validate serving data and compute drift statistics ' +
                '(PSI, KS, Jensen-Shannon) on a schedule, alerting above thresholds.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:drift-check',
              sources: [
                'ML Test Score Monitoring 2',
                'Google L1 trigger on data drift',
                'Seed monitoring L2 Drift detection',
              ],
            },
            {
              key: 'monitoring.staleness_alert',
              title: 'Model staleness alert',
              question:
                'Do you know how quickly quality degrades as the model ages, and does an alert ' +
                'fire when the serving model is older than the limit derived from it?',
              guidance:
                'Measure quality of older models on recent data to find the acceptable age, then ' +
                'alert when the serving model or its training data exceeds it.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:staleness-check',
              sources: ['ML Test Score Monitoring 4', 'ML Test Score Model 4'],
            },
            {
              key: 'monitoring.dependency_alerts',
              title: 'Upstream changes notify the team',
              question:
                'Is the team notified when an upstream data source, feature or library the model ' +
                'depends on changes (schema, semantics, version, outage)?',
              guidance:
                'Subscribe to change notices of upstream owners, register the model as a consumer ' +
                'in the data catalog, and alert on schema changes of input tables.',
              weight: 1,
              evidence: 'human',
              sources: ['ML Test Score Monitoring 1'],
            },
          ],
        },
        {
          level: 3,
          name: 'Closed feedback loops',
          description:
            'Alerts trigger remediation, business outcomes feed back and incidents are linked to ' +
            'changes.',
          criteria: [
            {
              key: 'monitoring.alerts_trigger_remediation',
              title: 'Alerts trigger remediation automatically',
              question:
                'Do monitoring alerts start remediation automatically (retraining, rollback or ' +
                'traffic shift), with a person notified?',
              guidance:
                'Wire drift, quality and health alerts to the retraining pipeline or rollback ' +
                'job, with safeguards (rate limits, approval for large changes) and notifications.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:alert-remediation',
              sources: [
                'Microsoft L4 full MLOps automated operations',
                'Seed monitoring L3 Auto-remediation',
              ],
            },
            {
              key: 'monitoring.business_feedback',
              title: 'Business KPI feedback loop',
              question:
                'Are business outcomes (the KPI the model serves) measured and compared with the ' +
                'offline metrics, so you know offline gains translate into online gains?',
              guidance:
                'Join predictions with outcomes, track the business KPI per model version and ' +
                'check periodically that offline and online metrics move together.',
              weight: 1,
              evidence: 'human',
              sources: ['ML Test Score Model 2', 'Marvelous MLOps A/B testing & feedback'],
            },
            {
              key: 'monitoring.incident_linkage',
              title: 'Incidents linked to the preceding deployment',
              question:
                'Is each production incident automatically linked to the deployments (model, code, ' +
                'data) that preceded it?',
              guidance:
                'Annotate dashboards and incident tickets with deployment events and record the ' +
                'suspected change in each incident.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:incident-deploy-link',
              sources: ['Seed monitoring L3 Predictive monitoring'],
            },
          ],
        },
      ],
    },
    {
      key: 'governance',
      name: 'Governance & compliance',
      description:
        'Models have owners, documented risks, reviewed releases, an audit trail and ' +
        'policy-enforced promotion.',
      weight: 1,
      levels: [
        {
          level: 1,
          name: 'Owned and secured',
          description: 'Goals, owners and risks are documented and serving is secured.',
          criteria: [
            {
              key: 'governance.goals_owners_risk',
              title: 'Goals, owners and risk assessment documented',
              question:
                'Does each model have a documented business goal, a named owner and a risk ' +
                'assessment (what happens when it is wrong)?',
              guidance:
                'Write a one-page charter per model: goal and success metric, accountable owner ' +
                'and on-call, impact of errors and affected users.',
              weight: 1,
              evidence: 'human',
              sources: ['Microsoft L0 teams work in silos', 'Marvelous MLOps documentation'],
            },
            {
              key: 'governance.serving_security',
              title: 'Serving authenticated and security-reviewed',
              question:
                'Is the prediction endpoint authenticated and has its security (access, secrets, ' +
                'input handling) been reviewed?',
              guidance:
                'Require authentication on the endpoint, store secrets in a secret manager and ' +
                'have the security team review the service before launch.',
              weight: 1,
              evidence: 'human',
              sources: ['Marvelous MLOps monitoring & support'],
            },
          ],
        },
        {
          level: 2,
          name: 'Documented, reviewed releases',
          description:
            'Every release is documented and reviewed, and only CD may deploy to production.',
          criteria: [
            {
              key: 'governance.model_card',
              title: 'Model card and release notes per release',
              question:
                'Is a model card (intended use, data, metrics, limitations) with release notes ' +
                'produced for every model release?',
              guidance:
                'Generate a model card from the tracked run (metrics, data, parameters) in the ' +
                'pipeline and complete intended use and limitations by hand.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:model-card',
              sources: [
                'Seed experiment_tracking L3 Automated documentation',
                'Seed L1 model cards, documentation',
              ],
            },
            {
              key: 'governance.ml_code_review',
              title: 'ML code owners review required',
              question:
                'Do changes to ML code, data pipelines and model configuration need approval from ' +
                'a designated code owner?',
              guidance:
                'Add a CODEOWNERS file naming ML owners for model, feature and pipeline paths and ' +
                'require their review in branch protection.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:codeowners-review',
              sources: ['ML Test Score Model 1', 'Seed version_control L3 Automated compliance'],
            },
            {
              key: 'governance.restricted_deploy_rights',
              title: 'Deploy rights limited to CD',
              question:
                'Are production deploy permissions limited to the CD system and a small, ' +
                'reviewed break-glass group?',
              guidance:
                'Audit who can deploy or change production models, remove standing personal ' +
                'permissions and review the list every quarter.',
              weight: 1,
              evidence: 'human',
              sources: ['AWS Reliable multi-account deploy'],
            },
          ],
        },
        {
          level: 3,
          name: 'Audited, fair, policy-driven',
          description:
            'An audit trail exists per production model, fairness and explainability are ' +
            'addressed and promotion follows policy.',
          criteria: [
            {
              key: 'governance.audit_trail',
              title: 'Audit trail per production model',
              question:
                'For each production model, is there a record of who approved it, which data ' +
                'version and evaluation it was based on and who or what deployed it?',
              guidance:
                'Collect approval, data version, evaluation results and deployer into one ' +
                'immutable record per release, produced by the pipeline.',
              weight: 2,
              evidence: 'ci',
              ciSignal: 'mlops:audit-trail',
              sources: [
                'Microsoft L3 full traceability from deployment back to data',
                'Seed L3 full audit trail with governance',
              ],
            },
            {
              key: 'governance.fairness_tested',
              title: 'Fairness tested',
              question:
                'Is the model tested for unequal quality or outcomes across protected or ' +
                'vulnerable groups, with agreed limits?',
              guidance:
                'Pick fairness metrics with stakeholders, compute them per group in evaluation and ' +
                'block release when a limit is exceeded.',
              weight: 1,
              evidence: 'both',
              ciSignal: 'mlops:fairness-tests',
              sources: ['ML Test Score Model 7', 'Seed testing fairness test'],
            },
            {
              key: 'governance.explainability',
              title: 'Predictions explainable and debuggable',
              question:
                'Can the team explain and debug an individual prediction (feature attributions, ' +
                'stepping through the computation for one example)?',
              guidance:
                'Provide a tool or notebook that, for one example, shows its features, ' +
                'intermediate values and attributions (SHAP, integrated gradients).',
              weight: 1,
              evidence: 'human',
              sources: ['ML Test Score Infrastructure 5', 'Marvelous MLOps explainability'],
            },
            {
              key: 'governance.policy_promotion',
              title: 'Policy-based promotion',
              question:
                'Is promotion to production decided by machine-checked policies (required ' +
                'evidence, approvals, metric thresholds) rather than case by case?',
              guidance:
                'Encode promotion rules as policy (OPA, registry rules, CD conditions) evaluated ' +
                'automatically on each release, and log the decision.',
              weight: 1,
              evidence: 'ci',
              ciSignal: 'mlops:policy-check',
              sources: [
                'Microsoft L4 policy-based promotion',
                'Seed version_control L3 Policy enforcement',
              ],
            },
          ],
        },
      ],
    },
  ],
};

/** The built-in model (deeply frozen; never mutate it). */
export const defaultMaturityModel: MaturityModelDefinition = freezeModelDefinition(model);

/** A deep, mutable copy of the built-in model, e.g. to start an organization's draft from. */
export function cloneDefaultModel(): MaturityModelDefinition {
  return structuredClone(model);
}
