import { config, run } from '../test/support';
import { mapReportedEvidence, mapRunsToEvidence, nameCarriesSignal } from './index';

describe('nameCarriesSignal (built-in mapping)', () => {
  it.each([
    ['mlops:ci-build', true],
    ['mlops:ci-build (ubuntu)', true],
    ['mlops:ci-build/ubuntu', true],
    ['mlops:ci-build(3.12)', true],
    ['mlops:ci-build extra words', true],
    ['mlops:ci-builder', false],
    ['mlops:ci-build-2', false],
    ['MLOPS:ci-build', false],
    ['run mlops:ci-build', false],
  ])('%s carries mlops:ci-build: %s', (name, expected) => {
    expect(nameCarriesSignal(name, 'mlops:ci-build')).toBe(expected);
  });

  it('an empty signal never matches', () => {
    expect(nameCarriesSignal('anything', '')).toBe(false);
  });
});

describe('mapRunsToEvidence', () => {
  it('a passing run named after a signal, on the default branch, is passing evidence for the team', () => {
    const passing = run({ name: 'mlops:data-validation (py3.12)' });
    expect(mapRunsToEvidence([passing], config())).toEqual({
      evidence: [
        {
          teamId: 'team-default',
          criterionKey: 'data_management.schema_validation',
          passed: true,
          run: passing,
          matchedBy: 'signal mlops:data-validation',
        },
      ],
      skipped: [],
      ignored: null,
    });
  });

  it('a failing run is failing evidence', () => {
    const outcome = mapRunsToEvidence([run({ conclusion: 'failure' })], config());
    expect(outcome.evidence.map((e) => e.passed)).toEqual([false]);
  });

  it('rules add criteria; a run may prove several, but each (team, criterion) once per run', () => {
    const rules = [
      { match: '^mlops:data-validation', criterionKey: 'data_management.schema_validation' },
      { match: 'validation', criterionKey: 'testing.feature_tests' },
      { match: 'data', criterionKey: 'testing.feature_tests' },
    ];
    const outcome = mapRunsToEvidence([run()], config({ rules }));
    expect(outcome.evidence.map((e) => [e.criterionKey, e.matchedBy])).toEqual([
      ['data_management.schema_validation', 'signal mlops:data-validation'],
      ['testing.feature_tests', 'rule 2 /validation/'],
    ]);
  });

  it('a rule limited to a repository applies there only (glob, any case)', () => {
    const rules = [
      { match: '^pytest$', criterionKey: 'testing.feature_tests', repository: 'ACME/ml-*' },
    ];
    expect(
      mapRunsToEvidence([run({ name: 'pytest', repository: 'acme/ml-churn' })], config({ rules }))
        .evidence,
    ).toHaveLength(1);
    expect(
      mapRunsToEvidence([run({ name: 'pytest', repository: 'acme/web' })], config({ rules }))
        .evidence,
    ).toHaveLength(0);
    expect(
      mapRunsToEvidence([run({ name: 'pytest', repository: null })], config({ rules })).evidence,
    ).toHaveLength(0);
  });

  it('ignores rules for criteria the model does not have and refuses unsafe rules at match time', () => {
    const rules = [
      { match: 'pytest', criterionKey: 'no.such.criterion' },
      { match: '(a+)+$', criterionKey: 'testing.feature_tests' },
    ];
    const outcome = mapRunsToEvidence(
      [run({ name: 'pytest aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' })],
      config({ rules }),
    );
    expect(outcome.evidence).toEqual([]);
    expect(outcome.ignored?.rulesTried).toContain('rule 1 /pytest/');
    expect(outcome.ignored?.rulesTried.find((r) => r.startsWith('rule 2'))).toMatch(
      /refused: .*ReDoS/,
    );
  });

  describe('teams', () => {
    const repositories = [
      { pattern: 'acme/ml-*', teamId: 'team-ml' },
      { pattern: 'acme/**', teamId: 'team-acme' },
    ];

    it('the first matching repository pattern names the team, else the integration team', () => {
      const team = (repository: string | null) =>
        mapRunsToEvidence([run({ repository })], config({ repositories })).evidence[0]?.teamId;
      expect(team('acme/ml-churn')).toBe('team-ml');
      expect(team('acme/sub/web')).toBe('team-acme');
      expect(team('other/repo')).toBe('team-default');
      expect(team(null)).toBe('team-default');
    });

    it('no pattern and no integration team: skipped, saying so', () => {
      const outcome = mapRunsToEvidence(
        [run({ repository: 'other/repo' })],
        config({ repositories, teamId: null }),
      );
      expect(outcome.evidence).toEqual([]);
      expect(outcome.skipped).toEqual([
        {
          name: 'mlops:data-validation',
          criterionKey: 'data_management.schema_validation',
          reason: 'no team: repository other/repo matches no pattern',
        },
      ]);
      expect(outcome.ignored?.reason).toBe(
        'matched, but nothing counts: no team: repository other/repo matches no pattern',
      );
    });
  });

  describe('branches', () => {
    it('by default only the default branch counts', () => {
      const outcome = mapRunsToEvidence([run({ ref: 'feature/x' })], config());
      expect(outcome.evidence).toEqual([]);
      expect(outcome.skipped[0].reason).toBe('branch feature/x is not the default branch (main)');
    });

    it('without a default branch in the payload, main and master count', () => {
      for (const ref of ['main', 'master']) {
        expect(
          mapRunsToEvidence([run({ ref, defaultBranch: null })], config()).evidence,
        ).toHaveLength(1);
      }
      const outcome = mapRunsToEvidence([run({ ref: 'develop', defaultBranch: null })], config());
      expect(outcome.skipped[0].reason).toBe(
        'branch develop is not the default branch (main or master)',
      );
    });

    it('a payload with a default branch other than main: main does not count', () => {
      expect(
        mapRunsToEvidence([run({ ref: 'main', defaultBranch: 'trunk' })], config()).evidence,
      ).toEqual([]);
      expect(
        mapRunsToEvidence([run({ ref: 'trunk', defaultBranch: 'trunk' })], config()).evidence,
      ).toHaveLength(1);
    });

    it('`branches` replaces the default: exact names and globs', () => {
      const branches = ['develop', 'release/*'];
      expect(
        mapRunsToEvidence([run({ ref: 'develop' })], config({ branches })).evidence,
      ).toHaveLength(1);
      expect(
        mapRunsToEvidence([run({ ref: 'release/1.2' })], config({ branches })).evidence,
      ).toHaveLength(1);
      const outcome = mapRunsToEvidence([run({ ref: 'main' })], config({ branches }));
      expect(outcome.skipped[0].reason).toBe('branch main is not one of develop, release/*');
    });

    it('a run without a branch (GitLab deployments) counts only with `**` in branches', () => {
      const deployment = run({
        kind: 'deployment',
        provider: 'gitlab',
        ref: null,
        name: 'mlops:cd-only-deploy (production)',
      });
      expect(mapRunsToEvidence([deployment], config()).skipped[0].reason).toBe(
        'the payload names no branch',
      );
      expect(mapRunsToEvidence([deployment], config({ branches: ['main'] })).evidence).toEqual([]);
      expect(mapRunsToEvidence([deployment], config({ branches: ['**'] })).evidence).toHaveLength(
        1,
      );
    });

    it("a rule's own branch replaces the integration's branch filter for that rule", () => {
      const rules = [
        { match: '^nightly$', criterionKey: 'testing.feature_tests', branch: 'release/*' },
      ];
      const nightly = (ref: string) => run({ name: 'nightly', ref });
      expect(mapRunsToEvidence([nightly('release/2')], config({ rules })).evidence).toHaveLength(1);
      expect(mapRunsToEvidence([nightly('main')], config({ rules })).evidence).toHaveLength(0);
    });
  });

  it('a matched run that proves nothing is skipped with the verdict', () => {
    const outcome = mapRunsToEvidence(
      [run({ conclusion: 'cancelled' }), run({ status: 'in_progress', conclusion: null })],
      config(),
    );
    expect(outcome.skipped.map((s) => s.reason)).toEqual([
      'cancelled: proves nothing',
      'still running (in_progress)',
    ]);
    expect(outcome.ignored?.reason).toBe(
      'matched, but nothing counts: cancelled: proves nothing; still running (in_progress)',
    );
  });

  it('nothing matched: ignored, with the repository, branch, names and every rule tried', () => {
    const rules = [{ match: '^pytest$', criterionKey: 'testing.feature_tests' }];
    const outcome = mapRunsToEvidence(
      [run({ name: 'build' }), run({ name: 'lint' }), run({ name: 'build' })],
      config({ rules }),
    );
    expect(outcome).toEqual({
      evidence: [],
      skipped: [],
      ignored: {
        reason: 'no run name matched a CI signal or a rule',
        repository: 'acme/churn-model',
        ref: 'main',
        names: ['build', 'lint'],
        rulesTried: [
          'signal mlops:data-validation',
          'signal mlops:feature-tests',
          'signal mlops:training-run-logged',
          'signal mlops:cd-only-deploy',
          'rule 1 /^pytest$/',
        ],
      },
    });
  });

  it('no runs at all: ignored, saying so', () => {
    expect(mapRunsToEvidence([], config()).ignored?.reason).toBe('the delivery holds no runs');
  });

  it('some evidence and some skipped: not ignored, the skipped still listed', () => {
    const outcome = mapRunsToEvidence(
      [run(), run({ name: 'mlops:feature-tests', conclusion: 'skipped' })],
      config(),
    );
    expect(outcome.evidence).toHaveLength(1);
    expect(outcome.skipped).toHaveLength(1);
    expect(outcome.ignored).toBeNull();
  });
});

