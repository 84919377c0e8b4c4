import { githubExamples, gitlabFixture } from '../test/support';
import { type CiRunRecord, normalizeDelivery, type NormalizedDelivery } from './index';

function runsOf(result: NormalizedDelivery): CiRunRecord[] {
  if (result.kind !== 'runs') throw new Error(`expected runs, got ${JSON.stringify(result)}`);
  return result.runs;
}

const ISO_OR_NULL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function expectWellFormed(run: CiRunRecord): void {
  expect(run.name.length).toBeGreaterThan(0);
  expect(run.name.length).toBeLessThanOrEqual(256);
  for (const date of [run.startedAt, run.finishedAt]) {
    if (date !== null) expect(date).toMatch(ISO_OR_NULL);
  }
  if (run.commitSha !== null) expect(run.commitSha).toMatch(/^[0-9a-f]{7,64}$/);
  if (run.ref !== null) expect(run.ref.startsWith('refs/heads/')).toBe(false);
  if (run.url !== null) expect(run.url).toMatch(/^https?:\/\//);
}

describe('normalizeDelivery: GitHub (real payloads from @octokit/webhooks-examples)', () => {
  it.each(githubExamples('ping').map((body, index) => [index, body]))(
    'ping example %i is a ping',
    (_index, body) => {
      expect(normalizeDelivery('github', 'ping', 'd-1', body)).toEqual({ kind: 'ping' });
    },
  );

  it.each(
    ['workflow_run', 'workflow_job', 'check_run', 'deployment_status'].flatMap((event) =>
      githubExamples(event).map((body, index) => [event, index, body] as const),
    ),
  )('%s example %i gives one well-formed record', (event, _index, body) => {
    const [run] = runsOf(normalizeDelivery('github', event, 'd-1', body));
    expect(run).toMatchObject({ provider: 'github', deliveryId: 'd-1', event });
    expect(run.repository).toBe((body.repository as { full_name: string }).full_name);
    expect(run.defaultBranch).toBe((body.repository as { default_branch: string }).default_branch);
    expectWellFormed(run);
  });

  it('workflow_run: the workflow, its head commit and branch, run id, conclusion and times', () => {
    const body = githubExamples('workflow_run')[1];
    const run = body.workflow_run as Record<string, unknown>;
    expect(runsOf(normalizeDelivery('github', 'workflow_run', 'd-1', body))).toEqual([
      {
        provider: 'github',
        kind: 'workflow_run',
        deliveryId: 'd-1',
        event: 'workflow_run',
        repository: 'octo-org/octo-repo',
        defaultBranch: 'master',
        commitSha: run.head_sha,
        ref: 'master',
        runId: String(run.id),
        // This real payload has workflow_run.name "": the workflow object names it.
        name: 'test',
        status: 'completed',
        conclusion: 'success',
        environment: null,
        startedAt: new Date(run.run_started_at as string).toISOString(),
        finishedAt: new Date(run.updated_at as string).toISOString(),
        url: run.html_url,
      },
    ]);
  });

  it('workflow_run: keeps an inconsistent example as sent (action completed, status queued)', () => {
    const [run] = runsOf(
      normalizeDelivery('github', 'workflow_run', 'd-1', githubExamples('workflow_run')[0]),
    );
    expect(run.status).toBe('queued');
    expect(run.conclusion).toBeNull();
    expect(run.finishedAt).toBeNull();
  });

  it('workflow_job: the job id, name, head branch, conclusion and timestamps', () => {
    const body = githubExamples('workflow_job')[1];
    const job = body.workflow_job as Record<string, unknown>;
    const [run] = runsOf(normalizeDelivery('github', 'workflow_job', 'd-1', body));
    expect(run).toMatchObject({
      kind: 'job',
      runId: String(job.id),
      name: 'linters',
      ref: 'main',
      commitSha: job.head_sha,
      status: 'completed',
      conclusion: 'failure',
      startedAt: new Date(job.started_at as string).toISOString(),
      finishedAt: new Date(job.completed_at as string).toISOString(),
      url: job.html_url,
    });
  });

  it('check_run: the branch comes from the check suite', () => {
    const body = githubExamples('check_run')[2];
    const check = body.check_run as Record<string, unknown>;
    const [run] = runsOf(normalizeDelivery('github', 'check_run', 'd-1', body));
    expect(run).toMatchObject({
      kind: 'check',
      name: 'Octocoders-linter',
      ref: 'changes',
      runId: String(check.id),
      commitSha: check.head_sha,
      status: 'completed',
      conclusion: 'success',
    });
  });

  it('deployment_status: "<task> (<environment>)", the deployment ref and sha, the state', () => {
    const body = githubExamples('deployment_status')[0];
    const deployment = body.deployment as Record<string, unknown>;
    const [run] = runsOf(normalizeDelivery('github', 'deployment_status', 'd-1', body));
    expect(run).toMatchObject({
      kind: 'deployment',
      name: 'deploy (production)',
      environment: 'production',
      ref: 'master',
      commitSha: deployment.sha,
      runId: String(deployment.id),
      status: 'success',
      conclusion: 'success',
    });
    expect(run.finishedAt).not.toBeNull();
  });

  it('deployment_status from a workflow: named after the workflow, not finished while in progress', () => {
    const body = githubExamples('deployment_status')[1];
    const [run] = runsOf(normalizeDelivery('github', 'deployment_status', 'd-1', body));
    expect(run.name).toBe('pages build and deployment (github-pages)');
    expect(run.ref).toBe('master');
    const state = (body.deployment_status as { state: string }).state;
    expect(run.status).toBe(state);
  });

  it('strips refs/heads/ from a ref', () => {
    const body = structuredClone(githubExamples('deployment_status')[0]);
    (body.deployment as Record<string, unknown>).ref = 'refs/heads/main';
    expect(runsOf(normalizeDelivery('github', 'deployment_status', 'd', body))[0].ref).toBe('main');
  });

  it('says unsupported, with the reason, for other events and for payloads lacking the object', () => {
    expect(normalizeDelivery('github', 'push', 'd', {})).toEqual({
      kind: 'unsupported',
      reason: 'GitHub event "push" is not supported',
    });
    expect(normalizeDelivery('github', 'workflow_run', 'd', { workflow_run: { id: 1 } })).toEqual({
      kind: 'unsupported',
      reason: 'workflow_run without a workflow name',
    });
    expect(normalizeDelivery('github', null, 'd', {})).toEqual({
      kind: 'unsupported',
      reason: 'the delivery names no event',
    });
  });
});

describe('normalizeDelivery: GitLab (fixtures from the webhook events documentation)', () => {
  it('Pipeline Hook: one record for the pipeline, one per build, sharing sha and ref', () => {
    const list = runsOf(
      normalizeDelivery('gitlab', 'Pipeline Hook', 'g-1', gitlabFixture('gitlab-pipeline-hook')),
    );
    expect(list.map((run) => [run.kind, run.name, run.status, run.conclusion])).toEqual([
      ['pipeline', 'mlops:training-run-logged', 'success', 'success'],
      ['job', 'mlops:data-validation (py3.12)', 'success', 'success'],
      ['job', 'mlops:feature-tests', 'failed', 'failed'],
      ['job', 'train', 'success', 'success'],
      ['job', 'deploy-production', 'manual', null],
    ]);
    for (const run of list) {
      expect(run).toMatchObject({
        provider: 'gitlab',
        deliveryId: 'g-1',
        repository: 'acme/churn-model',
        defaultBranch: 'main',
        ref: 'main',
        commitSha: '5e2a1f0c9b7d4e3a8f6c1b2d0e9a7c5b3d1f4e6a',
      });
      expectWellFormed(run);
    }
    expect(list[0]).toMatchObject({
      runId: '4711',
      startedAt: '2026-11-20T09:00:03.000Z',
      finishedAt: '2026-11-20T09:14:41.000Z',
      url: 'https://gitlab.example.com/acme/churn-model/-/pipelines/4711',
    });
    expect(list[1]).toMatchObject({
      runId: '9001',
      startedAt: '2026-11-20T09:00:10.000Z',
      url: 'https://gitlab.example.com/acme/churn-model/-/jobs/9001',
    });
    expect(list[4].environment).toBe('production');
  });

  it('Pipeline Hook before GitLab 16.1 (no name): the pipeline is called "pipeline"', () => {
    const body = gitlabFixture('gitlab-pipeline-hook');
    delete (body.object_attributes as Record<string, unknown>).name;
    expect(runsOf(normalizeDelivery('gitlab', 'Pipeline Hook', 'g', body))[0].name).toBe(
      'pipeline',
    );
  });

  it('Job Hook: the sha from `sha` (commit.id is the pipeline id), ISO dates, the job URL', () => {
    const [run] = runsOf(
      normalizeDelivery('gitlab', 'Job Hook', 'g-2', gitlabFixture('gitlab-job-hook')),
    );
    expect(run).toEqual({
      provider: 'gitlab',
      kind: 'job',
      deliveryId: 'g-2',
      event: 'Job Hook',
      repository: 'acme/churn-model',
      defaultBranch: 'main',
      commitSha: '5e2a1f0c9b7d4e3a8f6c1b2d0e9a7c5b3d1f4e6a',
      ref: 'main',
      runId: '9001',
      name: 'mlops:data-validation (py3.12)',
      status: 'success',
      conclusion: 'success',
      environment: null,
      startedAt: '2026-11-20T09:00:10.000Z',
      finishedAt: '2026-11-20T09:02:40.000Z',
      url: 'https://gitlab.example.com/acme/churn-model/-/jobs/9001',
    });
  });

  it('Job Hook without sha falls back to checkout_sha, never to commit.id', () => {
    const body = gitlabFixture('gitlab-job-hook');
    delete body.sha;
    expect(runsOf(normalizeDelivery('gitlab', 'Job Hook', 'g', body))[0].commitSha).toBeNull();
    body.checkout_sha = 'b'.repeat(40);
    expect(runsOf(normalizeDelivery('gitlab', 'Job Hook', 'g', body))[0].commitSha).toBe(
      'b'.repeat(40),
    );
  });

  it('Deployment Hook: "deploy (<environment>)", the sha from commit_url, no branch', () => {
    const [run] = runsOf(
      normalizeDelivery(
        'gitlab',
        'Deployment Hook',
        'g-3',
        gitlabFixture('gitlab-deployment-hook'),
      ),
    );
    expect(run).toMatchObject({
      kind: 'deployment',
      name: 'deploy (production)',
      environment: 'production',
      commitSha: '5e2a1f0c9b7d4e3a8f6c1b2d0e9a7c5b3d1f4e6a',
      ref: null,
      runId: '88',
      status: 'success',
      conclusion: 'success',
      finishedAt: '2026-11-20T09:21:09.000Z',
      url: 'https://gitlab.example.com/acme/churn-model/-/jobs/9004',
    });
  });

  it('says unsupported for other GitLab events and a Pipeline Hook without object_attributes', () => {
    expect(normalizeDelivery('gitlab', 'Push Hook', 'g', {})).toEqual({
      kind: 'unsupported',
      reason: 'GitLab event "Push Hook" is not supported',
    });
    expect(normalizeDelivery('gitlab', 'Pipeline Hook', 'g', { builds: [] })).toEqual({
      kind: 'unsupported',
      reason: 'Pipeline Hook without object_attributes',
    });
  });
});

describe('normalizeDelivery: Standard Webhooks evidence.reported', () => {
  const envelope = (data: unknown) => ({
    type: 'evidence.reported',
    timestamp: '2026-11-30T05:00:00Z',
    data,
  });

  it('takes one item, filling observedAt from the envelope timestamp', () => {
    expect(
      normalizeDelivery(
        'generic',
        'evidence.reported',
        'm',
        envelope({ teamId: 't-1', signal: 'mlops:x', passed: true }),
      ),
    ).toEqual({
      kind: 'reported',
      items: [
        { teamId: 't-1', signal: 'mlops:x', passed: true, observedAt: '2026-11-30T05:00:00.000Z' },
      ],
    });
  });

  it('takes {items: [...]} with every optional field', () => {
    const item = {
      repository: 'acme/churn-model',
      criterionKey: 'testing.feature_tests',
      passed: false,
      url: 'https://ci.example.com/builds/9',
      commitSha: 'ABCDEF1',
      observedAt: '2026-11-29T23:00:00+01:00',
    };
    expect(
      normalizeDelivery('generic', 'evidence.reported', 'm', envelope({ items: [item] })),
    ).toEqual({
      kind: 'reported',
      items: [{ ...item, commitSha: 'abcdef1', observedAt: '2026-11-29T22:00:00.000Z' }],
    });
  });

  it.each([
    [{ teamId: 't', signal: 's' }, 'passed must be true or false'],
    [{ teamId: 't', signal: 's', passed: 'yes' }, 'passed must be true or false'],
    [{ signal: 's', passed: true }, 'teamId or repository is required'],
    [{ teamId: 't', passed: true }, 'criterionKey or signal is required'],
    [
      { teamId: 't', signal: 's', passed: true, observedAt: '2026-02-30T00:00:00Z' },
      'observedAt is not valid',
    ],
    [{ teamId: 't', signal: 's', passed: true, url: 'javascript:alert(1)' }, 'url is not valid'],
    [{ teamId: 7, signal: 's', passed: true }, 'teamId is not valid'],
  ])('refuses the item %j: %s', (item, reason) => {
    expect(normalizeDelivery('generic', 'evidence.reported', 'm', envelope(item))).toEqual({
      kind: 'unsupported',
      reason,
    });
  });

  it('names the bad item in a list, and refuses empty, oversized and shapeless data', () => {
    const good = { teamId: 't', signal: 's', passed: true };
    expect(
      normalizeDelivery('generic', 'evidence.reported', 'm', envelope({ items: [good, 3] })),
    ).toEqual({
      kind: 'unsupported',
      reason: 'data.items[1]: an evidence item must be an object',
    });
    expect(
      normalizeDelivery('generic', 'evidence.reported', 'm', envelope({ items: [] })).kind,
    ).toBe('unsupported');
    expect(
      normalizeDelivery(
        'generic',
        'evidence.reported',
        'm',
        envelope({ items: Array(101).fill(good) }),
      ),
    ).toEqual({ kind: 'unsupported', reason: 'data.items has more than 100 items' });
    for (const data of [undefined, null, [good], 'x', { items: 'x' }]) {
      expect(normalizeDelivery('generic', 'evidence.reported', 'm', envelope(data))).toEqual({
        kind: 'unsupported',
        reason: 'data must be one evidence item or {items: [...]}',
      });
    }
  });

  it('answers a ping and refuses other types', () => {
    expect(normalizeDelivery('generic', 'ping', 'm', { type: 'ping' })).toEqual({ kind: 'ping' });
    expect(normalizeDelivery('generic', 'invoice.paid', 'm', { type: 'invoice.paid' }).kind).toBe(
      'unsupported',
    );
  });
});

describe('normalizeDelivery: limits', () => {
  it('cuts a huge name to 256 characters and drops a huge ref, id, sha or url', () => {
    const body = structuredClone(githubExamples('workflow_job')[1]);
    Object.assign(body.workflow_job as Record<string, unknown>, {
      name: 'n'.repeat(1_000_000),
      head_branch: 'b'.repeat(300),
      id: 'i'.repeat(200),
      head_sha: 'not a sha',
      html_url: `https://x/${'u'.repeat(3000)}`,
      started_at: 'yesterday',
    });
    const [run] = runsOf(normalizeDelivery('github', 'workflow_job', 'd', body));
    expect(run.name).toBe('n'.repeat(256));
    expect([run.ref, run.runId, run.commitSha, run.url, run.startedAt]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('takes at most 500 builds from one Pipeline Hook', () => {
    const body = gitlabFixture('gitlab-pipeline-hook');
    const build = (body.builds as unknown[])[0];
    body.builds = Array(600).fill(build);
    expect(runsOf(normalizeDelivery('gitlab', 'Pipeline Hook', 'g', body))).toHaveLength(501);
  });
});
