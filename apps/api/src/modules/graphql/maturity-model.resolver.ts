import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { MaturityModelsService } from '../maturity-models/maturity-models.service';
import type { GraphqlContext } from './graphql-context';
import { MaturityModel, ModelVersion } from './types/maturity-model.types';

@Resolver(() => MaturityModel)
export class MaturityModelResolver {
  constructor(private readonly models: MaturityModelsService) {}

  @ResolveField(() => ModelVersion, {
    nullable: true,
    description: 'REST: GET .../maturity-models/{modelId}/versions/{version}',
  })
  async version(
    @Parent() model: MaturityModel,
    @Args('version', { type: () => Int }) version: number,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(model.organizationId, 'models:read');
    return this.models.getVersion(scope, model.id, version);
  }

  @ResolveField(() => GraphQLJSON, {
    nullable: true,
    description:
      'REST: GET .../maturity-models/{modelId}/versions/{version}/diff/{otherVersion} (the same document).',
  })
  async versionDiff(
    @Parent() model: MaturityModel,
    @Args('version', { type: () => Int }) version: number,
    @Args('otherVersion', { type: () => Int }) otherVersion: number,
    @Context() ctx: GraphqlContext,
  ) {
    const scope = await ctx.access.tenant(model.organizationId, 'models:read');
    return this.models.diff(scope, model.id, version, otherVersion);
  }
}
