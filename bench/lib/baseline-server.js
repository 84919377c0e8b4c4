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
//   tenant entry, then the teams SELECT and the series points SELECTs ours runs, one per 500
//   teams (our repository's SQL text, from dist/: for monthly and quarterly buckets it reads the
//   progress_snapshot_years roll-up and probes progress_snapshots only at the window's edges),
//   and the report streamed by the same pure library.
// - GET /health/ready: the readiness query ours runs (applied migrations), through the same pool.
// - POST /v1/hooks/{integrationId}: the CI webhook ingest for a GitHub delivery, in the fewest
//   round trips the work allows (two: the secret must be checked before anything is written).
//   The raw body is read and parsed as JSON (400 otherwise); the integration's sealed secret is
//   looked up through app_integration_for_ingest(), the SECURITY DEFINER lookup ours calls, and
//   opened with the same key (SecretBox from our build: plain node:crypto AES-256-GCM); the
//   HMAC-SHA256 of the raw body is compared with X-Hub-Signature-256 in constant time (401
//   otherwise); then one simple-protocol message (one implicit transaction) sets the tenant and
//   inserts the delivery (ON CONFLICT DO NOTHING on the dedupe key) and, in the same statement,
//   its pg-boss job row with the queue's policy, as pg-boss's own insert does; 202 (200 for a
//   duplicate).
// - anything else (GET /health/live): a tiny JSON answer, the hello baseline.
//
// Environment: BASELINE_DATABASE_URL (the application role), BASELINE_POOL_MAX, JWT_SECRET,
// JWT_ISSUER, JWT_AUDIENCE, SECRETS_KEY.
const http = require('node:http');
const path = require('node:path');
const { URLSearchParams } = require('node:url');
const { Readable } = require('node:stream');
const { createHmac, createSecretKey, timingSafeEqual } = require('node:crypto');
const jwt = require('jsonwebtoken');
const { Pool, escapeLiteral } = require('pg');

const hello = JSON.stringify({ status: 'ok' });
const TEAMS_PATH = /^\/v1\/organizations\/([0-9a-fA-F-]{36})\/teams$/;
const TRENDS_PATH = /^\/v1\/organizations\/([0-9a-fA-F-]{36})\/reports\/trends(\?.*)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEAMS_READ_ROLES = ['owner', 'admin', 'assessor', 'member', 'viewer'];
const INLINE = process.env.BASELINE_TENANT_SQL === 'inline';
const PAGE = 50;
const HOOKS_PATH = /^\/v1\/hooks\/([0-9a-fA-F-]{36})$/;
const PROCESS_DELIVERY_JOB = 'integrations.process-delivery';
const { SecretBox } = require(
  path.join(__dirname, '..', '..', 'dist', 'libs', 'database', 'src', 'secret-box.js'),
);
// As ours: the key derived from SECRETS_KEY (load() reads no database when it is given).
const secretBoxReady = process.env.SECRETS_KEY ? SecretBox.load(process.env.SECRETS_KEY, '') : null;

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

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

let jobTable;
/** The job table of the processing queue (pg-boss keeps it in pgboss.queue), read once. */
async function processDeliveryJobTable() {
  if (!jobTable) {
    const { rows } = await pool.query('SELECT table_name FROM pgboss.queue WHERE name = $1', [
      PROCESS_DELIVERY_JOB,
    ]);
    if (!/^[a-z0-9_]+$/.test(rows[0]?.table_name ?? '')) throw new Error('no job table');
    jobTable = rows[0].table_name;
  }
  return jobTable;
}

const REDACTED_HEADERS = new Set([
  'x-hub-signature-256',
  'x-hub-signature',
  'authorization',
  'cookie',
]);

