import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '@app/common';

export const JWT_SIGNING_KEY = Symbol('JWT_SIGNING_KEY');
export const JWT_ALGORITHM = 'HS256';

/** Issues short-lived access tokens; passport-jwt (JwtStrategy) verifies them. */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JWT_SIGNING_KEY) private readonly signingKey: string,
  ) {}

  get lifetimeSeconds(): number {
    return this.config.JWT_ACCESS_TTL_SECONDS;
  }

  issue(userId: string): string {
    return this.jwt.sign(
      { sub: userId },
      {
        secret: this.signingKey,
        algorithm: JWT_ALGORITHM,
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
        expiresIn: this.config.JWT_ACCESS_TTL_SECONDS,
      },
    );
  }
}
