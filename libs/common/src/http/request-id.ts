import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID = Symbol('requestId');
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One id per request, taken from `X-Request-Id` when it is sane or generated. Memoised on the raw
 * request because Fastify and pino-http each ask for it and must agree.
 */
export function requestIdOf(request: IncomingMessage): string {
  const carrier = request as IncomingMessage & { [REQUEST_ID]?: string };
  if (!carrier[REQUEST_ID]) {
    const supplied = request.headers['x-request-id'];
    carrier[REQUEST_ID] =
      typeof supplied === 'string' && ACCEPTABLE_REQUEST_ID.test(supplied)
        ? supplied
        : randomUUID();
  }
  return carrier[REQUEST_ID];
}
