import fc from 'fast-check';
import { cloneDefaultModel, defaultMaturityModel } from '@app/maturity-model';
import { AS_OF, inputArbFor } from '../test/support';
import {
  type AssessmentAnswer,
  type CriterionStatus,
  diffAssessmentResults,
  scoreAssessment,
} from './index';

const answersFor = (statuses: Record<string, CriterionStatus>): AssessmentAnswer[] =>
  Object.entries(statuses).map(([criterionKey, status]) => ({ criterionKey, status }));

const lastQuarter: Record<string, CriterionStatus> = {
  'testing.unit_tests_on_pr': 'met',
  'testing.lint': 'not_met',
  'testing.model_unit_tests': 'met',
  'deployment.scripted_deploy': 'met',
  'deployment.api_contract': 'met',
  'deployment.staging_first': 'met',
};

describe('diffAssessmentResults', () => {
  const before = scoreAssessment({
    model: defaultMaturityModel,
    answers: answersFor(lastQuarter),
    asOf: AS_OF,
  });

  it('reports nothing but the scores when nothing changed', () => {
    const diff = diffAssessmentResults(before, before);
    expect(diff.criteria).toEqual([]);
    expect(diff.dimensions.every((d) => d.reasons.length === 0)).toBe(true);
    expect(diff.dimensions.map((d) => d.dimensionKey)).toEqual(
      defaultMaturityModel.dimensions.map((d) => d.key),
    );
    expect(diff).toMatchObject({ scoreBefore: before.score, scoreAfter: before.score });
  });

  it('explains why each dimension moved, criterion by criterion', () => {
    const after = scoreAssessment({
      model: defaultMaturityModel,
      answers: answersFor({
        ...lastQuarter,
        'testing.lint': 'met', // unblocks level 1
        'testing.pipeline_integration_test': 'met',
        'deployment.api_contract': 'not_met', // regression
      }),
      evidence: [
        {
          criterionKey: 'deployment.serving_contract_tests',
          passed: true,
          observedAt: new Date(AS_OF.getTime() - 3_600_000),
          expiresAt: null,
          sourceUrl: 'https://ci.example/run/9',
        },
      ],
      asOf: AS_OF,
    });
    const diff = diffAssessmentResults(before, after);
    expect(diff.criteria).toEqual([
      {
        criterionKey: 'testing.lint',
        dimensionKey: 'testing',
        level: 1,
        statusBefore: 'not_met',
        statusAfter: 'met',
        sourceBefore: 'answer',
        sourceAfter: 'answer',
      },
      {
        criterionKey: 'testing.pipeline_integration_test',
        dimensionKey: 'testing',
        level: 2,
        statusBefore: 'unknown',
        statusAfter: 'met',
        sourceBefore: 'none',
        sourceAfter: 'answer',
      },
      {
        criterionKey: 'deployment.api_contract',
        dimensionKey: 'deployment',
        level: 1,
        statusBefore: 'met',
        statusAfter: 'not_met',
        sourceBefore: 'answer',
        sourceAfter: 'answer',
      },
      {
        criterionKey: 'deployment.serving_contract_tests',
        dimensionKey: 'deployment',
        level: 2,
        statusBefore: 'unknown',
        statusAfter: 'met',
        sourceBefore: 'none',
        sourceAfter: 'evidence',
      },
    ]);
    const testing = diff.dimensions.find((d) => d.dimensionKey === 'testing');
    expect(testing).toEqual({
      dimensionKey: 'testing',
      scoreBefore: 0.6667,
      scoreAfter: 1.5,
      levelBefore: 0,
      levelAfter: 1,
      reasons: [
        'score 0.6667 -> 1.5 (+0.8333), level 0 -> 1',
        'level 1 gate now passes',
        'testing.lint (level 1): not_met -> met (source answer -> answer)',
        'testing.pipeline_integration_test (level 2): unknown -> met (source none -> answer)',
      ],
    });
    const deployment = diff.dimensions.find((d) => d.dimensionKey === 'deployment');
    expect(deployment).toMatchObject({ scoreBefore: 1.2, scoreAfter: 0.6667 });
    expect(deployment?.reasons).toEqual([
      'score 1.2 -> 0.6667 (-0.5333), level 1 -> 0',
      'level 1 gate now fails on deployment.api_contract',
      'deployment.api_contract (level 1): met -> not_met (source answer -> answer)',
      'deployment.serving_contract_tests (level 2): unknown -> met (source none -> evidence)',
    ]);
  });

  it('handles dimensions and criteria present in only one result (two model versions)', () => {
    const model = cloneDefaultModel();
    model.dimensions = model.dimensions.filter((d) => d.key !== 'governance');
    const testingL1 = model.dimensions[4].levels[0];
    testingL1.criteria = testingL1.criteria.filter((c) => c.key !== 'testing.lint');
    testingL1.criteria.push({
      key: 'testing.coverage',
      title: 'Coverage measured',
      question: 'Is test coverage measured on every pull request?',
      guidance: 'Measure coverage in CI.',
      weight: 1,
      evidence: 'ci',
      ciSignal: 'mlops:coverage',
      sources: ['Team practice'],
    });
    const after = scoreAssessment({
      model,
      answers: answersFor({ ...lastQuarter, 'testing.coverage': 'met' }),
      asOf: AS_OF,
    });
    const diff = diffAssessmentResults(before, after);
    expect(diff.criteria.filter((c) => c.dimensionKey === 'testing')).toEqual([
      {
        criterionKey: 'testing.coverage',
        dimensionKey: 'testing',
        level: 1,
        statusBefore: null,
        statusAfter: 'met',
        sourceBefore: null,
        sourceAfter: 'answer',
      },
      {
        criterionKey: 'testing.lint',
        dimensionKey: 'testing',
        level: 1,
        statusBefore: 'not_met',
        statusAfter: null,
        sourceBefore: 'answer',
        sourceAfter: null,
      },
    ]);
    const testing = diff.dimensions.find((d) => d.dimensionKey === 'testing');
    expect(testing?.reasons).toEqual([
      'score 0.6667 -> 1.25 (+0.5833), level 0 -> 1', // 1 + 1/4 of level 2's weight
      'level 1 gate now passes',
      'testing.coverage (level 1) added to the model: met (answer)',
      'testing.lint (level 1) removed from the model (was not_met)',
    ]);
    const governance = diff.dimensions.at(-1);
    expect(governance).toMatchObject({
      dimensionKey: 'governance',
      scoreBefore: 0,
      scoreAfter: null,
      levelBefore: 0,
      levelAfter: null,
    });
    expect(governance?.reasons[0]).toBe('dimension removed (was level 0, score 0)');
    expect(diff.criteria.filter((c) => c.dimensionKey === 'governance')).toHaveLength(9);
    // Reversed: added instead of removed.
    const back = diffAssessmentResults(after, before);
    expect(back.dimensions.at(-1)?.reasons[0]).toBe('dimension added: level 0, score 0');
  });

  it('reports weight changes that move a score without any status change', () => {
    const model = cloneDefaultModel();
    model.dimensions[4].levels[0].criteria[0].weight = 1; // testing.unit_tests_on_pr: 2 -> 1
    model.dimensions[4].weight = 2;
    const after = scoreAssessment({ model, answers: answersFor(lastQuarter), asOf: AS_OF });
    const testing = diffAssessmentResults(before, after).dimensions[4];
    expect(testing.reasons).toEqual([
      'score 0.6667 -> 0.5 (-0.1667), level 0 -> 0',
      'testing.unit_tests_on_pr: weight 2 -> 1',
      'dimension weight 1 -> 2 (changes the overall score only)',
    ]);
  });

  it('gives a reason for every dimension whose score or level moved', () => {
    const arb = inputArbFor(defaultMaturityModel);
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const diff = diffAssessmentResults(scoreAssessment(a), scoreAssessment(b));
        expect(diffAssessmentResults(scoreAssessment(a), scoreAssessment(b))).toEqual(diff);
        for (const d of diff.dimensions) {
          const moved = d.scoreBefore !== d.scoreAfter || d.levelBefore !== d.levelAfter;
          if (moved) expect(d.reasons.length).toBeGreaterThan(1);
          const changed = diff.criteria.filter((c) => c.dimensionKey === d.dimensionKey);
          if (!moved && changed.length === 0) expect(d.reasons).toEqual([]);
        }
      }),
      { numRuns: 50 },
    );
  });
});
