import fc from 'fast-check';
import { config, githubExamples, gitlabFixture } from '../test/support';
import {
  type CiProvider,
  type CiRunKind,
  type CiRunRecord,
  deliveryIdOf,
  eventOf,
  mapReportedEvidence,
  mapRunsToEvidence,
  newWebhookSecret,
  normalizeDelivery,
  redactHeaders,
  signStandardWebhook,
  verdictOf,
  verifyGithubSignature,
  verifyGitlabToken,
  verifyStandardWebhook,
} from './index';

const EVENTS: [CiProvider, string][] = [
  ['github', 'ping'],
  ['github', 'workflow_run'],
  ['github', 'workflow_job'],
  ['github', 'check_run'],
  ['github', 'deployment_status'],
  ['gitlab', 'Pipeline Hook'],
  ['gitlab', 'Job Hook'],
  ['gitlab', 'Deployment Hook'],
  ['generic', 'evidence.reported'],
];
const REAL: [CiProvider, string, unknown][] = [
  ...['workflow_run', 'workflow_job', 'check_run', 'deployment_status'].flatMap((event) =>
    githubExamples(event).map((body) => ['github', event, body] as [CiProvider, string, unknown]),
  ),
  ['gitlab', 'Pipeline Hook', gitlabFixture('gitlab-pipeline-hook')],
  ['gitlab', 'Job Hook', gitlabFixture('gitlab-job-hook')],
  ['gitlab', 'Deployment Hook', gitlabFixture('gitlab-deployment-hook')],
];
const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.anything(),
  fc.constantFrom(null, [], {}, '', 'x'.repeat(100_000), -1, 1e308, Number.NaN, true),
);

/** A real payload with one key (at any depth) replaced by a hostile value. */
function mutate(body: unknown, path: number[], value: unknown): unknown {
  const copy = structuredClone(body);
  let node = copy as Record<string, unknown>;
  for (const step of path) {
    const keys = node && typeof node === 'object' ? Object.keys(node) : [];
    if (keys.length === 0) break;
    const key = keys[step % keys.length];
    if (node[key] === null || typeof node[key] !== 'object' || step % 3 === 0) {
      node[key] = value;
      return copy;
    }
    node = node[key] as Record<string, unknown>;
  }
  return value;
}

function expectSane(result: ReturnType<typeof normalizeDelivery>): void {
  expect(['ping', 'runs', 'reported', 'unsupported']).toContain(result.kind);
  if (result.kind === 'unsupported') expect(result.reason.length).toBeGreaterThan(0);
  if (result.kind === 'runs') {
    for (const run of result.runs) {
      expect(typeof run.name).toBe('string');
      expect(run.name.length).toBeLessThanOrEqual(256);
      for (const date of [run.startedAt, run.finishedAt]) {
        if (date !== null) expect(new Date(date).toISOString()).toBe(date);
      }
      expect(() => verdictOf(run)).not.toThrow();
    }
    expect(() => mapRunsToEvidence(result.runs, config())).not.toThrow();
  }
  if (result.kind === 'reported') {
    expect(() =>
      mapReportedEvidence(result.items, { ...config(), knownTeamIds: new Set(['t']) }),
    ).not.toThrow();
  }
}

describe('hostile input never throws', () => {
  it('normalizeDelivery on random JSON for every supported event', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EVENTS), hostileValue, ([provider, event], body) => {
        expectSane(normalizeDelivery(provider, event, 'd', body));
      }),
      { numRuns: 500 },
    );
  });

  it('normalizeDelivery on real payloads with one field replaced by garbage', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REAL),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        hostileValue,
        ([provider, event, body], path, value) => {
          expectSane(normalizeDelivery(provider, event, 'd', mutate(body, path, value)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('normalizeDelivery with random event names and providers', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<CiProvider>('github', 'gitlab', 'generic'),
        fc.option(fc.string()),
        hostileValue,
        (provider, event, body) => {
          expectSane(normalizeDelivery(provider, event, 'd', body));
        },
      ),
    );
  });

  it('header helpers and signature checks on random headers', () => {
    const headers = fc.dictionary(fc.string(), fc.option(fc.string(), { nil: undefined }));
    fc.assert(
      fc.property(headers, fc.string(), fc.uint8Array(), (random, text, bytes) => {
        for (const provider of ['github', 'gitlab', 'generic'] as const) {
          deliveryIdOf(provider, random);
          eventOf(provider, random, text);
        }
        const redacted = redactHeaders(random);
        expect(Object.keys(redacted).some((name) => /token|secret|signature/i.test(name))).toBe(
          false,
        );
        expect(verifyGithubSignature('secret', Buffer.from(bytes), text)).toBe(false);
        expect(verifyGitlabToken('secret-token-that-is-long', text)).toBe(false);
        expect(
          verifyStandardWebhook(
            newWebhookSecret('generic'),
            Buffer.from(bytes),
            { id: text, timestamp: text, signature: text },
            new Date(),
          ),
        ).not.toBe('ok');
      }),
    );
  });
});

