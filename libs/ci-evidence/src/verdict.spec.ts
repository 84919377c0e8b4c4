import { run } from '../test/support';
import { verdictOf } from './index';

describe('verdictOf: GitHub workflow runs, jobs and checks', () => {
  it.each([
    ['success', { evidence: true, passed: true }],
    ['failure', { evidence: true, passed: false }],
    ['timed_out', { evidence: true, passed: false }],
    ['startup_failure', { evidence: true, passed: false }],
    ['cancelled', { evidence: false, reason: 'cancelled: proves nothing' }],
    ['skipped', { evidence: false, reason: 'skipped: proves nothing' }],
    ['neutral', { evidence: false, reason: 'neutral: proves nothing' }],
    ['stale', { evidence: false, reason: 'stale: proves nothing' }],
    ['action_required', { evidence: false, reason: 'action_required: proves nothing' }],
    ['something_new', { evidence: false, reason: 'unknown state "something_new"' }],
  ])('completed with conclusion %s', (conclusion, verdict) => {
    expect(verdictOf(run({ status: 'completed', conclusion }))).toEqual(verdict);
  });

  it.each(['queued', 'in_progress', 'waiting', 'requested', 'pending'])(
    'status %s is still running, whatever the conclusion says',
    (status) => {
      expect(verdictOf(run({ status, conclusion: 'success' }))).toEqual({
        evidence: false,
        reason: `still running (${status})`,
      });
    },
  );

  it('completed without a conclusion is no evidence', () => {
    expect(verdictOf(run({ conclusion: null }))).toEqual({
      evidence: false,
      reason: 'finished without a conclusion',
    });
  });
});

describe('verdictOf: GitLab jobs and pipelines', () => {
  const gitlab = (status: string, conclusion: string | null = null) =>
    run({ provider: 'gitlab', status, conclusion });

  it.each([
    ['success', { evidence: true, passed: true }],
    ['failed', { evidence: true, passed: false }],
    ['canceled', { evidence: false, reason: 'canceled: proves nothing' }],
    ['skipped', { evidence: false, reason: 'skipped: proves nothing' }],
  ])('finished %s', (status, verdict) => {
    expect(verdictOf(gitlab(status, status))).toEqual(verdict);
  });

  it.each([
    'created',
    'waiting_for_resource',
    'preparing',
    'pending',
    'running',
    'manual',
    'scheduled',
    'canceling',
  ])('%s is still running', (status) => {
    expect(verdictOf(gitlab(status))).toEqual({
      evidence: false,
      reason: `still running (${status})`,
    });
  });
});

describe('verdictOf: deployments (GitHub deployment_status, GitLab Deployment Hook)', () => {
  const deployment = (provider: 'github' | 'gitlab', state: string, terminal: boolean) =>
    run({ provider, kind: 'deployment', status: state, conclusion: terminal ? state : null });

  it.each([
    ['github', 'success', { evidence: true, passed: true }],
    ['github', 'failure', { evidence: true, passed: false }],
    ['github', 'error', { evidence: true, passed: false }],
    ['gitlab', 'success', { evidence: true, passed: true }],
    ['gitlab', 'failed', { evidence: true, passed: false }],
    ['gitlab', 'canceled', { evidence: false, reason: 'canceled: proves nothing' }],
  ] as const)('%s %s', (provider, state, verdict) => {
    expect(verdictOf(deployment(provider, state, true))).toEqual(verdict);
  });

  it.each([
    ['github', 'pending'],
    ['github', 'queued'],
    ['github', 'in_progress'],
    ['gitlab', 'created'],
    ['gitlab', 'running'],
    ['gitlab', 'blocked'],
  ] as const)('%s %s is still running', (provider, state) => {
    expect(verdictOf(deployment(provider, state, false))).toEqual({
      evidence: false,
      reason: `still running (${state})`,
    });
  });

  it('an inactive (superseded) GitHub deployment proves nothing', () => {
    expect(verdictOf(deployment('github', 'inactive', false))).toEqual({
      evidence: false,
      reason: 'inactive: proves nothing',
    });
  });

  it('does not read inherited object keys as states', () => {
    expect(verdictOf(run({ conclusion: 'constructor' }))).toEqual({
      evidence: false,
      reason: 'unknown state "constructor"',
    });
  });
});
