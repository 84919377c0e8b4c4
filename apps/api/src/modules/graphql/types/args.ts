import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, Max, Min } from 'class-validator';
import { Optional } from '@app/common';
import { AssessmentHistoryQueryDto } from '../../assessments/dto/assessment.dto';
import { AuditQueryDto } from '../../audit/dto/audit.dto';
import { EvidenceQueryDto } from '../../evidence/dto/evidence.dto';
import { DeliveryQueryDto } from '../../integrations/dto/integration.dto';
import { ModelsPageQueryDto } from '../../maturity-models/dto/maturity-model.dto';
import { ProgressQueryDto } from '../../progress/dto/progress.dto';

/*
 * Each list's arguments are its REST query DTO (same names, validation and cursors) with GraphQL
 * field declarations; a new list copies this pattern.
 */

@ArgsType()
export class ModelsPageArgs extends ModelsPageQueryDto {
  @Field(() => String, { nullable: true }) override cursor?: string = undefined;
  @Field(() => Int, { nullable: true, description: '1..100, default 50.' })
  override limit?: number = undefined;
}

@ArgsType()
export class AssessmentHistoryArgs extends AssessmentHistoryQueryDto {
  @Field(() => String, { nullable: true }) override cursor?: string = undefined;
  @Field(() => Int, { nullable: true, description: '1..100, default 50.' })
  override limit?: number = undefined;
  @Field(() => String, { nullable: true }) override from?: string = undefined;
  @Field(() => String, { nullable: true }) override to?: string = undefined;
  @Field(() => String, { nullable: true, description: 'draft or submitted' })
  override status?: 'draft' | 'submitted' = undefined;
}

@ArgsType()
export class EvidenceArgs extends EvidenceQueryDto {
  @Field(() => String, { nullable: true }) override cursor?: string = undefined;
  @Field(() => Int, { nullable: true, description: '1..100, default 50.' })
  override limit?: number = undefined;
  @Field(() => String, { nullable: true }) override from?: string = undefined;
  @Field(() => String, { nullable: true }) override to?: string = undefined;
  @Field(() => String, { nullable: true }) override criterionKey?: string = undefined;
  @Field(() => String, { nullable: true, description: '"true" or "false", as in REST.' })
  override fresh?: 'true' | 'false' = undefined;
}

@ArgsType()
export class AuditArgs extends AuditQueryDto {
  @Field(() => String, { nullable: true }) override cursor?: string = undefined;
  @Field(() => Int, { nullable: true, description: '1..100, default 50.' })
  override limit?: number = undefined;
  @Field(() => String, { nullable: true }) override from?: string = undefined;
  @Field(() => String, { nullable: true }) override to?: string = undefined;
  @Field(() => String, { nullable: true }) override actorId?: string = undefined;
  @Field(() => String, { nullable: true }) override entityType?: string = undefined;
}

@ArgsType()
export class DeliveryArgs extends DeliveryQueryDto {
  @Field(() => String, { nullable: true }) override cursor?: string = undefined;
  @Field(() => Int, { nullable: true, description: '1..100, default 50.' })
  override limit?: number = undefined;
  @Field(() => String, { nullable: true }) override from?: string = undefined;
  @Field(() => String, { nullable: true }) override to?: string = undefined;
  @Field(() => String, { nullable: true }) override status?: DeliveryQueryDto['status'] = undefined;
}

@ArgsType()
export class ProgressArgs extends ProgressQueryDto {
  @Field(() => String, { nullable: true }) override cursor?: string = undefined;
  @Field(() => Int, { nullable: true, description: '1..1000, default 500.' })
  override limit?: number = undefined;
  @Field(() => String, { nullable: true }) override from?: string = undefined;
  @Field(() => String, { nullable: true }) override to?: string = undefined;
  @Field(() => String, { nullable: true, description: 'A dimension key, or `overall`.' })
  override dimension?: string = undefined;

  @Field(() => Int, {
    nullable: true,
    description:
      'Only the newest N points (1..100), oldest first; batched across teams (one query for a ' +
      'whole page of teams). Not combined with cursor, limit, from or to.',
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  last?: number;
}