describe('mapReportedEvidence', () => {
  const knownTeamIds = new Set(['team-default', 'team-ml']);
  const reportedConfig = (extra = {}) => ({
    ...config(),
    knownTeamIds,
    deliveryId: 'msg_1',
    ...extra,
  });

  it('maps a signal to its criterion and keeps the reported facts on a synthetic run', () => {
    const outcome = mapReportedEvidence(
      [
        {
          teamId: 'team-ml',
          signal: 'mlops:feature-tests',
          passed: false,
          url: 'https://ci.example.com/9',
          commitSha: 'abcdef1',
          observedAt: '2026-11-30T05:00:00.000Z',
        },
      ],
      reportedConfig(),
    );
    expect(outcome.ignored).toBeNull();
    expect(outcome.evidence).toEqual([
      {
        teamId: 'team-ml',
        criterionKey: 'testing.feature_tests',
        passed: false,
        matchedBy: 'signal mlops:feature-tests',
        run: expect.objectContaining({
          provider: 'generic',
          kind: 'reported',
          deliveryId: 'msg_1',
          name: 'mlops:feature-tests',
          conclusion: 'failure',
          url: 'https://ci.example.com/9',
          commitSha: 'abcdef1',
          finishedAt: '2026-11-30T05:00:00.000Z',
        }),
      },
    ]);
  });

  it('takes a known criterion key as is, and finds the team by repository pattern', () => {
    const outcome = mapReportedEvidence(
      [{ repository: 'acme/ml-churn', criterionKey: 'testing.feature_tests', passed: true }],
      reportedConfig({ repositories: [{ pattern: 'acme/ml-*', teamId: 'team-ml' }] }),
    );
    expect(outcome.evidence.map((e) => [e.teamId, e.criterionKey, e.matchedBy])).toEqual([
      ['team-ml', 'testing.feature_tests', 'criterionKey testing.feature_tests'],
    ]);
  });

  it('skips unknown criteria, signals and teams, saying which', () => {
    const outcome = mapReportedEvidence(
      [
        { teamId: 'team-ml', criterionKey: 'no.such', passed: true },
        { teamId: 'team-ml', signal: 'mlops:nope', passed: true },
        { teamId: 'team-elsewhere', signal: 'mlops:feature-tests', passed: true },
        { repository: 'other/repo', signal: 'mlops:feature-tests', passed: true },
      ],
      reportedConfig({ teamId: null }),
    );
    expect(outcome.evidence).toEqual([]);
    expect(outcome.skipped.map((s) => s.reason)).toEqual([
      'unknown criterion no.such (or not provable by CI)',
      'no criterion has the CI signal mlops:nope',
      'unknown team team-elsewhere',
      'no team: repository other/repo matches no pattern',
    ]);
    expect(outcome.ignored?.names).toEqual([
      'no.such',
      'mlops:nope',
      'mlops:feature-tests',
      'mlops:feature-tests',
    ]);
  });

  it("refuses a repository pattern's team that is not a known team", () => {
    const outcome = mapReportedEvidence(
      [{ repository: 'acme/x', signal: 'mlops:feature-tests', passed: true }],
      reportedConfig({ repositories: [{ pattern: 'acme/*', teamId: 'deleted-team' }] }),
    );
    expect(outcome.evidence).toEqual([]);
  });
});
