import {
  Body,
  Controller,
  Header,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  Res,
  HttpException,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import { DomainError, Public } from '@app/common';
import { LoginThrottle, LoginThrottledError } from '../rate-limit/login-throttle';
import { AuthService } from './auth.service';
import {
  LoginDto,
  RefreshTokenDto,
  SignupDto,
  SignupResponseDto,
  TokenPairDto,
} from './dto/auth.dto';

@ApiTags('auth')
@Public()
@UseGuards(AuthThrottlerGuard)
@ApiTooManyRequestsResponse({ description: 'Too many attempts; see Retry-After.' })
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly loginThrottle: LoginThrottle,
  ) {}

  @Post('signup')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Create an account (password: 12+ characters) and sign in.' })
  @ApiCreatedResponse({ type: SignupResponseDto })
  @ApiConflictResponse({ description: 'The email already has an account.' })
  signup(@Body() body: SignupDto): Promise<SignupResponseDto> {
    return this.auth.signup(body);
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Sign in with email and password.',
    description:
      'Failed sign-ins are counted per account and client address, and per address: past ' +
      'AUTH_RATE_LIMIT_PER_ACCOUNT (or AUTH_FAILURES_PER_IP) failures, each further one doubles ' +
      'the wait (429 with Retry-After) for that address only.',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'Unknown email or wrong password (the same answer).' })
  async login(
    @Body() body: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairDto> {
    try {
      await this.loginThrottle.begin(body.email, request.ip);
    } catch (error) {
      if (error instanceof LoginThrottledError) {
        void reply.header('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
    let tokens: TokenPairDto;
    try {
      tokens = await this.auth.login(body);
    } catch (error) {
      // Unknown email or wrong password (the same answer): a failure, already counted. Anything
      // else (the check itself failed) does not count.
      const unauthorized =
        (error instanceof DomainError && error.code === 'unauthorized') ||
        (error instanceof HttpException && error.getStatus() === HttpStatus.UNAUTHORIZED);
      if (!unauthorized) await this.loginThrottle.abandoned(body.email, request.ip);
      throw error;
    }
    await this.loginThrottle.succeeded(body.email, request.ip);
    return tokens;
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair.',
    description: 'Each refresh token works once. Presenting a used one revokes its whole sign-in.',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'Unknown, expired, revoked or reused token.' })
  refresh(@Body() body: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End the sign-in the refresh token belongs to.' })
  @ApiNoContentResponse()
  logout(@Body() body: RefreshTokenDto): Promise<void> {
    return this.auth.logout(body.refreshToken);
  }
}
