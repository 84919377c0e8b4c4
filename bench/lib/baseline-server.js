'use strict';
// The baselines: what a raw node:http server does per request with no framework, in the same
// process layout as our service (run as a child process of bench/run.js so it gets a CPU of its
// own). It answers the same paths as our service:
//
// - GET /v1/organizations/{orgId}/teams: the same RLS-correct tenant read as ours, in ONE round
//   trip. It verifies the HS256 access token exactly as our service does (jsonwebtoken, the same
//   key, issuer and audience), then sends one simple-protocol message through a `pg` pool that
//   logs in as the application role (mlops_app: not owner, superuser or BYPASSRLS, so row-level
//   security applies), which PostgreSQL runs as one implicit transaction: the tenant settings and
//   the membership and role check, then the teams SELECT (same columns, order and limit as our
//   API). Non-member: 404; role without teams:read: 403. BASELINE_TENANT_SQL picks how the first
//   part is written: `function` (default: app_enter_organization(), the statement our service
//   sends, so both servers ask PostgreSQL for the same work and the ratio measures what the
//   Node side costs) or `inline` (set_config x2 and the membership SELECT as two statements of
//   the message, which PostgreSQL must parse and plan on every request).
// - GET /v1/organizations/{orgId}/reports/trends?teamIds&from&to&interval: the same token check and
//   tenant entry, then the teams SELECT and the last-snapshot-per-bucket SELECT ours runs (our
//   repository's SQL text, from dist/), and the report built by the same pure library.
// - GET /health/ready: the readiness query ours runs (applied migrations), through the same pool.
// - anything else (GET /health/live): a tiny JSON answer, the hello baseline.
//
// Environment: BASELINE_DATABASE_URL (the application role), BASELINE_POOL_MAX, JWT_SECRET,
// JWT_ISSUER, JWT_AUDIENCE.
const http = require('node:http');
const { URLSearchParams } = require('node:url');
const { createSecretKey } = require('node:crypto');
const jwt = require('jsonwebtoken');
const { Pool, escapeLiteral } = require('pg');

const hello = JSON.stringify({ status: 'ok' });
const TEAMS_PATH = /^\/v1\/organizations\/([0-9a-fA-F-]{36})\/teams$/;
const TRENDS_PATH = /^\/v1\/organizations\/([0-9a-fA-F-]{36})\/reports\/trends(\?.*)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEAMS_READ_ROLES = ['owner', 'admin', 'assessor', 'member', 'viewer'];
const INLINE = process.env.BASELINE_TENANT_SQL === 'inline';
const PAGE = 50;

const pool = process.env.BASELINE_DATABASE_URL
  ? new Pool({
      connectionString: process.env.BASELINE_DATABASE_URL,
      max: Number(process.env.BASELINE_POOL_MAX ?? 10),
      options: '-c role=mlops_app',
    })
  : undefined;
pool?.on('error', () => undefined);
const key = process.env.JWT_SECRET ? createSecretKey(Buffer.from(process.env.JWT_SECRET)) : null;
const verifyOptions = {
  algorithms: ['HS256'],
  issuer: process.env.JWT_ISSUER,
  audience: process.env.JWT_AUDIENCE,
};

