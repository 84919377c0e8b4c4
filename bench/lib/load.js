'use strict';
// One autocannon measurement: a warm-up run (discarded), then the measured run.
const autocannon = require('autocannon');

function once(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * @param {string} url base URL of the server
 * @param {{method?: string, path: string, headers?: object, body?: string}} request
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
  };
  if (settings.warmupS > 0) await once({ ...options, duration: settings.warmupS });
  const result = await once({ ...options, duration: settings.durationS });
  const failed = result.errors + result.timeouts + result.non2xx;
  return {
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    failed,
  };
}

module.exports = { measure };
