import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, configuredBaseUrl, hashSecret, TenantScope } from '@app/common';
import { TenantTransactions } from '@app/database';
import { Mailer } from '../email/mailer';
import { CampaignsRepository } from './campaigns.repository';
import { issueResponseToken } from './response-token';

/** Participants emailed per transaction round trip; a long list goes in slices. */
const SLICE = 200;

/**
 * Emails a campaign's participants: the invitation when it opens, a reminder per reminder round
 * to those who have not submitted. Runs in the worker (campaigns.notify), outside any use-case
 * transaction: each participant's state is written after their email went out, so a retried job
 * resumes with those not done yet. A participant named by email gets a new personal link in each
 * email (only its hash is stored; the newest link is the one that works, until the campaign
 * closes). Without SMTP_URL, every participant records why nothing was sent.
 */
@Injectable()
export class CampaignNotifier {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly campaigns: CampaignsRepository,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `round` null: the invitation; otherwise the reminder round started at `round`. */
  async notify(scope: TenantScope, campaignId: string, round: Date | null): Promise<number> {
    const { organizationId } = scope;
    let emailed = 0;
    for (;;) {
      const slice = await this.transactions.run(scope, async (tx) => {
        const campaign = await this.campaigns.find(tx, organizationId, campaignId);
        if (!campaign || campaign.status !== 'open') return undefined;
        const people = await this.campaigns.toNotify(tx, organizationId, campaignId, round, SLICE);
        return { campaign, people };
      });
      if (!slice || slice.people.length === 0) return emailed;
      for (const person of slice.people) {
        const token = person.userId ? null : issueResponseToken(organizationId);
        if (token) {
          await this.transactions.run(scope, (tx) =>
            this.campaigns.setToken(
              tx,
              organizationId,
              person.id,
              hashSecret(token),
              slice.campaign.closesAt,
            ),
          );
        }
        const outcome = await this.mailer.send({
          to: person.address,
          subject: `${round ? 'Reminder: ' : ''}${slice.campaign.name}`,
          text: this.body(organizationId, slice.campaign, token, round !== null),
        });
        if (outcome.sent) emailed += 1;
        await this.transactions.run(scope, (tx) =>
          this.campaigns.recordNotification(tx, organizationId, person.id, {
            at: new Date(),
            error: outcome.sent ? null : outcome.reason,
            round,
          }),
        );
      }
    }
  }

  private body(
    organizationId: string,
    campaign: { id: string; name: string; closesAt: Date },
    token: string | null,
    reminder: boolean,
  ): string {
    const base = configuredBaseUrl(this.config);
    const where = token
      ? `Your personal link (do not share it; it works until the campaign closes):\n` +
        `${base}/v1/campaign-responses/${token}\n` +
        'GET it for the questions, PUT your answers, then POST .../submit.'
      : 'Sign in and answer at:\n' +
        `${base}/v1/organizations/${organizationId}/campaigns/${campaign.id}/my-response`;
    return [
      reminder
        ? `You have not submitted your answers to "${campaign.name}" yet.`
        : `You are invited to answer "${campaign.name}" about your team's MLOps practice.`,
      `It closes at ${campaign.closesAt.toISOString()}.`,
      '',
      where,
    ].join('\n');
  }
}
