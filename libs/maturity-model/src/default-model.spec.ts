import {
  cloneDefaultModel,
  DEFAULT_MODEL_KEY,
  defaultMaturityModel,
  freezeModelDefinition,
  type CriterionDefinition,
  type MaturityModelDefinition,
  validateModelDefinition,
} from './index';

function allCriteria(def: MaturityModelDefinition): CriterionDefinition[] {
  return def.dimensions.flatMap((d) => d.levels.flatMap((l) => l.criteria));
}

describe('default model', () => {
  it('is the MLOps maturity model, version 1, with the 8 proposed dimensions in order', () => {
    expect(defaultMaturityModel.key).toBe(DEFAULT_MODEL_KEY);
    expect(defaultMaturityModel.key).toBe('mlops-maturity');
    expect(defaultMaturityModel.name).toBe('MLOps maturity');
    expect(defaultMaturityModel.version).toBe(1);
    expect(defaultMaturityModel.dimensions.map((d) => d.key)).toEqual([
      'version_control',
      'experiment_tracking',
      'data_management',
      'pipeline_automation',
      'testing',
      'deployment',
      'monitoring',
      'governance',
    ]);
  });

  it('has no validation problems', () => {
    expect(validateModelDefinition(defaultMaturityModel)).toEqual([]);
  });

  it('lists levels 1, 2, 3 in order, each with 2 to 5 criteria', () => {
    for (const dimension of defaultMaturityModel.dimensions) {
      expect(dimension.levels.map((l) => l.level)).toEqual([1, 2, 3]);
      for (const level of dimension.levels) {
        expect(level.criteria.length).toBeGreaterThanOrEqual(2);
        expect(level.criteria.length).toBeLessThanOrEqual(5);
      }
    }
  });

  it('has real question and guidance text, and sources for every criterion', () => {
    for (const criterion of allCriteria(defaultMaturityModel)) {
      expect(criterion.question.length).toBeGreaterThan(30);
      expect(criterion.question.trim().endsWith('?')).toBe(true);
      expect(criterion.guidance.length).toBeGreaterThan(40);
      expect(criterion.sources.length).toBeGreaterThan(0);
    }
  });

  it('lets CI prove at least half of the criteria, each with a unique mlops:<kebab> signal', () => {
    const criteria = allCriteria(defaultMaturityModel);
    const provable = criteria.filter((c) => c.evidence !== 'human');
    expect(provable.length * 2).toBeGreaterThanOrEqual(criteria.length);
    const signals = provable.map((c) => c.ciSignal);
    for (const signal of signals) expect(signal).toMatch(/^mlops:[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(new Set(signals).size).toBe(signals.length);
  });

  it('is deeply frozen; cloneDefaultModel returns an equal, editable copy', () => {
    expect(Object.isFrozen(defaultMaturityModel)).toBe(true);
    expect(Object.isFrozen(defaultMaturityModel.dimensions[0].levels[0].criteria[0])).toBe(true);
    const copy = cloneDefaultModel();
    expect(copy).toEqual(defaultMaturityModel);
    copy.dimensions[0].weight = 2;
    expect(defaultMaturityModel.dimensions[0].weight).toBe(1);
  });
});

describe('freezeModelDefinition', () => {
  it('deeply freezes a model and returns it', () => {
    const copy = cloneDefaultModel();
    const frozen = freezeModelDefinition(copy);
    expect(frozen).toBe(copy);
    expect(Object.isFrozen(copy.dimensions[3].levels[2].criteria[1].sources)).toBe(true);
    expect(() => {
      copy.dimensions[0].weight = 5;
    }).toThrow(TypeError);
  });
});
