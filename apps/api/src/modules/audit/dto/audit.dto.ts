import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { TimeRangePageQueryDto } from '@app/common';

export class AuditQueryDto extends TimeRangePageQueryDto {
  @ApiPropertyOptional({
    description: 'Only events by this user or API key (its id), or by this system job (its name).',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actorId?: string;

  @ApiPropertyOptional({ example: 'team' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  entityType?: string;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['user', 'api_key', 'system'] }) actorType!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The user or API key id; for actorType system, the name of the job.',
  })
  actorId!: string | null;
  @ApiProperty({ example: 'team.created' }) action!: string;
  @ApiProperty({ example: 'team' }) entityType!: string;
  @ApiProperty({ nullable: true, type: String }) entityId!: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'Changed fields; secrets redacted.' })
  changes!: unknown;
  @ApiProperty({ nullable: true, type: String }) requestId!: string | null;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ nullable: true, type: String }) userAgent!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto] }) items!: AuditEventDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
