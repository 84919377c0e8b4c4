import { Module } from '@nestjs/common';
import { LoginThrottle } from './login-throttle';
import { RateLimitRepository } from './rate-limit.repository';
import { SharedThrottlerStorage } from './shared-throttler.storage';

@Module({
  providers: [RateLimitRepository, SharedThrottlerStorage, LoginThrottle],
  exports: [RateLimitRepository, SharedThrottlerStorage, LoginThrottle],
})
export class RateLimitModule {}
