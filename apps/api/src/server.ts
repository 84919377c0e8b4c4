import type { Server } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig, RunningService, runServiceProcess, say } from '@app/common';
import { DatabaseConnections, prepareDatabase, readOrCreateServiceSecret } from '@app/database';
import { createApp } from './create-app';

/**
 * Starts the service the way `npm start` does: configuration, database (embedded unless
 * DATABASE_URL is set), migrations, then the HTTP API, running the jobs in the same process with
 * PROCESS_ROLE=all (the default); with graceful shutdown. PROCESS_ROLE=worker is the worker's own
 * entry point (apps/worker/src/main.ts).
 */
export async function startService(config: AppConfig): Promise<RunningService> {
  if (config.PROCESS_ROLE === 'worker') {
    throw new Error(
      'PROCESS_ROLE=worker runs the worker entry point: node dist/apps/worker/src/main.js',
    );
  }
  const connections = await prepareDatabase(config, say);
  let context: INestApplicationContext | undefined;
  try {
    const runWorkers = config.PROCESS_ROLE === 'all';
    const jwtSigningKey =
      config.JWT_SECRET ??
      (await readOrCreateServiceSecret(connections.migrationUrl, 'jwt-signing-key'));
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

export function main(): Promise<void> {
  return runServiceProcess(startService);
}
