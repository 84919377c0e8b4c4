import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '@app/common';
import { AcceptedDeliveryDto } from '../integrations/dto/integration.dto';
import { Headers, WebhooksService } from './webhooks.service';

function headersOf(request: FastifyRequest): Headers {
  return Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name.toLowerCase(),
      Array.isArray(value) ? value[0] : value,
    ]),
  );
}

@ApiTags('integrations')
@Public()
@Controller('v1/hooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post(':integrationId')
  @ApiParam({ name: 'integrationId', format: 'uuid', description: 'From the ingest URL.' })
  @ApiOperation({
    summary: 'Where a CI system sends its webhooks (the signature is the only credential).',
    description:
      'GitHub: `X-Hub-Signature-256` (HMAC-SHA256 of the body), events `workflow_run`, ' +
      '`workflow_job`, `check_run`, `deployment_status`, `ping`. GitLab: `X-Gitlab-Token`, ' +
      '`Pipeline Hook`, `Job Hook`, `Deployment Hook`. Generic: Standard Webhooks ' +
      '(`webhook-id`, `webhook-timestamp` within 5 minutes, `webhook-signature`), event ' +
      '`evidence.reported`. The delivery is stored before the answer and processed by the ' +
      "worker; the provider's delivery id dedupes retries (a copy answers 200 " +
      '`duplicate: true`). JSON bodies only.',
  })
  @ApiAcceptedResponse({ type: AcceptedDeliveryDto, description: 'Stored; processed shortly.' })
  @ApiOkResponse({ type: AcceptedDeliveryDto, description: 'A duplicate delivery, or a ping.' })
  @ApiBadRequestResponse({ description: 'Malformed JSON, or no delivery id header.' })
  @ApiUnauthorizedResponse({ description: 'Missing or bad signature, or a stale timestamp.' })
  @ApiNotFoundResponse({ description: 'No such integration (the same body as 401).' })
  async ingest(
    @Param('integrationId') integrationId: string,
    @Req() request: FastifyRequest & { rawBody?: Buffer },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedDeliveryDto> {
    const { statusCode, ...accepted } = await this.webhooks.ingest(
      integrationId,
      request.rawBody ?? Buffer.alloc(0),
      request.body,
      headersOf(request),
    );
    void reply.status(statusCode);
    return accepted;
  }
}
