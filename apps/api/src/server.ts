import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { AppConfig, loadConfig, migrationsDirectory } from '@app/common';
import {
  applyMigrations,
  assertRestrictedApplicationRole,
  DatabaseConnections,
  openDatabaseConnections,
  readOrCreateServiceSecret,
} from '@app/database';
import { AppModule } from './app.module';
import { loadBuiltinCatalogue } from './modules/maturity-models/builtin-catalogue.loader';
import { createApp } from './create-app';

/** Start-up messages before the structured logger exists are plain lines on stderr. */
const say = (line: string) => process.stderr.write(`${line}\n`);

export interface RunningService {
  url?: string;
  stop(): Promise<void>;
}

/**
 * Starts the service the way `npm start` does: configuration, database (embedded unless
 * DATABASE_URL is set), migrations, then the HTTP API and/or the worker, with graceful shutdown.
 */
export async function startService(config: AppConfig): Promise<RunningService> {
  const connections = await openDatabaseConnections(config, say);
  let context: INestApplicationContext | undefined;
  try {
    await applyMigrations(connections.migrationUrl, migrationsDirectory(), { log: say });
    await loadBuiltinCatalogue(connections.migrationUrl, { log: say });
    await assertRestrictedApplicationRole(connections.applicationUrl);
    const runWorkers = config.PROCESS_ROLE !== 'api';
    const jwtSigningKey =
      config.JWT_SECRET ??
      (await readOrCreateServiceSecret(connections.migrationUrl, 'jwt-signing-key'));
    if (config.PROCESS_ROLE === 'worker') {
      context = await NestFactory.createApplicationContext(
        AppModule.forRoot({ config, connections, runWorkers, jwtSigningKey }),
        { bufferLogs: true },
      );
      context.useLogger(context.get(Logger));
      say('worker started');
      return { stop: () => shutdown(context, connections) };
    }
    const { app } = await createApp({ config, connections, runWorkers, jwtSigningKey });
    context = app;
    await app.listen({ port: config.PORT, host: config.HOST });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://localhost:${port}`;
    say(`API listening on ${url} (worker ${runWorkers ? 'running' : 'off'}); docs at ${url}/docs`);
    const server = app.getHttpServer() as Server;
    return {
      url,
      stop: async () => {
        await drainHttpServer(server, config.SHUTDOWN_GRACE_MS);
        await shutdown(context, connections);
      },
    };
  } catch (error) {
    await shutdown(context, connections);
    throw error;
  }
}

/**
 * Stops accepting connections and lets in-flight requests finish (for up to `graceMs`), closing
 * keep-alive connections as soon as they fall idle. This runs before Nest's own close, which would
 * first run the providers' destroy hooks (job queue, database pool) while requests are still being
 * served, and whose server.close() reaps idle sockets only once: a connection whose request was in
 * flight at that moment would hold shutdown open for Fastify's 72 s keep-alive timeout.
 */
export async function drainHttpServer(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return;
  // Responses written while draining tell the client not to reuse the connection.
  server.on('request', (_request, response) => {
    if (!response.headersSent) response.setHeader('connection', 'close');
  });
  await new Promise<void>((resolve) => {
    const reaper = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(reaper);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}

async function shutdown(
  context: INestApplicationContext | undefined,
  connections: DatabaseConnections,
): Promise<void> {
  // Nest closes the HTTP server (in-flight requests finish), stops the job queue and closes the
  // pool; only then may the embedded database go away.
  await context?.close();
  await connections.close();
}

export async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    say((error as Error).message);
    process.exit(1);
  }
  let service: RunningService;
  try {
    service = await startService(config);
  } catch (error) {
    say(`Start-up failed: ${(error as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal} received, shutting down`);
    const timer = setTimeout(() => {
      say('shutdown took too long, exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 5_000);
    timer.unref();
    service.stop().then(
      () => process.exit(0),
      (error: Error) => {
        say(`shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
