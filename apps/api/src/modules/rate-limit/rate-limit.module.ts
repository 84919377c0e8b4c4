import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import { LoginThrottle } from './login-throttle';
import { RateLimitRepository, RateLimitStore } from './rate-limit.repository';
import { RedisRateLimitStore } from './redis-rate-limit.store';
import { SharedThrottlerStorage } from './shared-throttler.storage';

@Module({
  providers: [
    RateLimitRepository,
    {
      // PostgreSQL unless REDIS_URL is set: both are shared by every replica.
      provide: RateLimitStore,
      inject: [APP_CONFIG, RateLimitRepository],
      useFactory: (config: AppConfig, postgres: RateLimitRepository): RateLimitStore =>
        config.REDIS_URL ? new RedisRateLimitStore(config.REDIS_URL) : postgres,
    },
    SharedThrottlerStorage,
    LoginThrottle,
  ],
  exports: [RateLimitStore, SharedThrottlerStorage, LoginThrottle],
})
export class RateLimitModule {}
