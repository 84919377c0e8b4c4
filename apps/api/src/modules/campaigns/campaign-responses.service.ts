import { Injectable } from '@nestjs/common';
import { hashSecret, problems, ScopeMeta, systemScope, TenantScope } from '@app/common';
import { TenantTransactions, TransactionClient } from '@app/database';
import type { CampaignResponseDto, PutResponseDto } from './dto/campaign.dto';
import { CampaignRow, CampaignsRepository, ParticipantRow } from './campaigns.repository';
import { CampaignsService } from './campaigns.service';
import { organizationOfResponseToken } from './response-token';

/** How the audit trail names a respondent who answers through a personal link (no account). */
const LINK_ACTOR = 'campaign-response-link';

/**
 * Answers through a personal link: the token names its organization, and only its SHA-256 is
 * stored, so the lookup runs under that tenant's row-level security and finds exactly one
 * participant. The link reaches that participant's response and nothing else; it stops working
 * when the campaign closes (410) or a newer email replaced it (404).
 */
@Injectable()
export class CampaignResponsesService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly campaigns: CampaignsRepository,
    private readonly responses: CampaignsService,
  ) {}

  get(token: string, meta: ScopeMeta): Promise<CampaignResponseDto> {
    return this.withParticipant(token, meta, (tx, scope, campaign, participant) =>
      this.responses.presentResponse(tx, scope.organizationId, campaign, participant),
    );
  }

  save(
    token: string,
    input: PutResponseDto,
    ifMatch: string | undefined,
    meta: ScopeMeta,
  ): Promise<CampaignResponseDto> {
    return this.withParticipant(token, meta, (tx, scope, campaign, participant) =>
      this.responses.saveResponse(tx, scope, campaign, participant, input, ifMatch),
    );
  }

  submit(token: string, ifMatch: string | undefined, meta: ScopeMeta) {
    return this.withParticipant(token, meta, (tx, scope, campaign, participant) =>
      this.responses.submitResponse(tx, scope, campaign, participant, ifMatch),
    );
  }

  private withParticipant<T>(
    token: string,
    meta: ScopeMeta,
    work: (
      tx: TransactionClient,
      scope: TenantScope,
      campaign: CampaignRow,
      participant: ParticipantRow,
    ) => Promise<T>,
  ): Promise<T> {
    const organizationId = organizationOfResponseToken(token);
    if (!organizationId) throw problems.notFound('Response');
    const scope = systemScope(organizationId, LINK_ACTOR, meta);
    return this.transactions.run(scope, async (tx) => {
      const participant = await this.campaigns.participantByTokenHash(
        tx,
        scope.organizationId,
        hashSecret(token),
      );
      if (!participant) throw problems.notFound('Response');
      const campaign = await this.responses.existing(
        tx,
        scope.organizationId,
        participant.campaignId,
      );
      const ended = campaign.status === 'closed' || campaign.status === 'cancelled';
      if (ended || !participant.tokenExpiresAt || participant.tokenExpiresAt <= new Date()) {
        throw problems.gone('This link has expired: the campaign is over.');
      }
      return work(tx, scope, campaign, participant);
    });
  }
}
