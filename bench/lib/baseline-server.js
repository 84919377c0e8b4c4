'use strict';
// The baseline: the least work a Node HTTP server can do per request (node:http, a tiny JSON
// body). Run as a child process of bench/run.js so it gets a CPU of its own, like our app.
const http = require('node:http');

const body = JSON.stringify({ status: 'ok' });
const server = http.createServer((_request, response) => {
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
});
server.keepAliveTimeout = 72_000; // as Fastify's default, so connection reuse is alike
server.listen(0, '127.0.0.1', () => {
  process.send({ url: `http://127.0.0.1:${server.address().port}` });
});
process.on('message', (message) => {
  if (message === 'stop') {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  }
});
