import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiGoneResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public, ScopeMeta } from '@app/common';
import { ifMatchHeader, withEntityTag } from '../idempotency/etag';
import { CampaignResponseDto, PutResponseDto } from './dto/campaign.dto';
import { CampaignResponsesService } from './campaign-responses.service';

const TOKEN_PARAM = {
  name: 'responseToken',
  description: 'The personal link token from the invitation email (`mcr_...`).',
} as const;
const IF_MATCH = ifMatchHeader('The response');

function metaOf(request: FastifyRequest): ScopeMeta {
  return { requestId: request.id, ip: request.ip, userAgent: request.headers['user-agent'] };
}

/** A participant without an account answers through their personal link, and only that. */
@ApiTags('campaigns')
@Public()
@Controller('v1/campaign-responses/:responseToken')
@ApiParam(TOKEN_PARAM)
@ApiNotFoundResponse({ description: 'Unknown or replaced link.' })
@ApiGoneResponse({ description: 'The link expired (the campaign closed).' })
export class CampaignResponsesController {
  constructor(private readonly responses: CampaignResponsesService) {}

  @Get()
  @ApiOperation({ summary: 'The response behind a personal link, with the questions.' })
  @ApiOkResponse({ type: CampaignResponseDto, description: 'ETag header set.' })
  async get(
    @Param('responseToken') token: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.responses.get(token, metaOf(request)));
  }

  @Put()
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Save answers (each listed criterion replaced; others kept).' })
  @ApiOkResponse({ type: CampaignResponseDto, description: 'New ETag header.' })
  @ApiConflictResponse({ description: 'Submitted, or the campaign is not open.' })
  @ApiPreconditionFailedResponse({ description: 'Stale If-Match.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown or repeated criterion keys.' })
  async save(
    @Param('responseToken') token: string,
    @Body() body: PutResponseDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.responses.save(token, body, ifMatch, metaOf(request)));
  }

  @Post('submit')
  @HttpCode(HttpStatus.OK)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Submit the response (final).' })
  @ApiOkResponse({ type: CampaignResponseDto })
  @ApiConflictResponse({ description: 'Already submitted, or the campaign is not open.' })
  @ApiPreconditionFailedResponse({ description: 'Stale If-Match.' })
  async submit(
    @Param('responseToken') token: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEntityTag(reply, await this.responses.submit(token, ifMatch, metaOf(request)));
  }
}
