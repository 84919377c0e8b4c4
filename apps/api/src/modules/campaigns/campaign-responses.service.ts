import { Injectable } from '@nestjs/common';
import { hashSecret, problems, ScopeMeta, systemScope, TenantScope } from '@app/common';
import type { CampaignResponseDto, PutResponseDto } from './dto/campaign.dto';
import { CampaignsService, ResponseAccess } from './campaigns.service';
import { organizationOfResponseToken } from './response-token';

/** How the audit trail names a respondent who answers through a personal link (no account). */
const LINK_ACTOR = 'campaign-response-link';

/**
 * Answers through a personal link: the token names its organization, and only its SHA-256 is
 * stored, so the lookup runs under that tenant's row-level security and finds exactly one
 * participant. The link reaches that participant's response and nothing else; it stops working
 * when the campaign closes or is cancelled (410) or a newer email replaced it (404).
 */
@Injectable()
export class CampaignResponsesService {
  constructor(private readonly responses: CampaignsService) {}

  get(token: string, meta: ScopeMeta): Promise<CampaignResponseDto> {
    const { scope, access } = this.link(token, meta);
    return this.responses.readResponse(scope, access);
  }

  save(
    token: string,
    input: PutResponseDto,
    ifMatch: string | undefined,
    meta: ScopeMeta,
  ): Promise<CampaignResponseDto> {
    const { scope, access } = this.link(token, meta);
    return this.responses.saveResponse(scope, access, input, ifMatch);
  }

  submit(token: string, ifMatch: string | undefined, meta: ScopeMeta) {
    const { scope, access } = this.link(token, meta);
    return this.responses.submitResponse(scope, access, ifMatch);
  }

  private link(token: string, meta: ScopeMeta): { scope: TenantScope; access: ResponseAccess } {
    const organizationId = organizationOfResponseToken(token);
    if (!organizationId) throw problems.notFound('Response');
    return {
      scope: systemScope(organizationId, LINK_ACTOR, meta),
      access: {
        key: { tokenHash: hashSecret(token) },
        admit: (held) => {
          const ended = held.campaignStatus === 'closed' || held.campaignStatus === 'cancelled';
          if (ended || !held.tokenExpiresAt || held.tokenExpiresAt <= new Date()) {
            throw problems.gone('This link has expired: the campaign is over.');
          }
        },
      },
    };
  }
}
