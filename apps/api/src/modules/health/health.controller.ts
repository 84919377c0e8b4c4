import { Controller, Get, HttpStatus } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ProblemException, ProblemType, Public, READINESS_CHECK_SCHEMA } from '@app/common';
import { HealthService } from './health.service';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process serves HTTP.' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'] } },
      example: { status: 'ok' },
    },
  })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: database reachable, migrations applied, job queue running.',
  })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['status'],
      properties: {
        status: { type: 'string', enum: ['ok'] },
        checks: { type: 'array', items: READINESS_CHECK_SCHEMA },
      },
      example: { status: 'ok', checks: [{ name: 'database', ok: true }] },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'A check failed (problem+json with `checks`).' })
  async ready() {
    const checks = await this.health.readiness();
    if (checks.every((check) => check.ok)) return { status: 'ok', checks };
    throw new ProblemException(
      HttpStatus.SERVICE_UNAVAILABLE,
      ProblemType.unavailable,
      'Service unavailable',
      'The service is not ready.',
      { checks },
    );
  }
}
