import {
  assertValidModelDefinition,
  cloneDefaultModel,
  defaultMaturityModel,
  type MaturityModelDefinition,
  validateModelDefinition,
} from './index';

/** Applies `mutate` to a fresh copy of the default model and returns the problems found. */
function problemsAfter(mutate: (def: MaturityModelDefinition) => void): string[] {
  const def = cloneDefaultModel();
  mutate(def);
  return validateModelDefinition(def);
}

describe('validateModelDefinition', () => {
  it('finds no problem in the default model', () => {
    expect(validateModelDefinition(defaultMaturityModel)).toEqual([]);
    expect(() => assertValidModelDefinition(defaultMaturityModel)).not.toThrow();
  });

  it('detects a duplicate criterion key', () => {
    const problems = problemsAfter((def) => {
      const level = def.dimensions[4].levels[0];
      level.criteria.push({ ...level.criteria[0], ciSignal: 'mlops:another-signal' });
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/duplicate criterion key 'testing\.unit_tests_on_pr'/);
  });

  it('detects a duplicate dimension key', () => {
    const problems = problemsAfter((def) => {
      def.dimensions[1].key = 'version_control';
    });
    expect(problems.some((p) => /duplicate dimension key 'version_control'/.test(p))).toBe(true);
  });

  it('detects a criterion key not prefixed by its dimension key', () => {
    const problems = problemsAfter((def) => {
      def.dimensions[4].levels[1].criteria[0].key = 'monitoring.model_unit_tests';
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/key must start with its dimension key 'testing\.'/);
    expect(problems[0]).toMatch(/^dimensions\[4\] \(testing\)\.levels\[1\]\.criteria\[0\]/);
  });

  it.each([1, 2, 3])('detects a missing level %i', (missing) => {
    const problems = problemsAfter((def) => {
      def.dimensions[0].levels = def.dimensions[0].levels.filter((l) => l.level !== missing);
    });
    expect(problems).toEqual([`dimensions[0] (version_control): missing level ${missing}`]);
  });

  it('detects a level defined twice and a level with no criteria', () => {
    const problems = problemsAfter((def) => {
      def.dimensions[0].levels.push({ level: 3, name: 'Again', description: 'x', criteria: [] });
    });
    expect(problems).toContain('dimensions[0] (version_control): level 3 is defined 2 times');
    expect(problems.some((p) => /level 3 has no criteria/.test(p))).toBe(true);
  });

  it.each([0, -1, Number.NaN])('detects a criterion weight of %p', (weight) => {
    const problems = problemsAfter((def) => {
      def.dimensions[2].levels[2].criteria[1].weight = weight;
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/weight must be > 0/);
  });

  it('detects a dimension weight <= 0', () => {
    const problems = problemsAfter((def) => {
      def.dimensions[3].weight = 0;
    });
    expect(problems).toEqual(['dimensions[3] (pipeline_automation): weight must be > 0 (got 0)']);
  });

  it.each(['ci', 'both'] as const)('detects evidence %s without a ciSignal', (mode) => {
    const problems = problemsAfter((def) => {
      const criterion = def.dimensions[0].levels[0].criteria[0];
      criterion.evidence = mode;
      delete criterion.ciSignal;
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`evidence '${mode}' requires a ciSignal`));
  });

  it('detects a ciSignal on a human-only criterion and a malformed ciSignal', () => {
    const problems = problemsAfter((def) => {
      def.dimensions[1].levels[0].criteria[0].ciSignal = 'mlops:experiments';
      def.dimensions[1].levels[1].criteria[0].ciSignal = 'Training Run';
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/human-only criterion must not have a ciSignal/);
    expect(problems[1]).toMatch(/ciSignal 'Training Run' must look like 'mlops:<kebab-name>'/);
  });

  it('detects a duplicate ciSignal', () => {
    const problems = problemsAfter((def) => {
      def.dimensions[7].levels[2].criteria[0].ciSignal = 'mlops:data-validation';
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/duplicate ciSignal 'mlops:data-validation'/);
  });

  it.each(['', '   '])('detects an empty question (%p)', (question) => {
    const problems = problemsAfter((def) => {
      def.dimensions[5].levels[0].criteria[1].question = question;
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/question must not be empty/);
  });

  it('detects empty title and guidance, a missing source and an unknown evidence mode', () => {
    const problems = problemsAfter((def) => {
      const criterion = def.dimensions[6].levels[0].criteria[0];
      criterion.title = '';
      criterion.guidance = '';
      criterion.sources = [];
      (criterion as { evidence: string }).evidence = 'robot';
    });
    expect(problems.map((p) => p.replace(/^.*\): /, ''))).toEqual([
      'title must not be empty',
      'guidance must not be empty',
      "evidence must be 'ci', 'human' or 'both' (got robot)",
      'at least one source is required',
    ]);
  });

  it('detects model-level problems', () => {
    const problems = validateModelDefinition({
      key: '',
      name: '',
      version: 0,
      description: '',
      dimensions: [],
    });
    expect(problems).toEqual([
      'key: must not be empty',
      'name: must not be empty',
      'description: must not be empty',
      'version: must be a positive integer (got 0)',
      'dimensions: at least one dimension is required',
    ]);
  });

  it('assertValidModelDefinition throws with every problem listed', () => {
    const def = cloneDefaultModel();
    def.dimensions[0].weight = -2;
    def.dimensions[0].levels[0].criteria[0].question = '';
    expect(() => assertValidModelDefinition(def)).toThrow(
      /weight must be > 0 \(got -2\)\n- .*question must not be empty/,
    );
  });
});
