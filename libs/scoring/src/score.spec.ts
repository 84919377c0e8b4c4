import {
  cloneDefaultModel,
  defaultMaturityModel,
  type MaturityModelDefinition,
  validateModelDefinition,
} from '@app/maturity-model';
import {
  allCriteria,
  AS_OF,
  SEED_DIMENSIONS,
  SEED_MODEL,
  seedAnyCriterionLevel,
  seedKey,
} from '../test/support';
import {
  type AssessmentAnswer,
  type AssessmentResult,
  bandForLevel,
  type CriterionStatus,
  type DimensionResult,
  round4,
  scoreAssessment,
} from './index';

function answersFor(statuses: Record<string, CriterionStatus>): AssessmentAnswer[] {
  return Object.entries(statuses).map(([criterionKey, status]) => ({ criterionKey, status }));
}

function allAnswered(model: MaturityModelDefinition, status: CriterionStatus): AssessmentAnswer[] {
  return allCriteria(model).map((c) => ({ criterionKey: c.key, status }));
}

function dimension(result: AssessmentResult, key: string): DimensionResult {
  const found = result.dimensions.find((d) => d.dimensionKey === key);
  if (found === undefined) throw new Error(`no dimension ${key}`);
  return found;
}

describe('worked example: the seed assessment, gated', () => {
  // What a team says it has, in the seed's own vocabulary (`current_state` of assess_dimension).
  const currentState: Record<string, string[]> = {
    version_control: ['Git for code', 'Branch protection'],
    experiment_tracking: ['MLflow/W&B', 'Basic parameter tracking', 'Model registry'],
    pipeline_automation: [
      'Airflow/Kubeflow',
      'Scheduled runs',
      'Event-driven',
      'CI/CD integration',
      'Self-healing',
    ],
    testing: ['Basic unit tests'],
    monitoring: ['Auto-remediation'],
    deployment: ['Scripted deployment', 'Basic validation', 'CI/CD', 'Canary deployments'],
  };
  // Named criteria are met, the others are not.
  const answers: AssessmentAnswer[] = Object.entries(SEED_DIMENSIONS).flatMap(([dim, levels]) =>
    ([1, 2, 3] as const).flatMap((level) =>
      levels[level].map((name) => ({
        criterionKey: seedKey(dim, name),
        status: (currentState[dim].includes(name) ? 'met' : 'not_met') as CriterionStatus,
      })),
    ),
  );
  const result = scoreAssessment({ model: SEED_MODEL, answers, asOf: AS_OF });

  it('the seed model is a valid model definition', () => {
    expect(validateModelDefinition(SEED_MODEL)).toEqual([]);
  });

  it("the seed's 'any criterion' rule overstates every dimension but one", () => {
    const seedLevels = Object.keys(SEED_DIMENSIONS).map((dim) =>
      seedAnyCriterionLevel(dim, currentState[dim]),
    );
    expect(seedLevels).toEqual([2, 2, 3, 1, 3, 2]);
    // The seed's overall score: the plain mean of its levels.
    expect(round4(seedLevels.reduce((a, b) => a + b, 0) / seedLevels.length)).toBe(2.1667);

    expect(result.dimensions.map((d) => [d.dimensionKey, d.level, d.score])).toEqual([
      ['version_control', 0, 0.5], // 'Basic branching' missing: level 1 not held; 1/2 of L1
      ['experiment_tracking', 1, 1.5], // 'Comprehensive tracking' missing at L2
      ['pipeline_automation', 2, 2.5], // 'Self-healing' alone does not make level 3
      ['testing', 0, 0.5], // 'Model validation' missing at L1
      ['monitoring', 0, 0], // 'Auto-remediation' without any basics is level 0
      ['deployment', 2, 2], // the only dimension where both rules agree
    ]);
    expect(result.score).toBe(1.1667);
    expect(result.minimumLevel).toBe(0);
    expect(result.band).toBe('manual');
  });

  it('explains which gate failed on which criteria', () => {
    const gates = result.explanation.filter(
      (l) => l.kind === 'level_gate' && l.dimensionKey === 'monitoring',
    );
    expect(gates.map((l) => l.text)).toEqual([
      'monitoring: level 1 gate failed on monitoring.basic_metrics, monitoring.grafana_dashboards',
    ]);
    const pipeline = result.explanation.filter(
      (l) => 'dimensionKey' in l && l.dimensionKey === 'pipeline_automation',
    );
    expect(pipeline.map((l) => l.text)).toEqual([
      'pipeline_automation: level 1 gate passed (all 2 criteria met or not applicable)',
      'pipeline_automation: level 2 gate passed (all 2 criteria met or not applicable)',
      'pipeline_automation: level 3 gate failed on pipeline_automation.auto_optimization',
      'pipeline_automation: level 3 criteria met = 1/2 weight = 0.5',
      'pipeline_automation: score = level 2 + fraction 0.5 = 2.5',
      'pipeline_automation: target level 3 (level + 1, capped at 3), 1 gap(s)',
    ]);
    const overall = result.explanation.find((l) => l.kind === 'overall_score');
    expect(overall?.text).toBe(
      'overall score = (1 x 0.5 + 1 x 1.5 + 1 x 2.5 + 1 x 0.5 + 1 x 0 + 1 x 2) / 6 = 1.1667',
    );
    expect(result.explanation.at(-1)?.text).toBe(
      "minimum level 0 ('manual'), held by version_control, testing, monitoring",
    );
  });
});

