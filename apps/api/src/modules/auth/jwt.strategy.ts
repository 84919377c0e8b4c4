import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, AppConfig, isUuid } from '../../../../../libs/common/src';
import { JWT_ALGORITHM, JWT_SIGNING_KEY } from './access-tokens';

export interface AccessTokenClaims {
  sub: string;
}

/** Verifies signature, expiry, issuer and audience; only HS256 is accepted (never `none`). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(JWT_SIGNING_KEY) signingKey: string) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: signingKey,
      algorithms: [JWT_ALGORITHM],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  /** A token without a user id is refused (passport answers 401 for a false result). */
  validate(claims: AccessTokenClaims): { userId: string } | false {
    return isUuid(claims.sub) ? { userId: claims.sub } : false;
  }
}
