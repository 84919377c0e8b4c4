import { MAX_RULES, validateMappingRules } from './index';

const known = new Set(['testing.feature_tests', 'data_management.schema_validation']);
const rule = (match: string, extra: Record<string, unknown> = {}) => ({
  match,
  criterionKey: 'testing.feature_tests',
  ...extra,
});

describe('validateMappingRules', () => {
  it.each([
    '^pytest',
    'unit[- ]tests?',
    '.*feature.*',
    'pytest.*(unit|integration)',
    '[a-z]+-[a-z]+',
    '^(lint|test|build)$',
    '^deploy \\((prod|production)\\)$',
    '(a|ab)*c',
  ])('accepts the everyday pattern %s', (match) => {
    expect(validateMappingRules([rule(match)], known)).toEqual([]);
  });

  it.each(['(a+)+$', '(a|a)*$', '(\\w+\\s?)+$', '^(\\d+)*$', '(x+x+)+y', '.*.*.*x'])(
    'refuses the catastrophic-backtracking pattern %s',
    (match) => {
      const [problem] = validateMappingRules([rule(match)], known);
      expect(problem.field).toBe('rules[0].match');
      expect(problem.reason).toMatch(/ReDoS/);
    },
  );

  it('refuses an invalid regex, an empty one and one over 200 characters', () => {
    expect(
      validateMappingRules([rule('(unclosed'), rule(''), rule('a'.repeat(201))], known),
    ).toEqual([
      { field: 'rules[0].match', reason: expect.stringMatching(/^not a valid regular expression/) },
      { field: 'rules[1].match', reason: 'must be a non-empty regex' },
      { field: 'rules[2].match', reason: 'longer than 200 characters' },
    ]);
  });

  it('refuses an unknown criterion key and bad repository or branch globs', () => {
    expect(
      validateMappingRules(
        [
          { match: 'x', criterionKey: 'nope' },
          rule('x', { repository: '', branch: 'b'.repeat(201) }),
        ],
        known,
      ),
    ).toEqual([
      { field: 'rules[0].criterionKey', reason: 'not a criterion of the model that CI can prove' },
      { field: 'rules[1].repository', reason: 'must be a glob of 1 to 200 characters' },
      { field: 'rules[1].branch', reason: 'must be a glob of 1 to 200 characters' },
    ]);
  });

  it(`refuses more than ${MAX_RULES} rules`, () => {
    const problems = validateMappingRules(Array(MAX_RULES + 1).fill(rule('x')), known);
    expect(problems).toEqual([{ field: 'rules', reason: `at most ${MAX_RULES} rules` }]);
  });

  it('never throws on hostile input', () => {
    const hostile = [null, 3, { match: 5 }, { criterionKey: [] }] as never[];
    expect(validateMappingRules(hostile, known).length).toBeGreaterThan(0);
    expect(validateMappingRules('x' as never, known)).toEqual([
      { field: 'rules', reason: 'must be an array' },
    ]);
  });
});