describe('worked example: gating', () => {
  it('all level-2 criteria met but one level-1 criterion not met -> level 0', () => {
    const result = scoreAssessment({
      model: defaultMaturityModel,
      answers: answersFor({
        'testing.unit_tests_on_pr': 'met', // weight 2
        'testing.lint': 'not_met', // weight 1
        'testing.model_unit_tests': 'met',
        'testing.pipeline_integration_test': 'met',
        'testing.quality_gate': 'met',
      }),
      asOf: AS_OF,
    });
    const testing = dimension(result, 'testing');
    expect(testing.level).toBe(0);
    expect(testing.score).toBe(0.6667); // 0 + 2/3 of level 1's weight
    expect(testing.targetLevel).toBe(1);
    expect(testing.gaps.map((g) => g.key)).toEqual(['testing.lint']);
    expect(testing.counts).toEqual({ met: 4, notMet: 1, notApplicable: 0, unknown: 4 });
    const gate = result.explanation.find(
      (l) => l.kind === 'level_gate' && l.dimensionKey === 'testing',
    );
    expect(gate).toMatchObject({ level: 1, passed: false, blocking: ['testing.lint'] });
  });
});

describe('scoreAssessment', () => {
  it('a team meeting everything is at level 3 everywhere', () => {
    const result = scoreAssessment({
      model: defaultMaturityModel,
      answers: allAnswered(defaultMaturityModel, 'met'),
      asOf: AS_OF,
    });
    expect(result.dimensions.every((d) => d.level === 3 && d.score === 3)).toBe(true);
    expect(result.dimensions.every((d) => d.gaps.length === 0 && d.targetLevel === 3)).toBe(true);
    expect(result).toMatchObject({ score: 3, minimumLevel: 3, band: 'full automation' });
    expect(result.conflicts).toEqual([]);
  });

  it('an empty assessment is level 0 with every level-1 criterion as an unknown gap', () => {
    const result = scoreAssessment({ model: defaultMaturityModel, answers: [], asOf: AS_OF });
    expect(result).toMatchObject({ score: 0, minimumLevel: 0, band: 'manual' });
    for (const d of result.dimensions) {
      const levelOne = d.criteria.filter((c) => c.level === 1).map((c) => c.key);
      expect(d.gaps.map((g) => g.key)).toEqual(levelOne);
      expect(d.gaps.every((g) => g.status === 'unknown')).toBe(true);
      expect(d.recommendations.every((r) => r.kind === 'answer')).toBe(true);
      expect(d.criteria.every((c) => c.source === 'none')).toBe(true);
    }
  });

  it('leaves not applicable criteria out of the next-level fraction', () => {
    const result = scoreAssessment({
      model: defaultMaturityModel,
      answers: answersFor({
        'testing.unit_tests_on_pr': 'met',
        'testing.lint': 'met',
        'testing.quality_gate': 'not_applicable', // weight 2, left out
        'testing.model_unit_tests': 'met', // weight 1
        'testing.pipeline_integration_test': 'not_met', // weight 1
      }),
      asOf: AS_OF,
    });
    const testing = dimension(result, 'testing');
    expect([testing.level, testing.score]).toEqual([1, 1.5]);
    const line = result.explanation.find(
      (l) => l.kind === 'next_level' && l.dimensionKey === 'testing',
    );
    expect(line).toMatchObject({
      level: 2,
      metWeight: 1,
      applicableWeight: 2,
      fraction: 0.5,
      notApplicable: ['testing.quality_gate'],
    });
  });

  it('passes a level whose criteria are all not applicable', () => {
    const statuses: Record<string, CriterionStatus> = {};
    for (const level of defaultMaturityModel.dimensions[6].levels) {
      for (const c of level.criteria)
        statuses[c.key] = level.level === 3 ? 'not_applicable' : 'met';
    }
    const monitoring = dimension(
      scoreAssessment({ model: defaultMaturityModel, answers: answersFor(statuses), asOf: AS_OF }),
      'monitoring',
    );
    expect([monitoring.level, monitoring.score]).toEqual([3, 3]);
  });

  it('never shows the next level in the score before its gate passes', () => {
    const model = cloneDefaultModel();
    const levelOne = model.dimensions[4].levels[0].criteria;
    levelOne[0].weight = 100_000; // testing.unit_tests_on_pr
    levelOne[1].weight = 1; // testing.lint
    const testing = dimension(
      scoreAssessment({
        model,
        answers: answersFor({ 'testing.unit_tests_on_pr': 'met' }),
        asOf: AS_OF,
      }),
      'testing',
    );
    expect(testing.level).toBe(0);
    expect(testing.score).toBe(0.9999);
  });

  it('gaps cover levels 1..target, by level then key, with one recommendation each', () => {
    const result = scoreAssessment({
      model: defaultMaturityModel,
      answers: answersFor({
        'deployment.scripted_deploy': 'met',
        'deployment.api_contract': 'met',
        'deployment.staging_first': 'met',
        'deployment.rollback_strategy': 'not_met',
        'deployment.canary_release': 'met',
      }),
      targetLevels: { deployment: 3, testing: 0 },
      asOf: AS_OF,
    });
    const deployment = dimension(result, 'deployment');
    expect(deployment.level).toBe(1);
    expect(deployment.targetLevel).toBe(3);
    expect(deployment.gaps.map((g) => [g.level, g.key, g.status])).toEqual([
      [2, 'deployment.promotion_checks', 'unknown'],
      [2, 'deployment.rollback_strategy', 'not_met'],
      [2, 'deployment.serving_contract_tests', 'unknown'],
      [3, 'deployment.automatic_release', 'unknown'],
      [3, 'deployment.dora_metrics', 'unknown'],
      [3, 'deployment.rollback_exercised', 'unknown'],
    ]);
    expect(deployment.recommendations.map((r) => r.criterionKey)).toEqual(
      deployment.gaps.map((g) => g.key),
    );
    const rollback = deployment.recommendations[1];
    expect(rollback.kind).toBe('implement');
    expect(rollback.text).toContain('Keep the previous model version deployable');
    const promotion = deployment.recommendations[0];
    expect(promotion.kind).toBe('answer');
    expect(promotion.text).toContain("report the check 'mlops:promotion-approval'");
    // A target of 0 asks for nothing.
    expect(dimension(result, 'testing')).toMatchObject({ targetLevel: 0, gaps: [] });
    // Without a target: the next level.
    expect(dimension(result, 'monitoring')).toMatchObject({ level: 0, targetLevel: 1 });
  });

  it('weights dimensions in the overall score and rounds to 4 decimals', () => {
    const model = cloneDefaultModel();
    model.dimensions[0].weight = 3; // version_control
    const statuses: Record<string, CriterionStatus> = {};
    for (const level of model.dimensions[0].levels) {
      for (const c of level.criteria) statuses[c.key] = 'met';
    }
    const result = scoreAssessment({ model, answers: answersFor(statuses), asOf: AS_OF });
    // (3 x 3 + 7 x 1 x 0) / 10
    expect(result.score).toBe(0.9);
    const overall = result.explanation.find((l) => l.kind === 'overall_score');
    expect(overall).toMatchObject({ weightedSum: 9, weightSum: 10, score: 0.9 });
    expect(result.minimumLevel).toBe(0);
  });

  it('reports ignored input: unknown criteria, duplicate answers, unknown target dimensions', () => {
    const result = scoreAssessment({
      model: defaultMaturityModel,
      answers: [
        { criterionKey: 'testing.lint', status: 'not_met' },
        { criterionKey: 'testing.nope', status: 'met' },
        { criterionKey: 'testing.lint', status: 'met', note: 'ruff in pre-commit' },
      ],
      evidence: [
        { criterionKey: 'x.y', passed: true, observedAt: AS_OF, expiresAt: null },
        { criterionKey: 'x.y', passed: false, observedAt: AS_OF, expiresAt: null },
      ],
      targetLevels: { people: 2 },
      asOf: AS_OF,
    });
    expect(result.explanation.slice(0, 4).map((l) => l.text)).toEqual([
      "answer for 'testing.nope' ignored: the model has no such criterion",
      "an earlier answer for 'testing.lint' was replaced by a later one",
      "2 evidence item(s) for 'x.y' ignored: the model has no such criterion",
      "target level for 'people' ignored: the model has no such dimension",
    ]);
    const lint = dimension(result, 'testing').criteria.find((c) => c.key === 'testing.lint');
    expect(lint).toMatchObject({ status: 'met', source: 'answer', note: 'ruff in pre-commit' });
  });

  it('rejects an invalid asOf and a target level outside 0..3', () => {
    expect(() =>
      scoreAssessment({ model: defaultMaturityModel, answers: [], asOf: new Date(Number.NaN) }),
    ).toThrow(TypeError);
    expect(() =>
      scoreAssessment({
        model: defaultMaturityModel,
        answers: [],
        targetLevels: { testing: 4 as never },
        asOf: AS_OF,
      }),
    ).toThrow(RangeError);
    const undefinedTarget = scoreAssessment({
      model: defaultMaturityModel,
      answers: [],
      targetLevels: { testing: undefined as never },
      asOf: AS_OF,
    });
    expect(dimension(undefinedTarget, 'testing').targetLevel).toBe(1);
  });

  it('produces JSON-ready results: criteria by level then key, model order for dimensions', () => {
    const result = scoreAssessment({
      model: defaultMaturityModel,
      answers: allAnswered(defaultMaturityModel, 'not_met'),
      asOf: AS_OF,
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(result.asOf).toBe(AS_OF.toISOString());
    expect(result.modelKey).toBe('mlops-maturity');
    expect(result.modelVersion).toBe(1);
    expect(result.dimensions.map((d) => d.dimensionKey)).toEqual(
      defaultMaturityModel.dimensions.map((d) => d.key),
    );
    for (const d of result.dimensions) {
      const order = d.criteria.map((c) => `${c.level}:${c.key}`);
      expect(order).toEqual([...order].sort());
    }
  });

  it('names bands after the seed levels', () => {
    expect([0, 1, 2, 3].map((l) => bandForLevel(l as 0 | 1 | 2 | 3))).toEqual([
      'manual',
      'pipeline automation',
      'CI/CD for ML',
      'full automation',
    ]);
  });
});
