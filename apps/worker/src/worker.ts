import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { AppConfig, RunningService, say } from '@app/common';
import { prepareDatabase } from '@app/database';
import { WorkerModule } from './worker.module';

/** Starts a worker process: queued and scheduled jobs, no HTTP listener. */
export async function startWorker(config: AppConfig): Promise<RunningService> {
  const connections = await prepareDatabase(config, say);
  let context: INestApplicationContext | undefined;
  try {
    context = await NestFactory.createApplicationContext(
      WorkerModule.forRoot({ config, connections }),
      { bufferLogs: true },
    );
    context.useLogger(context.get(Logger));
    say('worker started');
    const started = context;
    return {
      stop: async () => {
        await started.close();
        await connections.close();
      },
    };
  } catch (error) {
    await context?.close();
    await connections.close();
    throw error;
  }
}
