import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import {
  APP_CONFIG,
  AppConfig,
  bearerToken,
  hashSecret,
  Metrics,
  ProblemType,
  secretMatches,
} from '@app/common';

export type MetricsExposure =
  | { where: 'main-port'; token?: string }
  | { where: 'metrics-port'; port: number; token?: string }
  | { where: 'nowhere' };

/**
 * Where /metrics is served. METRICS_PORT: on that port only (bind it to a network Prometheus
 * reaches and clients do not). METRICS_TOKEN: a bearer token is required. In production with
 * neither, /metrics is not served at all: route templates, counts and versions are not public.
 * Development and test serve it openly on the main port.
 */
export function metricsExposure(config: AppConfig): MetricsExposure {
  const token = config.METRICS_TOKEN;
  if (config.METRICS_PORT !== undefined) {
    return { where: 'metrics-port', port: config.METRICS_PORT, token };
  }
  if (token || config.NODE_ENV !== 'production') return { where: 'main-port', token };
  return { where: 'nowhere' };
}

/** True when no token is configured, or the Authorization header carries it. */
export function bearerMatches(authorization: string | undefined, token?: string): boolean {
  if (!token) return true;
  return secretMatches(bearerToken(authorization) ?? '', hashSecret(token));
}

const UNAUTHORIZED_BODY = JSON.stringify({
  type: ProblemType.unauthorized,
  title: 'Unauthorized',
  status: 401,
  detail: 'The metrics endpoint needs the METRICS_TOKEN bearer token.',
});

/** The separate metrics listener, started only when METRICS_PORT is set. */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /** The bound port (METRICS_PORT=0 picks a free one); undefined when not listening. */
  port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    // A worker-only process has no API port: it serves its metrics (job runs) on METRICS_PORT only.
    const worker = this.config.PROCESS_ROLE === 'worker';
    const exposure = metricsExposure(this.config);
    if (exposure.where === 'nowhere') {
      if (!worker) {
        this.logger.warn(
          '/metrics is off: in production set METRICS_TOKEN or METRICS_PORT to serve it.',
        );
      }
      return;
    }
    if (exposure.where !== 'metrics-port') return;
    const server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET' || path !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      if (!bearerMatches(request.headers.authorization, exposure.token)) {
        response
          .writeHead(401, {
            'content-type': 'application/problem+json',
            'www-authenticate': 'Bearer',
          })
          .end(UNAUTHORIZED_BODY);
        return;
      }
      this.metrics.registry.metrics().then(
        (text) =>
          response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(exposure.port, this.config.HOST, () => resolve());
    });
    this.server = server;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
