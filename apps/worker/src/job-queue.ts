import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { PgBoss } from 'pg-boss';

export const JOB_QUEUE_OPTIONS = Symbol('JOB_QUEUE_OPTIONS');

export interface JobQueueOptions {
  /** The owner connection: pg-boss creates and migrates its own `pgboss` schema. */
  connectionString: string;
  /** False in an API-only process: it may enqueue jobs but does not run them. */
  runWorkers: boolean;
  shutdownGraceMs: number;
}

export interface JobDefinition<Data extends object = object> {
  name: string;
  /** Cron expression (UTC) for recurring jobs. */
  cron?: string;
  handle(data: Data): Promise<void>;
}

/**
 * The Postgres-backed job queue (pg-boss). Feature modules register their jobs during module
 * init; the queue starts once every module has registered, and stops gracefully at shutdown,
 * letting running jobs finish within the grace period.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobQueue');
  private readonly boss: PgBoss;
  private readonly definitions: JobDefinition[] = [];
  private running = false;
  private lastError: string | undefined;

  constructor(@Inject(JOB_QUEUE_OPTIONS) private readonly options: JobQueueOptions) {
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      max: 3,
      application_name: 'mlops-worker',
    });
    this.boss.on('error', (error: Error) => {
      this.lastError = error.message;
      this.logger.error({ err: error }, 'job queue error');
    });
  }

  register<Data extends object>(definition: JobDefinition<Data>): void {
    this.definitions.push(definition as JobDefinition);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.boss.start();
    for (const definition of this.definitions) {
      await this.boss.createQueue(definition.name);
      if (!this.options.runWorkers) continue;
      if (definition.cron) await this.boss.schedule(definition.name, definition.cron);
      await this.boss.work<object>(definition.name, async (jobs) => {
        for (const job of jobs) await definition.handle(job.data ?? {});
      });
    }
    this.running = true;
    this.logger.log(
      `job queue started (${this.options.runWorkers ? 'running' : 'enqueue only'}: ` +
        `${this.definitions.map((d) => d.name).join(', ') || 'no jobs yet'})`,
    );
  }

  async send(name: string, data: object): Promise<string | null> {
    return this.boss.send(name, data);
  }

  /** Runs a registered job now, in this process (used by tests and for manual re-runs). */
  async runNow(name: string, data: object = {}): Promise<void> {
    const definition = this.definitions.find((candidate) => candidate.name === name);
    if (!definition) throw new Error(`no job named ${name}`);
    await definition.handle(data);
  }

  health(): { running: boolean; workers: boolean; lastError?: string } {
    return { running: this.running, workers: this.options.runWorkers, lastError: this.lastError };
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.boss.stop({ graceful: true, timeout: this.options.shutdownGraceMs });
  }
}
