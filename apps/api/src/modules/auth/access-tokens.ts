import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, isUuid } from '@app/common';

export const JWT_SIGNING_KEY = Symbol('JWT_SIGNING_KEY');
export const JWT_ALGORITHM = 'HS256';

/**
 * Issues short-lived access tokens. HTTP routes verify them through passport-jwt (JwtStrategy);
 * GraphQL, which runs outside Nest's HTTP guards, through verify() with the same rules.
 */
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

  /** The user id of a valid token (signature, expiry, issuer, audience, HS256 only), or null. */
  async verify(token: string): Promise<string | null> {
    try {
      const claims = await this.jwt.verifyAsync<{ sub?: unknown }>(token, {
        secret: this.signingKey,
        algorithms: [JWT_ALGORITHM],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
      });
      return isUuid(claims.sub) ? claims.sub : null;
    } catch {
      return null;
    }
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
