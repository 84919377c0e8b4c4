import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@app/common';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { SharedThrottlerStorage } from '../rate-limit/shared-throttler.storage';
import { AccessGuard } from './access.guard';
import { ApiKeyAccess } from './api-key-access';
import { AccessTokens, JWT_SIGNING_KEY } from './access-tokens';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import { JwtStrategy } from './jwt.strategy';

@Module({})
export class AuthModule {
  static forRoot(config: AppConfig, signingKey: string): DynamicModule {
    return {
      module: AuthModule,
      // The GraphQL transport authenticates with the same services (ApiKeyAccess, AccessTokens).
      global: true,
      imports: [
        PassportModule,
        JwtModule.register({}),
        RateLimitModule,
        // Requests per client address, counted in the shared store (every replica sees one count).
        // Failed sign-ins are counted separately, per account and address: see LoginThrottle.
        ThrottlerModule.forRootAsync({
          imports: [RateLimitModule],
          inject: [SharedThrottlerStorage],
          useFactory: (storage: SharedThrottlerStorage) => ({
            throttlers: [{ name: 'ip', ttl: 60_000, limit: config.AUTH_RATE_LIMIT_PER_IP }],
            storage,
          }),
        }),
      ],
      controllers: [AuthController],
      providers: [
        { provide: JWT_SIGNING_KEY, useValue: signingKey },
        AuthRepository,
        ApiKeyAccess,
        AuthService,
        AccessTokens,
        JwtStrategy,
        AuthThrottlerGuard,
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
      exports: [ApiKeyAccess, AccessTokens],
    };
  }
}
