import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@app/common';
import { HTML_TYPE } from '../reports/reports.controller';
import { ReportLinksService } from './report-links.service';

@ApiTags('reports')
@Public()
@Controller('v1/shared-reports')
export class SharedReportsController {
  constructor(private readonly links: ReportLinksService) {}

  @Get(':token')
  @ApiOperation({
    summary: 'A shared report page, opened by its link with no login.',
    description: 'Only what the link names. Unknown, expired or revoked links answer 404.',
  })
  @ApiOkResponse({ content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: 'No such link, or it expired or was revoked.' })
  async page(
    @Param('token') token: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const html = await this.links.sharedPage(token);
    void reply.type(HTML_TYPE).header('Cache-Control', 'private, no-store');
    return html;
  }
}