describe('Standard Webhooks properties', () => {
  const secret = newWebhookSecret('generic');
  const now = new Date('2026-11-30T06:00:00Z');

  it('what is signed verifies; any one changed byte does not', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).filter((id) => !id.includes(' ')),
        fc.string({ unit: 'binary', minLength: 1 }),
        fc.integer({ min: -300, max: 300 }),
        fc.nat(),
        (id, text, skew, at) => {
          const body = Buffer.from(text);
          const sentAt = new Date(now.getTime() + skew * 1000);
          const headers = {
            id,
            timestamp: String(Math.floor(sentAt.getTime() / 1000)),
            signature: signStandardWebhook(secret, id, sentAt, body),
          };
          expect(verifyStandardWebhook(secret, body, headers, now)).toBe('ok');
          const changed = Buffer.from(body);
          changed[at % changed.length] ^= 0x01;
          expect(verifyStandardWebhook(secret, changed, headers, now)).toBe('bad_signature');
        },
      ),
    );
  });
});

describe('mapping properties', () => {
  const runArb: fc.Arbitrary<CiRunRecord> = fc.record({
    provider: fc.constantFrom<CiProvider>('github', 'gitlab'),
    kind: fc.constantFrom<CiRunKind>('workflow_run', 'job', 'check', 'pipeline', 'deployment'),
    deliveryId: fc.constant('d'),
    event: fc.constant('e'),
    repository: fc.option(fc.constantFrom('acme/ml-churn', 'acme/web', 'other/x')),
    defaultBranch: fc.option(fc.constantFrom('main', 'master', 'trunk')),
    commitSha: fc.constant(null),
    ref: fc.option(fc.constantFrom('main', 'master', 'trunk', 'release/1', 'feature/x')),
    runId: fc.option(fc.string()),
    name: fc.oneof(
      fc.constantFrom('mlops:data-validation', 'mlops:feature-tests (3.12)', 'build', 'deploy'),
      fc.string({ maxLength: 256 }),
    ),
    status: fc.option(fc.constantFrom('completed', 'queued', 'success', 'failed', 'running')),
    conclusion: fc.option(fc.constantFrom('success', 'failure', 'cancelled', 'skipped', 'weird')),
    environment: fc.constant(null),
    startedAt: fc.constant(null),
    finishedAt: fc.constant(null),
    url: fc.constant(null),
  });
  const ruleArb = fc.record({
    match: fc.oneof(
      fc.constantFrom('^build$', 'deploy', '(a+)+$', '(', '.*'),
      fc.string({ maxLength: 20 }),
    ),
    criterionKey: fc.constantFrom('testing.feature_tests', 'deployment.cd_only', 'unknown.key'),
  });

  it('never throws; evidence only for known criteria, once per (team, criterion) per run; ignored iff no evidence', () => {
    fc.assert(
      fc.property(
        fc.array(runArb, { maxLength: 8 }),
        fc.array(ruleArb, { maxLength: 4 }),
        fc.option(fc.array(fc.constantFrom('main', 'release/*', '**'), { maxLength: 2 })),
        (runs, rules, branches) => {
          const settings = config({
            rules,
            branches,
            repositories: [{ pattern: 'acme/ml-*', teamId: 'team-ml' }],
          });
          const outcome = mapRunsToEvidence(runs, settings);
          const keys = new Set(settings.criteria.map((criterion) => criterion.key));
          const seen = new Set<string>();
          for (const item of outcome.evidence) {
            expect(keys.has(item.criterionKey)).toBe(true);
            const id = `${runs.indexOf(item.run)}|${item.teamId}|${item.criterionKey}`;
            expect(seen.has(id)).toBe(false);
            seen.add(id);
            expect(verdictOf(item.run)).toEqual({ evidence: true, passed: item.passed });
          }
          expect(outcome.ignored === null).toBe(outcome.evidence.length > 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
