import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const POSTGRES_URL = /^postgres(ql)?:\/\/.+/;
const emptyAsUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every environment variable the service reads, with its default. Validated once at boot; the
 * README's configuration table mirrors this class.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** `all` serves HTTP and runs the worker in one process; `api` or `worker` runs one of them. */
  @IsIn(['all', 'api', 'worker'])
  PROCESS_ROLE: 'all' | 'api' | 'worker' = 'all';

  @IsOptional()
  @Transform(emptyAsUndefined)
  @Matches(POSTGRES_URL, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Transform(emptyAsUndefined)
  @Matches(POSTGRES_URL, { message: 'must be a postgres:// URL' })
  DATABASE_MIGRATION_URL?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_MAX = 10;

  @IsString()
  @MinLength(1)
  EMBEDDED_POSTGRES_DIR = '.data/postgres';

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS = 10_000;

  /** How often workers poll for jobs and look for due scheduled jobs (seconds). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  JOB_POLLING_INTERVAL_SECONDS = 2;

  /** HS256 signing key for access tokens; generated once and kept beside the embedded data when unset. */
  @IsOptional()
  @Transform(emptyAsUndefined)
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  @IsString()
  @MinLength(1)
  JWT_ISSUER = 'mlops-maturity';

  @IsString()
  @MinLength(1)
  JWT_AUDIENCE = 'mlops-maturity-api';

  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(86_400)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Type(() => Number)
  @IsInt()
  @Min(3_600)
  REFRESH_TOKEN_TTL_SECONDS = 2_592_000;

  /** Sign-in, sign-up and refresh requests allowed per client address per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_IP = 30;

  /** Sign-in attempts allowed per account (email) per 15 minutes. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_ACCOUNT = 10;

  @Type(() => Number)
  @IsInt()
  @Min(3_600)
  INVITATION_TTL_SECONDS = 604_800;
}

export class ConfigValidationError extends Error {}

/** Validates the environment; a bad variable stops start-up with a message naming it. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const known = Object.keys(new AppConfig()).concat(
    'DATABASE_URL',
    'DATABASE_MIGRATION_URL',
    'JWT_SECRET',
  );
  const supplied = Object.fromEntries(
    known.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]),
  );
  const config = plainToInstance(AppConfig, supplied);
  const errors = validateSync(config);
  if (errors.length > 0) {
    // Connection strings and secrets carry passwords: name them, never echo their value.
    const shown = (name: string, value: unknown) =>
      /URL|SECRET|PASSWORD/.test(name) ? '(value hidden)' : JSON.stringify(value);
    const lines = errors.map(
      (error) =>
        `${error.property}=${shown(error.property, supplied[error.property] ?? error.value)}: ${Object.values(error.constraints ?? {}).join('; ')}`,
    );
    throw new ConfigValidationError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
