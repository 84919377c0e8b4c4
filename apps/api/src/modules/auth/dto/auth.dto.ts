import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength, MinLength } from 'class-validator';
import { normaliseEmailTransform as normaliseEmail } from '@app/common';

export class SignupDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(normaliseEmail)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: 12, maxLength: 256 })
  @IsString()
  @Length(12, 256)
  password!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(normaliseEmail)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password!: string;
}

export class RefreshTokenDto {
  @ApiProperty({ description: 'The refresh token from login, sign-up or the previous refresh.' })
  @IsString()
  @Length(10, 200)
  refreshToken!: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'JWT access token; send as `Authorization: Bearer <token>`.' })
  accessToken!: string;

  @ApiProperty({ description: 'Opaque, single-use refresh token.' })
  refreshToken!: string;

  @ApiProperty({ description: 'Access token lifetime in seconds.', example: 900 })
  expiresIn!: number;
}

export class SignupResponseDto extends TokenPairDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
}
