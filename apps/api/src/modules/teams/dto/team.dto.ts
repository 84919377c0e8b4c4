import { ApiProperty, PartialType } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { SLUG_MESSAGE, SLUG_PATTERN } from '../../organizations/dto/organization.dto';

export class CreateTeamDto {
  @ApiProperty({ example: 'Recommendations' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'recommendations', pattern: SLUG_PATTERN.source })
  @IsString()
  @Length(2, 63)
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE })
  slug!: string;
}

export class UpdateTeamDto extends PartialType(CreateTeamDto, {
  // null is a value to validate (and refuse), not an absent property.
  skipNullProperties: false,
}) {}

export class TeamDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class TeamPageDto {
  @ApiProperty({ type: [TeamDto] }) items!: TeamDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export const TEAM_ROLES = ['lead', 'member'] as const;

export class PutTeamMemberDto {
  @ApiProperty({ enum: TEAM_ROLES })
  @IsIn(TEAM_ROLES)
  role!: (typeof TEAM_ROLES)[number];
}

export class TeamMemberDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TEAM_ROLES }) role!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class TeamMemberListDto {
  @ApiProperty({ type: [TeamMemberDto] }) items!: TeamMemberDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
