import { Global, Module } from '@nestjs/common';
import { Mailer } from './mailer';

/** Outgoing email (SMTP through nodemailer), for the API and the worker alike. */
@Global()
@Module({ providers: [Mailer], exports: [Mailer] })
export class EmailModule {}
