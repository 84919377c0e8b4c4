import { AppConfig, loadConfig } from '../config/app-config';

/** Start-up messages before the structured logger exists are plain lines on stderr. */
export const say = (line: string) => process.stderr.write(`${line}\n`);

export interface RunningService {
  url?: string;
  stop(): Promise<void>;
}

/**
 * The life of one process (API or worker): validate the configuration, start, then stop
 * gracefully on SIGTERM/SIGINT within the grace period. Any start-up failure exits with 1 and one
 * line saying why.
 */
export async function runServiceProcess(
  start: (config: AppConfig) => Promise<RunningService>,
): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    say((error as Error).message);
    process.exit(1);
  }
  let service: RunningService;
  try {
    service = await start(config);
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
