import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '@app/common';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

/** What became of one email: sent, or why not (shown to the people who run the campaign). */
export type EmailOutcome = { sent: true } | { sent: false; reason: string };

/**
 * Sends email through nodemailer to SMTP_URL. Without SMTP_URL nothing is sent and the outcome
 * says so, so a campaign can show per participant that nobody was emailed and why.
 */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private transport?: ReturnType<typeof createTransport>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(email: OutgoingEmail): Promise<EmailOutcome> {
    if (!this.config.SMTP_URL) {
      return { sent: false, reason: 'SMTP_URL is not set: no email was sent.' };
    }
    this.transport ??= createTransport(this.config.SMTP_URL);
    await this.transport.sendMail({ from: this.config.EMAIL_FROM, ...email });
    return { sent: true };
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
