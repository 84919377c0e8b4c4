import { Inject, Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig, hashSecret, problems, randomSecret } from '@app/common';
import { isUniqueViolation, TenantTransactions, TransactionClient } from '@app/database';
import { AccessTokens } from './access-tokens';
import { AuthRepository } from './auth.repository';
import { LoginDto, SignupDto, SignupResponseDto, TokenPairDto } from './dto/auth.dto';

const REFRESH_TOKEN_PREFIX = 'mmr_';
// Algorithm.Argon2id; the library's const enum cannot be imported under isolatedModules.
const ARGON2_OPTIONS = { algorithm: 2 } as const;

@Injectable()
export class AuthService {
  /**
   * Verified against when the email is unknown, so both failures cost one argon2 verification and
   * answer alike: the response time does not tell which emails have accounts.
   */
  private readonly decoyHash = hash(randomSecret(), ARGON2_OPTIONS);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly users: AuthRepository,
    private readonly accessTokens: AccessTokens,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async signup(input: SignupDto): Promise<SignupResponseDto> {
    const passwordHash = await hash(input.password, ARGON2_OPTIONS);
    try {
      return await this.transactions.runGlobal(async (tx) => {
        const user = await this.users.createUser(tx, {
          email: input.email,
          name: input.name,
          passwordHash,
        });
        return { user, ...(await this.issueTokens(tx, user.id, randomUUID())) };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw problems.conflict('An account with this email already exists.');
      }
      throw error;
    }
  }

  async login(input: LoginDto): Promise<TokenPairDto> {
    return this.transactions.runGlobal(async (tx) => {
      const user = await this.users.findUserByEmail(tx, input.email);
      const passwordMatches = await verify(
        user?.passwordHash ?? (await this.decoyHash),
        input.password,
      );
      if (!user || !passwordMatches) throw problems.unauthorized('Email or password is wrong.');
      return this.issueTokens(tx, user.id, randomUUID());
    });
  }

  /**
   * Rotates a refresh token. A token presented a second time means it leaked (or a client raced
   * itself): the whole family, every token descended from the same login, is revoked.
   */
  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const outcome = await this.transactions.runGlobal(async (tx) => {
      const stored = await this.users.findRefreshToken(tx, hashSecret(refreshToken));
      if (!stored) return { error: 'unknown' as const };
      if (stored.revokedAt) return { error: 'revoked' as const };
      if (stored.usedAt || !(await this.users.claimRefreshToken(tx, stored.id))) {
        await this.users.revokeFamily(tx, stored.familyId);
        return { error: 'reused' as const };
      }
      if (stored.expiresAt <= new Date()) return { error: 'expired' as const };
      return { tokens: await this.issueTokens(tx, stored.userId, stored.familyId) };
    });
    if (outcome.tokens) return outcome.tokens;
    const reasons = {
      unknown: 'The refresh token is not valid.',
      revoked: 'The refresh token was revoked; sign in again.',
      reused: 'The refresh token was already used; every token of this sign-in is now revoked.',
      expired: 'The refresh token expired; sign in again.',
    };
    throw problems.unauthorized(reasons[outcome.error ?? 'unknown']);
  }

  /** Ends the sign-in the token belongs to. Unknown tokens are ignored: logging out is idempotent. */
  async logout(refreshToken: string): Promise<void> {
    await this.transactions.runGlobal(async (tx) => {
      const stored = await this.users.findRefreshToken(tx, hashSecret(refreshToken));
      if (stored) await this.users.revokeFamily(tx, stored.familyId);
    });
  }

  private async issueTokens(
    tx: TransactionClient,
    userId: string,
    familyId: string,
  ): Promise<TokenPairDto> {
    const refreshToken = `${REFRESH_TOKEN_PREFIX}${randomSecret()}`;
    await this.users.createRefreshToken(tx, {
      userId,
      familyId,
      tokenHash: hashSecret(refreshToken),
      expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
    });
    return {
      accessToken: this.accessTokens.issue(userId),
      refreshToken,
      expiresIn: this.accessTokens.lifetimeSeconds,
    };
  }
}
