'use strict';
// Readiness, which touches the database (applied migrations) on every call.
module.exports = {
  name: 'GET /health/ready',
  baseline: 'node:http + pg: the same applied-migrations query through a pool',
  request: { method: 'GET', path: '/health/ready' },
};
