'use strict';
// Issue 8's target: an authenticated tenant read at >= 0.5x the raw baseline, p99 < 50 ms with 50
// connections. Every request verifies a JWT, checks the caller's membership and role in the
// organization and lists teams under row-level security, the membership check and the tenant
// setting in the same transaction as the read. The baseline (bench/lib/baseline-server.js) does the
// same in one simple-protocol message.

const { ownerWithOrganization, post } = require('../lib/api');

module.exports = {
  name: 'GET /v1/organizations/{orgId}/teams (JWT, membership, RLS transaction)',
  baseline:
    'node:http + pg: JWT verified (jsonwebtoken, same key), then one simple-protocol message as ' +
    'mlops_app, one implicit transaction: ' +
    (process.env.BASELINE_TENANT_SQL === 'inline'
      ? 'set_config x2; the membership SELECT; '
      : 'app_enter_organization() (tenant settings + membership and role check, the statement ours sends); ') +
    'the teams SELECT with our columns, order and limit',
  request: { method: 'GET', path: '/' },
  async setup({ url }) {
    const { token, organizationId } = await ownerWithOrganization(url);
    for (let index = 0; index < 10; index++) {
      await post(
        url,
        `/v1/organizations/${organizationId}/teams`,
        { name: `Team ${index}`, slug: `team-${index}` },
        token,
      );
    }
    return {
      path: `/v1/organizations/${organizationId}/teams`,
      headers: { authorization: `Bearer ${token}` },
    };
  },
};