function send(response, status, payload, type = 'application/json; charset=utf-8') {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

function problem(response, status, title) {
  send(response, status, { type: 'about:blank', title, status }, 'application/problem+json');
}

/** The caller's user id from the access token, or null (the answer is then sent). */
function verifiedUser(request, response, organizationId) {
  const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  let userId;
  try {
    userId = jwt.verify(bearer ?? '', key, verifyOptions).sub;
  } catch {
    problem(response, 401, 'Unauthorized');
    return null;
  }
  if (!UUID.test(userId ?? '') || !UUID.test(organizationId)) {
    problem(response, 404, 'Not Found');
    return null;
  }
  return userId;
}

/**
 * One message, simple protocol: PostgreSQL runs it as one implicit transaction, so the
 * transaction-local settings hold for the membership check and the reads. Resolves with the
 * results of `reads` (one per statement), or null once a 404/403 is sent.
 */
async function enterAndRead(response, org, user, reads) {
  if (INLINE) {
    const results = await pool.query(
      `SELECT set_config('app.organization_id', ${org}, true), set_config('app.user_id', ${user}, true);
       SELECT m.role::text AS role FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.organization_id = ${org} AND m.user_id = ${user} AND o.deleted_at IS NULL;
       ${reads.join(';\n')}`,
    );
    const role = results[1].rows[0]?.role;
    if (!role) return (problem(response, 404, 'Not Found'), null);
    if (!TEAMS_READ_ROLES.includes(role)) return (problem(response, 403, 'Forbidden'), null);
    return results.slice(2);
  }
  try {
    const results = await pool.query(
      `SELECT app_enter_organization(${org}, ${user}, '${TEAMS_READ_ROLES.join(',')}', '') AS role;
       ${reads.join(';\n')}`,
    );
    return results.slice(1);
  } catch (error) {
    if (error.code === 'MM404') return (problem(response, 404, 'Not Found'), null);
    if (error.code === 'MM403') return (problem(response, 403, 'Forbidden'), null);
    throw error;
  }
}

async function teams(request, response, organizationId) {
  const userId = verifiedUser(request, response, organizationId);
  if (!userId) return;
  const org = escapeLiteral(organizationId.toLowerCase());
  const results = await enterAndRead(response, org, escapeLiteral(userId), [
    `SELECT id, name, slug, created_at, updated_at FROM teams
      WHERE organization_id = ${org} ORDER BY created_at DESC, id DESC LIMIT ${PAGE + 1}`,
  ]);
  if (!results) return;
  const rows = results[0].rows;
  const items = rows.slice(0, PAGE).map((row) => ({
    id: row.id,
    name: row.name,
    slug: row.slug,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > PAGE
      ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString('base64url')
      : null;
  send(response, 200, { items, nextCursor });
}

let reportsLibrary;
let reportsRepository;
/**
 * As ours: two messages (each the tenant entry and one read): the teams, then their snapshots with
 * the SQL our repository writes (from dist/), so both do the same database work.
 */
async function trends(request, response, organizationId, search) {
  const userId = verifiedUser(request, response, organizationId);
  if (!userId) return;
  reportsLibrary ??= require('../../dist/libs/reports/src');
  reportsRepository ??=
    new (require('../../dist/apps/api/src/modules/reports/reports.repository').ReportsRepository)();
  const query = new URLSearchParams(search ?? '');
  const teamIds = query.get('teamIds')?.split(',');
  const to = new Date(query.get('to') ?? Date.now());
  const from = new Date(query.get('from') ?? to.getTime() - 365 * 86_400_000);
  const interval = query.get('interval') ?? 'month';
  const buckets = reportsLibrary.trendBuckets(from, to, interval);
  const org = escapeLiteral(organizationId.toLowerCase());
  const user = escapeLiteral(userId);
  const teamFilter = teamIds
    ? `AND id IN (${teamIds.map((id) => `${escapeLiteral(id)}::uuid`).join(',')})`
    : '';
  const teamsResult = await enterAndRead(response, org, user, [
    `SELECT id::text AS id, name FROM teams WHERE organization_id = ${org} ${teamFilter} ORDER BY name, id`,
  ]);
  if (!teamsResult) return;
  const teams = teamsResult[0].rows;
  const read = reportsRepository.lastPerBucket(organizationId.toLowerCase(), {
    teamIds: teams.map((team) => team.id),
    bucketStarts: buckets.map((bucket) => bucket.start),
    to,
    dimensions: undefined,
    overall: true,
  });
  const snapshots = teams.length
    ? await enterAndRead(response, org, user, [read.sql.text])
    : [{ rows: [] }];
  if (!snapshots) return;
  const rows = snapshots[0].rows.map(read.map);
  const series = [...new Set(rows.map((row) => row.dimensionKey).filter((key) => key !== null))]
    .sort()
    .concat('overall');
  const report = reportsLibrary.buildTrendReport({
    interval,
    from,
    to,
    buckets,
    teams,
    series,
    points: rows.map((row) => ({
      teamId: row.teamId,
      series: row.dimensionKey ?? 'overall',
      bucket: row.bucket,
      score: row.score,
      level: row.level,
    })),
  });
  send(response, 200, report);
}

async function ready(response) {
  const { rows } = await pool.query(
    `SELECT migration_name FROM _prisma_migrations
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  send(response, 200, {
    status: 'ok',
    checks: [
      { name: 'database', ok: true },
      { name: 'migrations', ok: rows.length > 0 },
    ],
  });
}

const server = http.createServer((request, response) => {
  const url = request.url ?? '/';
  const match = pool ? TEAMS_PATH.exec(url) : null;
  const trendsMatch = pool ? TRENDS_PATH.exec(url) : null;
  const work = match
    ? teams(request, response, match[1])
    : trendsMatch
      ? trends(request, response, trendsMatch[1], trendsMatch[2])
      : pool && url === '/health/ready'
        ? ready(response)
        : null;
  if (!work) return send(response, 200, hello);
  work.catch(() => problem(response, 500, 'Internal Server Error'));
});
server.keepAliveTimeout = 72_000; // as Fastify's default, so connection reuse is alike
server.listen(0, '127.0.0.1', () => {
  process.send({ url: `http://127.0.0.1:${server.address().port}` });
});
process.on('message', (message) => {
  if (message === 'stop') {
    server.close(() => (pool ? pool.end() : Promise.resolve()).then(() => process.exit(0)));
    server.closeAllConnections();
  }
});
