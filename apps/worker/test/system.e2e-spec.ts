import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { projectRoot } from '@app/common/project-root';
import { builtinVersionId } from '@app/database/builtin-catalogue';
import { TEST_JWT_SECRET } from '../../api/test/support/test-app';
import { createTestDatabase, TestDatabase, withClient } from '../../api/test/support/test-database';

/**
 * The service past one process: two API processes and one worker, each a real `node` process of
 * the built service, against one PostgreSQL. Mixed traffic at both APIs must behave as if there
 * were one: throttles count across both, idempotent creates make one row, each job runs once.
 */
interface ServiceProcess {
  child: ChildProcess;
  url?: string;
  output: string[];
}

const root = projectRoot();
const ACCOUNT_FAILURES_ALLOWED = 4;
const AUTH_REQUESTS_PER_ADDRESS = 12;

function startProcess(entry: string, env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [join(root, 'dist', entry)], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const started: ServiceProcess = { child, output: [] };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${entry} did not start:\n${started.output.join('')}`)),
      60_000,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      started.output.push(text);
      const listening = /API listening on (http:\/\/\S+)/.exec(text);
      if (listening || /worker started/.test(text)) {
        clearTimeout(timer);
        started.url = listening?.[1];
        resolve(started);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${started.output.join('')}`));
    });
  });
}

