import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { AssessmentsService } from '../assessments/assessments.service';
import type { GraphqlContext } from './graphql-context';
import { IdArg } from './id-arg';
import { Assessment } from './types/assessment.types';

@Resolver(() => Assessment)
export class AssessmentResolver {
  constructor(private readonly assessments: AssessmentsService) {}

  @ResolveField(() => GraphQLJSON, {
    nullable: true,
    description:
      'REST: GET .../assessments/{assessmentId}/diff?against= (the same document): what changed ' +
      'from `against` (before) to this assessment, and why scores moved.',
  })
  async diff(
    @Parent() assessment: Assessment,
    @IdArg('Assessment', 'against') against: string,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(assessment.organizationId, 'assessments:read');
    return this.assessments.diff(scope, assessment.id, against);
  }
}
