import { Controller, Get, HttpStatus, Logger } from '@nestjs/common';
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
  private readonly logger = new Logger('Health');

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
      example: {
        status: 'ok',
        checks: [
          { name: 'database', status: 'up' },
          { name: 'migrations', status: 'up' },
          { name: 'jobQueue', status: 'up' },
        ],
      },
    },
  })
  @ApiServiceUnavailableResponse({
    description:
      'A check failed (problem+json 503, each check `up` or `down`; the reasons ' +
      'go to the log only).',
  })
  async ready() {
    const checks = await this.health.readiness();
    // Public: status only. Error texts (database messages, the queue's last error) are logged.
    const shown = checks.map((check) => ({ name: check.name, status: check.ok ? 'up' : 'down' }));
    if (checks.every((check) => check.ok)) return { status: 'ok', checks: shown };
    this.logger.warn(
      { checks: checks.filter((check) => !check.ok) },
      `not ready: ${checks
        .filter((check) => !check.ok)
        .map((check) => `${check.name}${check.detail ? ` (${check.detail})` : ''}`)
        .join('; ')}`,
    );
    throw new ProblemException(
      HttpStatus.SERVICE_UNAVAILABLE,
      ProblemType.unavailable,
      'Service unavailable',
      'The service is not ready.',
      { checks: shown },
    );
  }
}
