import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import request from 'supertest';
import type { DestinationStream } from 'pino';
import { AppConfig, loadConfig } from '@app/common';
import { createApp } from '../../src/create-app';
import { createTestDatabase, TestDatabase } from './test-database';
import { ResponseContract } from './contract';

export interface TestApp {
  app: NestFastifyApplication;
  document: OpenAPIObject;
  database: TestDatabase;
  config: AppConfig;
  /** Supertest on the app; every response is checked against the committed openapi.json. */
  http: () => ReturnType<typeof request>;
  /** The same, checked against another document (for tests of the check itself). */
  httpCheckedBy: (contract: ResponseContract) => ReturnType<typeof request>;
  close(): Promise<void>;
}

export const TEST_JWT_SECRET = 'test-signing-key-that-is-long-enough-0123456789';

/**
 * Boots the real application (the same factory `npm start` uses) on a fresh database copied from
 * the migrated template. Supertest then speaks HTTP to it.
 */
export interface RegisteredRoute {
  method: string;
  url: string;
}

export async function startTestApp(
  env: Record<string, string> = {},
  options: {
    onRoute?: (route: RegisteredRoute) => void;
    /** Boot on this database (a second replica of another test app) instead of a fresh one. */
    database?: TestDatabase;
    /** Where the app's log lines go (default: stdout, silenced by LOG_LEVEL). */
    logDestination?: DestinationStream;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_POOL_MAX: '5',
    // Test files sign up many users from one address; the throttling test sets its own limits.
    AUTH_RATE_LIMIT_PER_IP: '100000',
    AUTH_RATE_LIMIT_PER_ACCOUNT: '100000',
    ...env,
  });
  const { app, document } = await createApp({
    config,
    connections: { applicationUrl: database.applicationUrl, migrationUrl: database.migrationUrl },
    runWorkers: false,
    jwtSigningKey: TEST_JWT_SECRET,
    logDestination: options.logDestination,
  });
  if (options.onRoute) {
    // Nest registers its routes on Fastify during init(): a hook added now sees every one of them.
    const onRoute = options.onRoute;
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) onRoute({ method, url: route.url });
      });
  }
  const routes = recordRoutes(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    document,
    database,
    config,
    http: () =>
      checkedAgainstContract(
        request(app.getHttpServer()),
        routes,
        committedContract(),
        process.env.CONTRACT_REPORT,
      ),
    httpCheckedBy: (contract) =>
      checkedAgainstContract(request(app.getHttpServer()), routes, contract),
    close: () => app.close(),
  };
}

/** The header that lets the app tell the helper which route served a request. */
const PROBE_HEADER = 'x-contract-probe';

/** Route template (or undefined: no route matched) by probe id, for the response check. */
function recordRoutes(app: NestFastifyApplication): Map<string, string | undefined> {
  const routes = new Map<string, string | undefined>();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request) => {
      const probe = request.headers[PROBE_HEADER];
      if (typeof probe === 'string') routes.set(probe, request.routeOptions.url);
    });
  return routes;
}

let committed: ResponseContract | undefined;
const committedContract = () => (committed ??= ResponseContract.committed());

/**
 * Every request made through `http()` has its response checked against the committed
 * openapi.json (see ./contract): an undocumented status, content type or body shape fails the
 * test that received it, before its own expectations run.
 */
function checkedAgainstContract(
  agent: ReturnType<typeof request>,
  routes: Map<string, string | undefined>,
  checker: ResponseContract,
  reportFile?: string,
): ReturnType<typeof request> {
  const wrapped = agent as unknown as Record<string, unknown>;
  for (const [method, make] of Object.entries(wrapped)) {
    if (typeof make !== 'function') continue;
    wrapped[method] = (url: string) => {
      const test = (make as (url: string) => request.Test)(url);
      const probe = randomUUID();
      void test.set(PROBE_HEADER, probe);
      return test.expect((response: request.Response) => {
        const route = routes.get(probe);
        routes.delete(probe);
        const violations = checker.violations({
          method: test.method,
          url,
          route,
          status: response.status,
          contentType: response.headers['content-type'] as string | undefined,
          body: response.body as unknown,
          text: response.text,
        });
        // Diagnostics: CONTRACT_REPORT=<file> records every response and its violations (JSON
        // lines) instead of failing, to survey drift across the whole suite at once.
        if (reportFile) {
          appendFileSync(
            reportFile,
            `${JSON.stringify({ method: test.method, url, route, status: response.status, violations })}\n`,
          );
          return;
        }
        if (violations.length > 0) {
          throw new Error(
            `The response is off the OpenAPI contract (openapi.json):\n- ${violations.join('\n- ')}`,
          );
        }
      });
    };
  }
  return agent;
}
