import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { normaliseEmailTransform as normaliseEmail, ORGANIZATION_ROLES } from '@app/common';
import type { OrganizationRole } from '@app/common';

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ORGANIZATION_ROLES }) role!: OrganizationRole;
  @ApiProperty({ format: 'date-time', description: 'When the user joined.' }) createdAt!: Date;
}

export class MemberPageDto {
  @ApiProperty({ type: [MemberDto] }) items!: MemberDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ChangeMemberRoleDto {
  @ApiProperty({ enum: ORGANIZATION_ROLES })
  @IsIn(ORGANIZATION_ROLES)
  role!: OrganizationRole;
}

export class CreateInvitationDto {
  @ApiProperty({
    example: 'grace@example.com',
    description: 'Only a signed-in user with this email can accept.',
  })
  @Transform(normaliseEmail)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: ORGANIZATION_ROLES, description: 'Only owners may invite owners.' })
  @IsIn(ORGANIZATION_ROLES)
  role!: OrganizationRole;
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ORGANIZATION_ROLES }) role!: OrganizationRole;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) invitedById!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) expiresAt!: Date;
}

export class CreatedInvitationDto extends InvitationDto {
  @ApiProperty({
    description:
      'Shown once: hand it to the invitee, who accepts with POST /v1/invitations/accept {"token": ...}.',
    example: 'mmi_<organization id>.<secret>',
  })
  token!: string;
}

export class InvitationPageDto {
  @ApiProperty({ type: [InvitationDto] }) items!: InvitationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AcceptedInvitationDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ enum: ORGANIZATION_ROLES }) role!: OrganizationRole;
}

export class AcceptInvitationDto {
  @ApiProperty({
    description: 'The token from the invitation (a credential: sent in the body, never in a URL).',
    example: 'mmi_<organization id>.<secret>',
  })
  @IsString()
  @Length(1, 512)
  token!: string;
}
