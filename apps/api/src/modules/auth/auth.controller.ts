import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
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
import { SkipThrottle } from '@nestjs/throttler';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import { Public } from '@app/common';
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
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @SkipThrottle({ account: true })
  @ApiOperation({ summary: 'Create an account (password: 12+ characters) and sign in.' })
  @ApiCreatedResponse({ type: SignupResponseDto })
  @ApiConflictResponse({ description: 'The email already has an account.' })
  signup(@Body() body: SignupDto): Promise<SignupResponseDto> {
    return this.auth.signup(body);
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in with email and password.' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'Unknown email or wrong password (the same answer).' })
  login(@Body() body: LoginDto): Promise<TokenPairDto> {
    return this.auth.login(body);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @SkipThrottle({ account: true })
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
  @SkipThrottle({ account: true })
  @ApiOperation({ summary: 'End the sign-in the refresh token belongs to.' })
  @ApiNoContentResponse()
  logout(@Body() body: RefreshTokenDto): Promise<void> {
    return this.auth.logout(body.refreshToken);
  }
}