async function hook(request, response, integrationId) {
  const rawBody = await readBody(request);
  try {
    JSON.parse(rawBody.toString('utf8'));
  } catch {
    return problem(response, 400, 'Bad Request');
  }
  const id = integrationId.toLowerCase();
  const { rows } = await pool.query(
    `SELECT organization_id, kind, secret_ciphertext FROM app_integration_for_ingest($1::uuid)`,
    [id],
  );
  const integration = rows[0];
  if (!integration || integration.kind !== 'github') return problem(response, 404, 'Not Found');
  const secretBox = await secretBoxReady;
  const secret = secretBox.open(integration.secret_ciphertext, `integration:${id}`);
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = /^sha256=([0-9a-f]{64})$/.exec(request.headers['x-hub-signature-256'] ?? '')?.[1];
  if (!given || !timingSafeEqual(expected, Buffer.from(given, 'hex'))) {
    return problem(response, 401, 'Unauthorized');
  }
  const deliveryId = request.headers['x-github-delivery'];
  if (typeof deliveryId !== 'string' || deliveryId === '') {
    return problem(response, 400, 'Bad Request');
  }
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => !REDACTED_HEADERS.has(name)),
  );
  const org = escapeLiteral(integration.organization_id);
  const table = await processDeliveryJobTable();
  const results = await pool.query(
    `SELECT set_config('app.organization_id', ${org}, true);
     WITH delivery AS (
       INSERT INTO webhook_deliveries
              (organization_id, integration_id, provider, event, provider_delivery_id, headers, raw_body)
       VALUES (${org}::uuid, ${escapeLiteral(id)}::uuid, 'github', ${escapeLiteral(String(request.headers['x-github-event'] ?? ''))},
               ${escapeLiteral(deliveryId)}, ${escapeLiteral(JSON.stringify(headers))}::jsonb,
               '\\x${rawBody.toString('hex')}'::bytea)
       ON CONFLICT (organization_id, integration_id, provider_delivery_id) DO NOTHING
       RETURNING id),
     job AS (
       INSERT INTO pgboss.${table}
              (id, name, data, priority, start_after, created_on, expire_seconds, deletion_seconds,
               keep_until, retry_limit, retry_delay, retry_backoff, retry_delay_max, policy,
               dead_letter, heartbeat_seconds)
       SELECT gen_random_uuid(), q.name,
              jsonb_build_object('organizationId', ${org}, 'deliveryId', delivery.id), 0, now(),
              now(), q.expire_seconds, q.deletion_seconds,
              now() + q.retention_seconds * interval '1s', q.retry_limit, q.retry_delay,
              q.retry_backoff, q.retry_delay_max, q.policy, q.dead_letter, q.heartbeat_seconds
         FROM delivery JOIN pgboss.queue q ON q.name = '${PROCESS_DELIVERY_JOB}'
       RETURNING id)
     SELECT delivery.id FROM delivery, job`,
  );
  const stored = results[1].rows[0];
  if (!stored) return send(response, 200, { deliveryId, duplicate: true, status: 'received' });
  send(response, 202, { deliveryId: stored.id, duplicate: false, status: 'received' });
}

let reportsLibrary;
let repositoryModule;
let reportsRepository;
/**
 * As ours: two messages (each the tenant entry and one read): the teams, then their snapshots with
 * the SQL our repository writes (from dist/), so both do the same database work.
 */
async function trends(request, response, organizationId, search) {
  const userId = verifiedUser(request, response, organizationId);
  if (!userId) return;
  reportsLibrary ??= require('../../dist/libs/reports/src');
  repositoryModule ??= require('../../dist/apps/api/src/modules/reports/reports.repository');
  reportsRepository ??= new repositoryModule.ReportsRepository();
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
  const reads = reportsRepository.lastPoints(organizationId.toLowerCase(), {
    teams: teamIds ? { named: teamIds } : { all: teams.map((team) => team.id) },
    interval,
    buckets,
    from,
    to,
    dimensions: undefined,
    overall: true,
  });
  const lastPoints = new reportsLibrary.LastPointPerBucket(buckets);
  for (const read of reads) {
    const points = await enterAndRead(response, org, user, [read.sql.text]);
    if (!points) return;
    repositoryModule.collectLastPoints(points[0].rows.map(read.map), lastPoints);
  }
  const series = lastPoints
    .seriesKeys()
    .filter((key) => key !== 'overall')
    .sort()
    .concat('overall');
  // Streamed a team at a time, as ours streams it (the same library).
  const chunks = reportsLibrary.trendReportJsonChunks({
    interval,
    from,
    to,
    buckets,
    teams,
    series,
    lastPoints,
  });
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  Readable.from(chunks, { objectMode: false }).pipe(response);
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
  const hookMatch = pool && request.method === 'POST' ? HOOKS_PATH.exec(url) : null;
  const trendsMatch = pool ? TRENDS_PATH.exec(url) : null;
  const work = match
    ? teams(request, response, match[1])
    : hookMatch
      ? hook(request, response, hookMatch[1])
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
