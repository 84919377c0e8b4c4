import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ProblemException, ProblemType } from '@app/common';

/**
 * Nest's throttler, answering 429 as problem+json with a plain `Retry-After` (the library only
 * sets per-throttler `Retry-After-<name>` headers when throttlers are named).
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.header('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    throw new ProblemException(
      HttpStatus.TOO_MANY_REQUESTS,
      ProblemType.tooManyRequests,
      'Too many requests',
      'Too many attempts. Wait for the time in Retry-After before trying again.',
    );
  }
}
