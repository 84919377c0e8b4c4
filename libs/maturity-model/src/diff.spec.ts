import { cloneDefaultModel, defaultMaturityModel, diffModelDefinitions } from './index';

describe('diffModelDefinitions', () => {
  it('finds no change between a model and its copy', () => {
    expect(diffModelDefinitions(defaultMaturityModel, cloneDefaultModel())).toEqual([]);
  });

  it('ignores criterion order inside a level and model-level fields', () => {
    const b = cloneDefaultModel();
    b.dimensions[0].levels[1].criteria.reverse();
    b.version = 2;
    b.name = 'Our MLOps maturity';
    expect(diffModelDefinitions(defaultMaturityModel, b)).toEqual([]);
  });

  it('reports changed criterion fields, sorted', () => {
    const b = cloneDefaultModel();
    const criterion = b.dimensions[4].levels[1].criteria[2]; // testing.quality_gate
    criterion.weight = 3;
    criterion.question = 'Do quality thresholds block deployment?';
    criterion.sources = [...criterion.sources, 'Our incident 2024-11'];
    expect(diffModelDefinitions(defaultMaturityModel, b)).toEqual([
      {
        kind: 'criterion_changed',
        key: 'testing.quality_gate',
        fields: ['question', 'sources', 'weight'],
        level: 2,
      },
    ]);
  });

  it('reports a criterion moved to another level', () => {
    const b = cloneDefaultModel();
    const [moved] = b.dimensions[4].levels[2].criteria.splice(0, 1); // testing.slice_tests
    b.dimensions[4].levels[1].criteria.push(moved);
    expect(diffModelDefinitions(defaultMaturityModel, b)).toEqual([
      { kind: 'criterion_changed', key: 'testing.slice_tests', fields: ['level'], level: 2 },
    ]);
  });

  it('reports added, removed and changed dimensions and criteria in a deterministic order', () => {
    const b = cloneDefaultModel();
    // Remove the governance dimension, add a "people" dimension.
    b.dimensions = b.dimensions.filter((d) => d.key !== 'governance');
    b.dimensions.push({
      key: 'people',
      name: 'People & skills',
      description: 'Roles and skills.',
      weight: 0.5,
      levels: ([1, 2, 3] as const).map((level) => ({
        level,
        name: `People L${level}`,
        description: 'x',
        criteria: [
          {
            key: `people.skill_l${level}`,
            title: 'Skill',
            question: 'Skill?',
            guidance: 'Train people.',
            weight: 1,
            evidence: 'human' as const,
            sources: ['Microsoft People row'],
          },
        ],
      })),
    });
    // Change the testing dimension's weight and a level name; add and remove criteria.
    const testing = b.dimensions[4];
    testing.weight = 2;
    testing.levels[0].name = 'Tests run in CI';
    testing.levels[0].criteria = testing.levels[0].criteria.filter((c) => c.key !== 'testing.lint');
    testing.levels[0].criteria.push({
      key: 'testing.coverage',
      title: 'Coverage measured',
      question: 'Is test coverage measured?',
      guidance: 'Measure it.',
      weight: 1,
      evidence: 'ci',
      ciSignal: 'mlops:coverage',
      sources: ['Team practice'],
    });
    const changes = diffModelDefinitions(defaultMaturityModel, b);
    expect(changes.filter((c) => !c.key.startsWith('governance'))).toEqual([
      { kind: 'dimension_added', key: 'people' },
      { kind: 'criterion_added', key: 'people.skill_l1', level: 1 },
      { kind: 'criterion_added', key: 'people.skill_l2', level: 2 },
      { kind: 'criterion_added', key: 'people.skill_l3', level: 3 },
      { kind: 'dimension_changed', key: 'testing', fields: ['levels.1.name', 'weight'] },
      { kind: 'criterion_added', key: 'testing.coverage', level: 1 },
      { kind: 'criterion_removed', key: 'testing.lint', level: 1 },
    ]);
    const governance = changes.filter((c) => c.key.startsWith('governance'));
    expect(governance[0]).toEqual({ kind: 'dimension_removed', key: 'governance' });
    expect(governance.slice(1).every((c) => c.kind === 'criterion_removed')).toBe(true);
    expect(governance.slice(1).map((c) => c.key)).toEqual(
      [...governance.slice(1).map((c) => c.key)].sort(),
    );
    expect(governance).toHaveLength(1 + 9);
    // Same inputs, same output.
    expect(diffModelDefinitions(defaultMaturityModel, b)).toEqual(changes);
  });

  it('is symmetric for additions and removals', () => {
    const b = cloneDefaultModel();
    b.dimensions[6].levels[2].criteria.pop();
    const forward = diffModelDefinitions(defaultMaturityModel, b);
    const backward = diffModelDefinitions(b, defaultMaturityModel);
    expect(forward).toEqual([
      { kind: 'criterion_removed', key: 'monitoring.incident_linkage', level: 3 },
    ]);
    expect(backward).toEqual([
      { kind: 'criterion_added', key: 'monitoring.incident_linkage', level: 3 },
    ]);
  });
});
