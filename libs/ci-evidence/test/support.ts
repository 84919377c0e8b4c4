// Test support for libs/ci-evidence: real GitHub payloads, GitLab fixtures, a run builder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CiRunRecord, MappingConfig } from '../src';

interface WebhookExamples {
  name: string;
  examples: Record<string, unknown>[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const examples = require('@octokit/webhooks-examples') as WebhookExamples[];

/** The real payloads @octokit/webhooks-examples holds for one GitHub event. */
export function githubExamples(event: string): Record<string, unknown>[] {
  const found = examples.find((entry) => entry.name === event);
  if (!found) throw new Error(`no GitHub examples for ${event}`);
  return found.examples;
}

export function gitlabFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

export function run(overrides: Partial<CiRunRecord> = {}): CiRunRecord {
  return {
    provider: 'github',
    kind: 'job',
    deliveryId: 'd-1',
    event: 'workflow_job',
    repository: 'acme/churn-model',
    defaultBranch: 'main',
    commitSha: 'a'.repeat(40),
    ref: 'main',
    runId: '1',
    name: 'mlops:data-validation',
    status: 'completed',
    conclusion: 'success',
    environment: null,
    startedAt: '2026-11-20T09:00:00.000Z',
    finishedAt: '2026-11-20T09:05:00.000Z',
    url: 'https://github.com/acme/churn-model/actions/runs/1',
    ...overrides,
  };
}

export function config(overrides: Partial<MappingConfig> = {}): MappingConfig {
  return {
    criteria: [
      { key: 'data_management.schema_validation', ciSignal: 'mlops:data-validation' },
      { key: 'testing.feature_tests', ciSignal: 'mlops:feature-tests' },
      { key: 'experiment_tracking.training_logged', ciSignal: 'mlops:training-run-logged' },
      { key: 'deployment.cd_only', ciSignal: 'mlops:cd-only-deploy' },
    ],
    rules: [],
    branches: null,
    repositories: [],
    teamId: 'team-default',
    ...overrides,
  };
}