function stopProcess(service: ServiceProcess | undefined): Promise<void> {
  if (!service || service.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    service.child.once('exit', () => resolve());
    service.child.kill('SIGTERM');
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('two API processes and a worker on one PostgreSQL', () => {
  let database: TestDatabase;
  const apis: ServiceProcess[] = [];
  let worker: ServiceProcess | undefined;
  let processEnv: Record<string, string>;
  const api = (index: number) => request(apis[index % 2]!.url!);

  beforeAll(async () => {
    // The processes run the built service, exactly as `npm start` would.
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' });
    database = await createTestDatabase();
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.applicationUrl,
      DATABASE_MIGRATION_URL: database.migrationUrl,
      DATABASE_POOL_MAX: '4',
      JWT_SECRET: TEST_JWT_SECRET,
      JOB_POLLING_INTERVAL_SECONDS: '1',
      AUTH_RATE_LIMIT_PER_IP: String(AUTH_REQUESTS_PER_ADDRESS),
      AUTH_RATE_LIMIT_PER_ACCOUNT: String(ACCOUNT_FAILURES_ALLOWED),
    };
    processEnv = env;
    apis.push(await startProcess('apps/api/src/main.js', { ...env, PROCESS_ROLE: 'api' }));
    apis.push(await startProcess('apps/api/src/main.js', { ...env, PROCESS_ROLE: 'api' }));
    worker = await startProcess('apps/worker/src/main.js', { ...env, PROCESS_ROLE: 'worker' });
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...apis, worker].map(stopProcess));
  });

  let owner: { auth: { Authorization: string }; email: string };
  let organizationId: string;

  it('signs up on one API and is signed in on the other', async () => {
    const email = `system-${Date.now()}@example.com`;
    const password = 'correct horse battery staple';
    await api(0).post('/v1/auth/signup').send({ email, password, name: 'System' }).expect(201);
    const login = await api(1).post('/v1/auth/login').send({ email, password }).expect(200);
    owner = { auth: { Authorization: `Bearer ${login.body.accessToken}` }, email };
    const created = await api(1)
      .post('/v1/organizations')
      .set(owner.auth)
      .send({ name: 'System', slug: `system-${Date.now()}` })
      .expect(201);
    organizationId = created.body.id;
    await api(0).get(`/v1/organizations/${organizationId}`).set(owner.auth).expect(200);
  });

  it('counts failed sign-ins across both APIs', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < ACCOUNT_FAILURES_ALLOWED + 2; attempt += 1) {
      const response = await api(attempt)
        .post('/v1/auth/login')
        .send({ email: owner.email, password: 'wrong password, again' });
      statuses.push(response.status);
    }
    // One process alone would allow ACCOUNT_FAILURES_ALLOWED at each API before refusing.
    expect(statuses.slice(0, ACCOUNT_FAILURES_ALLOWED)).toEqual(
      Array(ACCOUNT_FAILURES_ALLOWED).fill(401),
    );
    expect(statuses.slice(ACCOUNT_FAILURES_ALLOWED)).toEqual([429, 429]);
  });

  it('counts requests per address to an auth route across both APIs', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < AUTH_REQUESTS_PER_ADDRESS + 2; attempt += 1) {
      const response = await api(attempt)
        .post('/v1/auth/refresh')
        .send({ refreshToken: 'mmr_not-a-real-refresh-token' });
      statuses.push(response.status);
    }
    // Each API alone would have allowed AUTH_REQUESTS_PER_ADDRESS of its own.
    expect(statuses.slice(0, AUTH_REQUESTS_PER_ADDRESS)).toEqual(
      Array(AUTH_REQUESTS_PER_ADDRESS).fill(401),
    );
    expect(statuses.slice(AUTH_REQUESTS_PER_ADDRESS)).toEqual([429, 429]);
  });

  it('makes one assessment for concurrent retries of an idempotent create at both APIs, and one submit wins', async () => {
    const org = `/v1/organizations/${organizationId}`;
    const team = await api(0)
      .post(`${org}/teams`)
      .set(owner.auth)
      .send({ name: 'Ranking', slug: 'ranking' })
      .expect(201);
    const creates = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        api(index)
          .post(`${org}/teams/${team.body.id}/assessments`)
          .set(owner.auth)
          .set('Idempotency-Key', 'system-test-create')
          .send({ modelVersionId: builtinVersionId('mlops-maturity', 1) }),
      ),
    );
    expect(creates.map((response) => response.status)).toEqual(Array(10).fill(201));
    expect(new Set(creates.map((response) => response.body.id)).size).toBe(1);
    const rows = await withClient(database.adminUrl, async (client) => {
      const { rows: found } = await client.query('SELECT id FROM assessments WHERE team_id = $1', [
        team.body.id,
      ]);
      return found;
    });
    expect(rows).toHaveLength(1);

    const [first] = creates;
    const submits = await Promise.all(
      [0, 1, 2, 3].map((index) =>
        api(index)
          .post(`${org}/assessments/${first!.body.id}/submit`)
          .set(owner.auth)
          .set('If-Match', first!.body.etag),
      ),
    );
    const statuses = submits.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.every((status) => status === 200 || status === 412 || status === 409)).toBe(
      true,
    );
    const snapshots = await withClient(database.adminUrl, async (client) => {
      const { rows: found } = await client.query(
        `SELECT DISTINCT cause_id FROM progress_snapshots WHERE team_id = $1`,
        [team.body.id],
      );
      return found;
    });
    expect(snapshots).toHaveLength(1);
  });

  it('runs each job once: organizations deleted at either API are closed by the worker', async () => {
    const closing: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      const created = await api(index)
        .post('/v1/organizations')
        .set(owner.auth)
        .send({ name: `Closing ${index}`, slug: `closing-${index}-${Date.now()}` })
        .expect(201);
      await api(index + 1)
        .post(`/v1/organizations/${created.body.id}/api-keys`)
        .set(owner.auth)
        .send({ name: 'ci', scopes: ['assessments:read'] })
        .expect(201);
      closing.push(created.body.id);
    }
    await Promise.all(
      closing.map((id, index) =>
        api(index).delete(`/v1/organizations/${id}`).set(owner.auth).expect(204),
      ),
    );
    const closedEvents = () =>
      withClient(database.adminUrl, async (client) => {
        const { rows } = await client.query<{ organization_id: string }>(
          `SELECT organization_id FROM audit_events
            WHERE action = 'organization.credentials_closed' AND organization_id = ANY($1)`,
          [closing],
        );
        return rows.map((row) => row.organization_id).sort();
      });
    const deadline = Date.now() + 30_000;
    while ((await closedEvents()).length < closing.length && Date.now() < deadline)
      await sleep(250);
    // Give a duplicate run the time to happen, if one were going to.
    await sleep(2_000);
    expect(await closedEvents()).toEqual([...closing].sort());
    const jobs = await withClient(database.adminUrl, async (client) => {
      const { rows } = await client.query<{ state: string }>(
        `SELECT state FROM pgboss.job WHERE name = 'organizations.close'`,
      );
      return rows.map((row) => row.state);
    });
    expect(jobs).toEqual(Array(closing.length).fill('completed'));
  });

  it('closes a campaign at its deadline exactly once with two workers, one of them killed and restarted', async () => {
    const org = `/v1/organizations/${organizationId}`;
    const team = await api(0)
      .post(`${org}/teams`)
      .set(owner.auth)
      .send({ name: 'Campaigners', slug: `campaigners-${Date.now()}` })
      .expect(201);
    const me = await api(0).get('/v1/me').set(owner.auth).expect(200);
    const campaign = await api(1)
      .post(`${org}/campaigns`)
      .set(owner.auth)
      .send({
        name: 'Exactly once',
        modelVersionId: builtinVersionId('mlops-maturity', 1),
        teamIds: [team.body.id],
        participants: [{ teamId: team.body.id, userId: me.body.id }],
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
        aggregation: { rule: 'majority' },
        anonymous: false,
        minRespondents: 1,
      })
      .expect(201);
    const campaignId: string = campaign.body.id;
    await api(0).post(`${org}/campaigns/${campaignId}/launch`).set(owner.auth).expect(200);
    const path = `${org}/campaigns/${campaignId}/my-response`;
    const read = await api(1).get(path).set(owner.auth).expect(200);
    const saved = await api(0)
      .put(path)
      .set(owner.auth)
      .set('If-Match', read.headers.etag as string)
      .send({ answers: [{ criterionKey: 'version_control.code_in_git', status: 'met' }] })
      .expect(200);
    await api(1)
      .post(`${path}/submit`)
      .set(owner.auth)
      .set('If-Match', saved.headers.etag as string)
      .expect(200);
    // A second worker; the deadline passes; the first worker dies without warning and comes back.
    const second = await startProcess('apps/worker/src/main.js', {
      ...processEnv,
      PROCESS_ROLE: 'worker',
    });
    try {
      await withClient(database.adminUrl, (client) =>
        client.query(`UPDATE campaigns SET closes_at = now() - interval '1 second' WHERE id = $1`, [
          campaignId,
        ]),
      );
      worker!.child.kill('SIGKILL');
      await new Promise((resolve) => worker!.child.once('exit', resolve));
      worker = await startProcess('apps/worker/src/main.js', {
        ...processEnv,
        PROCESS_ROLE: 'worker',
      });
      const status = async () =>
        (await api(0).get(`${org}/campaigns/${campaignId}`).set(owner.auth).expect(200)).body
          .status as string;
      // The scheduler runs once a minute across all workers.
      const deadline = Date.now() + 150_000;
      while ((await status()) !== 'closed' && Date.now() < deadline) await sleep(1_000);
      expect(await status()).toBe('closed');
      // Give a second close the time to happen, if one were going to.
      await sleep(3_000);
      const counts = await withClient(database.adminUrl, async (client) => {
        const { rows } = await client.query<{
          assessments: number;
          closes: number;
          causes: number;
        }>(
          `SELECT (SELECT count(*)::int FROM assessments WHERE campaign_id = $1) AS assessments,
                  (SELECT count(*)::int FROM audit_events
                    WHERE action = 'campaign.closed' AND entity_id = $1::text) AS closes,
                  (SELECT count(DISTINCT recorded_at)::int FROM progress_snapshots
                    WHERE cause = 'campaign' AND cause_id = $1) AS causes`,
          [campaignId],
        );
        return rows[0];
      });
      expect(counts).toEqual({ assessments: 1, closes: 1, causes: 1 });
    } finally {
      await stopProcess(second);
    }
  }, 240_000);
});
