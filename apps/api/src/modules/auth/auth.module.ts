import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '@app/common';
import { AccessGuard } from './access.guard';
import { AccessTokens, JWT_SIGNING_KEY } from './access-tokens';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import { JwtStrategy } from './jwt.strategy';

/** Tracks sign-in attempts per account, so spreading them over many addresses does not help. */
function accountTracker(request: Record<string, unknown>): Promise<string> {
  const body = (request as unknown as FastifyRequest).body as { email?: unknown } | undefined;
  const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
  return Promise.resolve(`account:${email}`);
}

@Module({})
export class AuthModule {
  static forRoot(config: AppConfig, signingKey: string): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        PassportModule,
        JwtModule.register({}),
        ThrottlerModule.forRoot({
          throttlers: [
            { name: 'ip', ttl: 60_000, limit: config.AUTH_RATE_LIMIT_PER_IP },
            {
              name: 'account',
              ttl: 15 * 60_000,
              limit: config.AUTH_RATE_LIMIT_PER_ACCOUNT,
              getTracker: accountTracker,
            },
          ],
        }),
      ],
      controllers: [AuthController],
      providers: [
        { provide: JWT_SIGNING_KEY, useValue: signingKey },
        AuthRepository,
        AuthService,
        AccessTokens,
        JwtStrategy,
        AuthThrottlerGuard,
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}
