'use strict';
// One autocannon measurement: a warm-up run (discarded), then the measured run.
const autocannon = require('autocannon');

function once(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * `request.setupRequest(request)`, when given, makes each request (autocannon calls it per
 * request: e.g. a unique delivery id); `request.expectStatus`, when given, counts every other
 * status as failed (a duplicate answered 200 is not the work being measured).
 *
 * @param {string} url base URL of the server
 * @param {{method?: string, path: string, headers?: object, body?: string,
 *   setupRequest?: (request: object) => object, expectStatus?: number}} request
 * @param {{connections: number, durationS: number, warmupS: number}} settings
 */
async function measure(url, request, settings) {
  const options = {
    url: new URL(request.path, url).toString(),
    method: request.method ?? 'GET',
    headers: request.headers,
    body: request.body,
    connections: settings.connections,
    pipelining: 1,
    ...(request.setupRequest ? { requests: [{ setupRequest: request.setupRequest }] } : {}),
  };
  if (settings.warmupS > 0) await once({ ...options, duration: settings.warmupS });
  const result = await once({ ...options, duration: settings.durationS });
  const expected = request.expectStatus
    ? result.requests.total - (result.statusCodeStats[request.expectStatus]?.count ?? 0)
    : result.non2xx;
  const failed = result.errors + result.timeouts + Math.max(expected, result.non2xx);
  return {
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    failed,
  };
}

module.exports = { measure };
