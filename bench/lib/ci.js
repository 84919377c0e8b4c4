'use strict';
// GitHub webhook deliveries for the CI-evidence benchmarks (ingest scenario, drain, crash test):
// a real `workflow_job` payload (from @octokit/webhooks-examples), signed as GitHub signs it.
const { createHmac } = require('node:crypto');
const examples = require('@octokit/webhooks-examples');
const path = require('node:path');
const { call, post } = require('./api');

const { builtinVersionId } = require(
  path.join(__dirname, '..', '..', 'dist', 'libs', 'database', 'src', 'builtin-catalogue.js'),
);

/** A completed `workflow_job` named `name` (a criterion's ciSignal makes it evidence). */
function workflowJob(name, conclusion = 'success') {
  const example = examples
    .find((entry) => entry.name === 'workflow_job')
    .examples.find((e) => e.action === 'completed' && e.workflow_job.conclusion === 'success');
  const payload = JSON.parse(JSON.stringify(example));
  payload.workflow_job.name = name;
  payload.workflow_job.conclusion = conclusion;
  payload.workflow_job.head_branch = payload.repository.default_branch;
  payload.workflow_job.completed_at = new Date().toISOString();
  return payload;
}

/** GitHub's `X-Hub-Signature-256`: `sha256=<hex HMAC-SHA256(secret, raw body)>`. */
function githubSignature(secret, body) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The headers of one signed delivery of `body` (GitHub signs the body only, not the id). */
function githubHeaders(secret, body, deliveryId) {
  return {
    'content-type': 'application/json',
    'x-github-event': 'workflow_job',
    'x-hub-signature-256': githubSignature(secret, body),
    ...(deliveryId ? { 'x-github-delivery': deliveryId } : {}),
  };
}

/** A team of the organization with a submitted assessment on the built-in model. */
async function assessedTeam(url, owner, slug) {
  const team = await post(url, `${owner.org}/teams`, { name: slug, slug }, owner.token);
  const draft = await post(
    url,
    `${owner.org}/teams/${team.id}/assessments`,
    { modelVersionId: builtinVersionId('mlops-maturity', 1) },
    owner.token,
  );
  const answered = await call(url, 'PUT', `${owner.org}/assessments/${draft.id}/answers`, {
    token: owner.token,
    headers: { 'if-match': draft.etag },
    body: {
      answers: [
        { criterionKey: 'version_control.code_in_git', status: 'met' },
        { criterionKey: 'version_control.pinned_dependencies', status: 'not_met' },
      ],
    },
  });
  await call(url, 'POST', `${owner.org}/assessments/${draft.id}/submit`, {
    token: owner.token,
    headers: { 'if-match': answered.etag },
  });
  return team.id;
}

/** A GitHub integration that maps every run to `teamId`: { id, secret }. */
function githubIntegration(url, owner, teamId, name = 'GitHub Actions') {
  return post(url, `${owner.org}/integrations`, { kind: 'github', name, teamId }, owner.token);
}

/** CI job names that prove criteria of the built-in model (their ciSignal), to vary evidence. */
const SIGNALS = [
  'mlops:dependency-lock (ubuntu)',
  'mlops:source-commit',
  'mlops:pull-request-review',
  'mlops:environment-build',
];

/**
 * The deliveries the drain and crash benchmarks send: `count` of them, round robin over the
 * integrations, each job name and conclusion varying so scores really change. Each is
 * { integrationId, deliveryId (X-GitHub-Delivery), body, headers }.
 */
function deliveries(integrations, count, label = 'bench') {
  const bodies = SIGNALS.flatMap((name) =>
    ['success', 'failure'].map((conclusion) => JSON.stringify(workflowJob(name, conclusion))),
  );
  return Array.from({ length: count }, (_, index) => {
    const integration = integrations[index % integrations.length];
    const body = bodies[Math.floor(index / integrations.length) % bodies.length];
    const deliveryId = `${label}-${index}`;
    return {
      integrationId: integration.id,
      deliveryId,
      body,
      headers: githubHeaders(integration.secret, body, deliveryId),
    };
  });
}

/**
 * Posts every delivery to `url` with `connections` requests in flight; resolves with one entry per
 * delivery: { delivery, status (0 when the connection failed), body }. Never throws for one
 * request (the crash test expects some to fail); `shouldStop()` ends the run early.
 */
async function sendDeliveries(url, list, connections, shouldStop = () => false) {
  const results = new Array(list.length);
  let next = 0;
  async function lane() {
    while (next < list.length && !shouldStop()) {
      const index = next++;
      const delivery = list[index];
      try {
        const response = await fetch(`${url}/v1/hooks/${delivery.integrationId}`, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
        });
        results[index] = { delivery, status: response.status, body: await response.json() };
      } catch (error) {
        results[index] = { delivery, status: 0, body: String(error) };
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, lane));
  return results.filter(Boolean);
}

/** Runs `work(item)` for each item with at most `parallel` at once; resolves with the results. */
async function inParallel(items, parallel, work) {
  const results = new Array(items.length);
  let next = 0;
  async function lane() {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, lane));
  return results;
}

module.exports = {
  workflowJob,
  githubSignature,
  githubHeaders,
  assessedTeam,
  githubIntegration,
  deliveries,
  sendDeliveries,
  inParallel,
};
