'use strict';
// Small HTTP helpers the benchmarks use to set up data through our public API (fetch, no test
// harness): a request that must succeed, and a signed-up owner with an organization.

/** Sends `body` as JSON; resolves with the parsed answer, throws on a non-2xx status. */
async function call(url, method, path, { body, token, headers = {} } = {}) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  }
  return response.status === 204 ? null : response.json();
}

const post = (url, path, body, token) => call(url, 'POST', path, { body, token });

/** A new user owning a new organization: { token, organizationId, org: '/v1/organizations/<id>' }. */
async function ownerWithOrganization(url, label = 'bench') {
  const suffix = Math.random().toString(36).slice(2, 10);
  const signup = await post(url, '/v1/auth/signup', {
    email: `${label}-${suffix}@example.com`,
    password: 'benchmark password 123',
    name: 'Bench',
  });
  const token = signup.accessToken;
  const organization = await post(
    url,
    '/v1/organizations',
    { name: 'Bench', slug: `${label}-${suffix}` },
    token,
  );
  return { token, organizationId: organization.id, org: `/v1/organizations/${organization.id}` };
}

module.exports = { call, post, ownerWithOrganization };
