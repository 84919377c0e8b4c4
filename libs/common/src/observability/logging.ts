import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import pino, { DestinationStream, Logger } from 'pino';
import { requestIdOf } from '../http/request-id';

/** Header and body paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["webhook-signature"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-gitlab-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
  '*.token',
  '*.secret',
];

/** Query parameters whose values are credentials. */
const SECRET_QUERY_PARAMETER =
  /([?&](?:token|access_token|refresh_token|api_key|apikey|key|secret|password|signature|code)=)[^&#]*/gi;
/** Credentials that may appear in a path: the old invitation form, API keys, refresh tokens. */
const SECRET_PATH_PARTS: [RegExp, string][] = [
  [/(\/invitations\/)[^/?#]+(\/accept)/gi, '$1[redacted]$2'],
  [/mm[kri]_[A-Za-z0-9._-]+/g, '[redacted]'],
];

/** A URL fit for a log line: credential query values and path parts replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  let redacted = url.replace(SECRET_QUERY_PARAMETER, '$1[redacted]');
  for (const [pattern, replacement] of SECRET_PATH_PARTS) {
    redacted = redacted.replace(pattern, replacement);
  }
  return redacted;
}

/** The process's root logger: JSON lines on stdout (or `destination`), secrets redacted. */
export function createRootLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * nestjs-pino around the root logger. Its middleware only binds the request id to whatever is
 * logged while a request runs; the one line per request is written by `logRequest` from a
 * Fastify onResponse hook, which knows the route template, the tenant and the actor.
 */
export function loggerParams(logger: Logger): Params {
  return {
    pinoHttp: {
      logger,
      genReqId: (request) => requestIdOf(request),
      autoLogging: false,
      quietReqLogger: true,
    },
    // nestjs-pino's default route ('{/*splat}') matches only paths starting with '//' on Fastify.
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    // The liveness probe logs nothing while it runs (it only answers), and load balancers call it
    // every few seconds: binding a request logger to it would cost ~9% of its time for nothing.
    // Its one request line is written all the same.
    exclude: [{ path: 'health/live', method: RequestMethod.GET }],
  };
}

export interface RequestLogFields {
  organizationId?: string;
  actor?: { type: 'user' | 'api_key'; id: string };
}

const LOG_FIELDS = Symbol('mlops:requestLogFields');

/** Called by the access guard once it knows the tenant and the actor of a request. */
export function annotateRequestLog(request: object, fields: RequestLogFields): void {
  const holder = request as { [LOG_FIELDS]?: RequestLogFields };
  holder[LOG_FIELDS] = { ...holder[LOG_FIELDS], ...fields };
}

export function requestLogFields(request: object): RequestLogFields {
  return (request as { [LOG_FIELDS]?: RequestLogFields })[LOG_FIELDS] ?? {};
}

export function levelForStatus(statusCode: number): 'error' | 'warn' | 'info' {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

export interface CompletedRequest {
  id: string;
  method: string;
  url: string;
  /** The route template (`/v1/organizations/:orgId/teams`); undefined when no route matched. */
  route?: string;
  statusCode: number;
  durationMs: number;
}

/** Writes the request's one log line: no headers, no body, no raw URL unless no route matched. */
export function logRequest(logger: Logger, request: CompletedRequest, fields: RequestLogFields) {
  const level = levelForStatus(request.statusCode);
  if (!logger.isLevelEnabled(level)) return;
  const line = {
    reqId: request.id,
    req: {
      method: request.method,
      route: request.route ?? null,
      // Without a route template the (redacted) path is all there is to say where it went.
      ...(request.route ? {} : { path: redactUrl(request.url.split('?')[0]) }),
    },
    res: { statusCode: request.statusCode },
    responseTime: Math.round(request.durationMs * 1000) / 1000,
    organizationId: fields.organizationId ?? null,
    actor: fields.actor ?? null,
  };
  logger[level](line, 'request completed');
}
