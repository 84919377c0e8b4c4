import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, Metrics, problems, Public } from '@app/common';
import { bearerMatches, metricsExposure } from './metrics-access';

@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Prometheus metrics (request durations by route and status, pool gauges).',
    description:
      'Needs `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set. Not served on ' +
      'this port when METRICS_PORT is set, nor in production without either of them.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and was not presented.' })
  @ApiNotFoundResponse({ description: 'Metrics are not served on this port.' })
  // The bearer token is read off the request, not as a parameter: it is the operation's security,
  // not a header every caller must send.
  scrape(@Req() request: FastifyRequest): Promise<string> {
    const exposure = metricsExposure(this.config);
    if (exposure.where !== 'main-port') throw problems.notFound('/metrics');
    if (!bearerMatches(request.headers.authorization, exposure.token)) {
      throw problems.unauthorized('The metrics endpoint needs the METRICS_TOKEN bearer token.');
    }
    return this.metrics.registry.metrics();
  }
}
