import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MESSAGE = 'slug must be lower-case letters, digits and single hyphens';

export class CreateOrganizationDto {
  @ApiProperty({ example: 'Acme Analytics' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'acme-analytics', pattern: SLUG_PATTERN.source })
  @IsString()
  @Length(2, 63)
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE })
  slug!: string;
}

export class UpdateOrganizationDto extends PartialType(CreateOrganizationDto, {
  // null is a value to validate (and refuse), not an absent property.
  skipNullProperties: false,
}) {}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class MyOrganizationDto extends OrganizationDto {
  @ApiPropertyOptional({ enum: ['owner', 'admin', 'assessor', 'member', 'viewer'] })
  role!: string;
}

export class OrganizationListDto {
  @ApiProperty({ type: [MyOrganizationDto] }) items!: MyOrganizationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
