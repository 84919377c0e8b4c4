import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';

/**
 * Where clients reach this service, for links the API hands out: PUBLIC_URL, else the scheme and
 * host of the request (Fastify reads X-Forwarded-Proto/-Host only from proxies TRUST_PROXY names).
 */
export function publicBaseUrl(
  config: Pick<AppConfig, 'PUBLIC_URL'>,
  request: FastifyRequest,
): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}
