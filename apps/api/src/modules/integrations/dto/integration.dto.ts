import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_GLOB_LENGTH, MAX_RULE_PATTERN_LENGTH, MAX_RULES } from '@app/ci-evidence';
import { Optional, TimeRangePageQueryDto } from '@app/common';

export const INTEGRATION_KINDS = ['github', 'gitlab', 'generic'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];
export const DELIVERY_STATUSES = ['received', 'processed', 'ignored', 'failed', 'dead'] as const;
const MAX_REPOSITORY_MAPPINGS = 200;
const MAX_BRANCHES = 50;
const CRITERION_KEY = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

export class RepositoryMappingDto {
  @ApiProperty({
    example: 'acme/ml-*',
    description: 'Glob on "owner/name": `*` within a path segment, `**` across segments.',
  })
  @IsString()
  @Length(1, MAX_GLOB_LENGTH)
  pattern!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  teamId!: string;
}

export class MappingRuleDto {
  @ApiProperty({
    example: '^validate-data',
    description:
      'Regular expression tested against the job, check or workflow name; patterns that may ' +
      'backtrack catastrophically are refused.',
  })
  @IsString()
  @Length(1, MAX_RULE_PATTERN_LENGTH)
  match!: string;

  @ApiProperty({ example: 'testing.data_validation' })
  @IsString()
  @Matches(CRITERION_KEY, { message: 'criterionKey must look like <dimension>.<name>' })
  @Length(1, 200)
  criterionKey!: string;

  @ApiPropertyOptional({ description: 'Glob on "owner/name": only these repositories.' })
  @Optional()
  @IsString()
  @Length(1, MAX_GLOB_LENGTH)
  repository?: string;

  @ApiPropertyOptional({ description: 'Glob on the branch: these branches instead of `branches`.' })
  @Optional()
  @IsString()
  @Length(1, MAX_GLOB_LENGTH)
  branch?: string;
}

export class CreateIntegrationDto {
  @ApiProperty({ enum: INTEGRATION_KINDS })
  @IsIn(INTEGRATION_KINDS)
  kind!: IntegrationKind;

  @ApiProperty({ example: 'GitHub: acme' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The team evidence goes to when no repository mapping matches.',
  })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsUUID()
  teamId?: string | null;

  @ApiPropertyOptional({ type: [RepositoryMappingDto], description: 'First match wins.' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_REPOSITORY_MAPPINGS)
  @ValidateNested({ each: true })
  @Type(() => RepositoryMappingDto)
  repositories?: RepositoryMappingDto[];

  @ApiPropertyOptional({
    type: [MappingRuleDto],
    description: 'Map more names to criteria, besides the built-in CI signal names.',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_RULES)
  @ValidateNested({ each: true })
  @Type(() => MappingRuleDto)
  rules?: MappingRuleDto[];

  @ApiPropertyOptional({
    type: [String],
    example: ['main', 'release/*'],
    description:
      "Branch globs whose runs count; empty or omitted: the repository's default branch.",
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_BRANCHES)
  @IsString({ each: true })
  @Length(1, MAX_GLOB_LENGTH, { each: true })
  branches?: string[];
}

export class UpdateIntegrationDto extends PartialType(OmitType(CreateIntegrationDto, ['kind']), {
  skipNullProperties: false,
}) {}

export class IntegrationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: INTEGRATION_KINDS }) kind!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) teamId!: string | null;
  @ApiProperty({ type: [RepositoryMappingDto] }) repositories!: RepositoryMappingDto[];
  @ApiProperty({ type: [MappingRuleDto] }) rules!: MappingRuleDto[];
  @ApiProperty({ type: [String] }) branches!: string[];
  @ApiProperty({
    example: 'https://mlops.example.com/v1/hooks/0b6f…',
    description: 'Where the CI system sends its webhooks.',
  })
  ingestUrl!: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'After a rotation, the previous secret keeps verifying until then.',
  })
  previousSecretExpiresAt!: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class IntegrationWithSecretDto extends IntegrationDto {
  @ApiProperty({
    description:
      'The signing secret, shown in this answer only (stored encrypted). GitHub: the webhook ' +
      'secret; GitLab: the secret token; generic: a Standard Webhooks `whsec_` secret.',
  })
  secret!: string;
}

export class IntegrationPageDto {
  @ApiProperty({ type: [IntegrationDto] }) items!: IntegrationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class DeliveryQueryDto extends TimeRangePageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @Optional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];
}

export class DeliverySummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) integrationId!: string;
  @ApiProperty({ enum: INTEGRATION_KINDS }) provider!: string;
  @ApiProperty({ nullable: true, type: String, example: 'workflow_job' }) event!: string | null;
  @ApiProperty({ description: "The provider's delivery id (the dedupe key)." })
  providerDeliveryId!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
  @ApiProperty({ description: 'Processing attempts so far.' }) attempts!: number;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt!: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) processedAt!: Date | null;
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliverySummaryDto] }) items!: DeliverySummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class DeliveryDto extends DeliverySummaryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Request headers as received, credentials removed.',
  })
  headers!: Record<string, string>;
  @ApiProperty({ description: 'The body as received (UTF-8).' }) body!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'Once processed: the normalised CI runs, the evidence produced (`evidence`), what matched ' +
      'a criterion but produced none and why (`skipped`), or why nothing matched (`ignored`: ' +
      'the repository, ref and names seen and the rules tried).',
  })
  outcome!: Record<string, unknown> | null;
}

export class AcceptedDeliveryDto {
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ description: 'True when this delivery id was received before.' })
  duplicate!: boolean;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
}
