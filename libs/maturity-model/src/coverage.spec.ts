import {
  coverageProblems,
  DEFAULT_MODEL_COVERAGE,
  defaultMaturityModel,
  type CoverageItem,
} from './index';

const criterionKeys = new Set(
  defaultMaturityModel.dimensions.flatMap((d) =>
    d.levels.flatMap((l) => l.criteria.map((c) => c.key)),
  ),
);

const bySource = (source: CoverageItem['source']): readonly CoverageItem[] =>
  DEFAULT_MODEL_COVERAGE.filter((item) => item.source === source);

describe('coverage of published models by the default model', () => {
  it('maps every source item to at least one criterion', () => {
    const uncovered = DEFAULT_MODEL_COVERAGE.filter((item) => item.criteria.length === 0);
    expect(uncovered).toEqual([]);
  });

  it('only names criteria that exist in the default model', () => {
    const unknown = DEFAULT_MODEL_COVERAGE.flatMap((item) =>
      item.criteria.filter((key) => !criterionKeys.has(key)).map((key) => `${item.item}: ${key}`),
    );
    expect(unknown).toEqual([]);
    expect(coverageProblems()).toEqual([]);
  });

  it('coverageProblems reports an uncovered item and an unknown criterion', () => {
    const broken: CoverageItem[] = [
      { source: 'google', section: 'L1', item: 'Metadata store', criteria: [] },
      { source: 'google', section: 'L1', item: 'Feature store', criteria: ['data_management.x'] },
    ];
    expect(coverageProblems(broken)).toEqual([
      "google L1 'Metadata store': covered by no criterion",
      "google L1 'Feature store': unknown criterion 'data_management.x'",
    ]);
  });

  it('has exactly the 28 ML Test Score tests, 7 per section, numbered 1..7', () => {
    const tests = bySource('ml_test_score');
    expect(tests).toHaveLength(28);
    for (const section of ['Data', 'Model', 'Infrastructure', 'Monitoring']) {
      const inSection = tests.filter((t) => t.section === section);
      expect(inSection).toHaveLength(7);
      expect(inSection.map((t) => t.item.split(':')[0])).toEqual(
        [1, 2, 3, 4, 5, 6, 7].map((n) => `${section} ${n}`),
      );
    }
    expect(tests.map((t) => t.item)).toContain(
      'Data 1: feature expectations are captured in a schema',
    );
  });

  it('covers Google levels 0-2 and Microsoft levels 0-4', () => {
    expect([...new Set(bySource('google').map((i) => i.section))]).toEqual(['L0', 'L1', 'L2']);
    expect([...new Set(bySource('microsoft').map((i) => i.section))]).toEqual([
      'L0',
      'L1',
      'L2',
      'L3',
      'L4',
    ]);
  });

  it('names the Google characteristics of the reference notes', () => {
    const google = bySource('google').map((i) => i.item.toLowerCase());
    for (const phrase of [
      'notebook',
      'handed over',
      'no ci',
      'no cd',
      'monitoring',
      'few times a year',
      'orchestrated',
      'schedule',
      'drift',
      'data validation',
      'model validation',
      'metadata store',
      'feature store',
      'pre-production and production',
      'built, tested and deployed by ci/cd',
      'feature engineering',
      'model methods',
      'converges',
      'nan',
      'artifacts',
      'integration',
      'serving infrastructure',
      'api',
      'load test',
      'performance targets',
      'several successful pre-production runs',
    ]) {
      expect(google.some((item) => item.includes(phrase))).toBe(true);
    }
  });

  it('lets CI prove at least half of the criteria', () => {
    const criteria = defaultMaturityModel.dimensions.flatMap((d) =>
      d.levels.flatMap((l) => l.criteria),
    );
    const provable = criteria.filter((c) => c.evidence === 'ci' || c.evidence === 'both');
    expect(provable.length / criteria.length).toBeGreaterThanOrEqual(0.5);
  });

  it("lists every criterion that cites an ML Test Score test in that test's entry", () => {
    for (const dimension of defaultMaturityModel.dimensions) {
      for (const level of dimension.levels) {
        for (const criterion of level.criteria) {
          for (const source of criterion.sources) {
            const match = /^ML Test Score (Data|Model|Infrastructure|Monitoring) (\d)$/.exec(
              source,
            );
            if (match === null) continue;
            const entry = DEFAULT_MODEL_COVERAGE.find((i) =>
              i.item.startsWith(`${match[1]} ${match[2]}:`),
            );
            expect(entry?.criteria).toContain(criterion.key);
          }
        }
      }
    }
  });
});
