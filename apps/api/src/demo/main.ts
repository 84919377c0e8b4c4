import 'reflect-metadata';
import { loadConfig, say } from '@app/common';
import { prepareDatabase, readOrCreateServiceSecret } from '@app/database';
import { createApp } from '../create-app';
import { seedDemo } from './demo';

/**
 * `npm run demo`: the demo organization in the database `npm start` uses (the embedded one in
 * .data/, or DATABASE_URL). Stop `npm start` first when it runs on the embedded database.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' });
  const connections = await prepareDatabase(config, say);
  try {
    const jwtSigningKey =
      config.JWT_SECRET ??
      (await readOrCreateServiceSecret(connections.migrationUrl, 'jwt-signing-key'));
    const { app } = await createApp({ config, connections, runWorkers: false, jwtSigningKey });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    try {
      const baseUrl = `http://localhost:${config.PORT}`;
      const demo = await seedDemo(app, connections.migrationUrl, baseUrl, say);
      say(`Demo organization ready (${demo.organizationId}).`);
      say(
        `Log in: POST ${baseUrl}/v1/auth/login {"email":"${demo.email}","password":"${demo.password}"}`,
      );
      say(`Trend page (no login, 90 days): ${demo.shareUrl}`);
      say('Start the API with `npm start` to open it.');
    } finally {
      await app.close();
    }
  } finally {
    await connections.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
