'use strict';
// The framework's own cost: a trivial route with no I/O (what "Fastify vs Express" measured).
module.exports = {
  name: 'GET /health/live',
  baseline: 'node:http answering a tiny JSON (the hello baseline)',
  request: { method: 'GET', path: '/health/live' },
};
