import 'reflect-metadata';
import { isIP } from 'node:net';
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
  ValidateBy,
  validateSync,
} from 'class-validator';

const POSTGRES_URL = /^postgres(ql)?:\/\/.+/;
const emptyAsUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** proxy-addr's named ranges, accepted in a TRUST_PROXY list beside addresses and CIDRs. */
const NAMED_PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddressOrRange(entry: string): boolean {
  if (NAMED_PROXY_RANGES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** `true`/`false`, a hop count, or a comma-separated list of addresses, CIDRs or named ranges. */
export function parseTrustProxy(value: string): boolean | number | string[] | undefined {
  const text = value.trim().toLowerCase();
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(',').map((entry) => entry.trim());
  return entries.every(isProxyAddressOrRange) ? entries : undefined;
}

/** What Fastify's `trustProxy` option gets from TRUST_PROXY. */
export function trustProxySetting(
  config: Pick<AppConfig, 'TRUST_PROXY'>,
): boolean | number | string[] {
  return parseTrustProxy(config.TRUST_PROXY) ?? false;
}

const IsTrustProxy = () =>
  ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && parseTrustProxy(value) !== undefined,
      defaultMessage: () =>
        'must be true, false, a hop count, or a comma-separated list of addresses/CIDRs (or loopback, linklocal, uniquelocal)',
    },
  });

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

  /**
   * Which peers may set X-Forwarded-For (the client address used by throttles and the audit trail).
   * Default: none; the socket's address is the client's.
   */
  @IsTrustProxy()
  TRUST_PROXY = 'false';

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

  @IsOptional()
  @Transform(emptyAsUndefined)
  @IsString()
  @MinLength(32)
  SECRETS_KEY?: string;

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

  /**
   * Failed sign-ins allowed per account and client address per 15 minutes; each further failure
   * from that address doubles the wait before the next attempt (1 s, 2 s, 4 s ... up to 15 min).
   * Other addresses are not affected, so an attacker cannot lock the owner out.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_ACCOUNT = 5;

  /** Failed sign-ins allowed per client address (any account) per 15 minutes, then the same doubling wait. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  AUTH_FAILURES_PER_IP = 50;

  /** Rate-limit counters in Redis instead of PostgreSQL (both are shared by every replica). */
  @IsOptional()
  @Transform(emptyAsUndefined)
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /**
   * The URL clients reach this service at (behind proxies), for the links the API hands out
   * (integration ingest URLs). Unset: the scheme and host of the request being answered.
   */
  @IsOptional()
  @Transform(emptyAsUndefined)
  @IsString()
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, {
    message: 'PUBLIC_URL must be an http(s) URL without query or fragment',
  })
  PUBLIC_URL?: string;

  /** Bearer token that /metrics requires. */
  @IsOptional()
  @Transform(emptyAsUndefined)
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /** When set, /metrics is served on this port only (on HOST), not on PORT. */
  @IsOptional()
  @Transform(emptyAsUndefined)
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  @Type(() => Number)
  @IsInt()
  @Min(3_600)
  INVITATION_TTL_SECONDS = 604_800;

  /** Campaign invitations and reminders go out through this SMTP server; unset: none are sent. */
  @IsOptional()
  @Transform(emptyAsUndefined)
  @Matches(/^smtps?:\/\/.+/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** The From of every email. */
  @IsString()
  @MinLength(3)
  EMAIL_FROM = 'MLOps maturity <no-reply@mlops-maturity.invalid>';

  /** Let outbound webhooks reach loopback, private and link-local addresses (tests, development). */
  @IsIn(['true', 'false'])
  WEBHOOK_ALLOW_PRIVATE: 'true' | 'false' = 'false';
}

export class ConfigValidationError extends Error {}

/** Validates the environment; a bad variable stops start-up with a message naming it. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const known = Object.keys(new AppConfig()).concat(
    'DATABASE_URL',
    'DATABASE_MIGRATION_URL',
    'JWT_SECRET',
    'SECRETS_KEY',
    'PUBLIC_URL',
    'METRICS_TOKEN',
    'METRICS_PORT',
    'REDIS_URL',
    'SMTP_URL',
  );
  const supplied = Object.fromEntries(
    known.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]),
  );
  const config = plainToInstance(AppConfig, supplied);
  const errors = validateSync(config);
  if (errors.length > 0) {
    // Connection strings and secrets carry passwords: name them, never echo their value.
    const shown = (name: string, value: unknown) =>
      /URL|SECRET|PASSWORD|TOKEN/.test(name) ? '(value hidden)' : JSON.stringify(value);
    const lines = errors.map(
      (error) =>
        `${error.property}=${shown(error.property, supplied[error.property] ?? error.value)}: ${Object.values(error.constraints ?? {}).join('; ')}`,
    );
    throw new ConfigValidationError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
