'use strict';
// The first benchmark: readiness, which touches the database (applied migrations) on every call.
module.exports = {
  name: 'GET /health/ready',
  request: { method: 'GET', path: '/health/ready' },
};
