import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';
import type { DestinationStream } from 'pino';
import { AppConfig, loadConfig } from '@app/common';
import { createApp } from '../../src/create-app';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  document: OpenAPIObject;
  database: TestDatabase;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
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
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    document,
    database,
    config,
    http: () => request(app.getHttpServer()),
    close: () => app.close(),
  };
}
