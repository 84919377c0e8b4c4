'use strict';
// Issue 9's target: the public CI webhook ingest at >= 0.6x the raw baseline, p99 < 50 ms with 50
// connections. Every request is a signed GitHub `workflow_job` delivery (a real ~9 KB payload)
// with its own X-GitHub-Delivery, so each one is new: the integration's sealed secret is looked
// up by id and opened, the HMAC-SHA256 of the raw body checked in constant time, and the delivery
// row and its processing job (the outbox) inserted in one transaction before the 202.
const { randomUUID } = require('node:crypto');
const { ownerWithOrganization, post } = require('../lib/api');
const { githubHeaders, githubIntegration, workflowJob } = require('../lib/ci');

module.exports = {
  name: 'POST /v1/hooks/{integrationId} (signed GitHub workflow_job, new delivery each)',
  baseline:
    'node:http + pg: the body read and parsed, the sealed secret looked up by id through ' +
    'app_integration_for_ingest() (one round trip) and opened (AES-256-GCM, same key), ' +
    'HMAC-SHA256 of the raw body compared with timingSafeEqual, then one simple-protocol message ' +
    'as mlops_app (one implicit transaction): the tenant setting, the delivery INSERT ... ON ' +
    'CONFLICT DO NOTHING and the pg-boss job row for it; 202',
  request: { method: 'POST', path: '/' },
  async setup({ url }) {
    const owner = await ownerWithOrganization(url, 'ingest');
    const team = await post(url, `${owner.org}/teams`, { name: 'CI', slug: 'ci' }, owner.token);
    const integration = await githubIntegration(url, owner, team.id);
    const body = JSON.stringify(workflowJob('mlops:dependency-lock (ubuntu)'));
    // Unique per request, across both servers and every repeat: a delivery id GitHub would send.
    const prefix = randomUUID().slice(0, 8);
    let sequence = 0;
    return {
      path: `/v1/hooks/${integration.id}`,
      headers: githubHeaders(integration.secret, body),
      body,
      setupRequest: (request) => ({
        ...request,
        headers: { ...request.headers, 'x-github-delivery': `${prefix}-${++sequence}` },
      }),
      expectStatus: 202,
    };
  },
};
