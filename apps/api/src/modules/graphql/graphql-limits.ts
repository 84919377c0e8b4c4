import { GraphQLError, type ValidationRule } from 'graphql';
import {
  ComplexityEstimator,
  createComplexityRule,
  simpleEstimator,
} from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, ProblemType } from '@app/common';

/**
 * Deepest selection accepted (Mercurius `queryDepth`): the dashboard query under
 * organization(id:) needs 8; deep reads start at organization(id:), not under viewer.
 */
export const MAX_QUERY_DEPTH = 8;

/**
 * Highest estimated cost accepted: every field costs 1, and a list field costs its page size
 * (`limit` or `last`; unset: its default) times its selection. The dashboard query (a page of 50
 * teams, each with its latest assessment's dimensions and its last 12 progress points) costs
 * about 3,300.
 */
export const MAX_QUERY_COST = 20_000;

/**
 * A list field's cost: one for itself plus one page of its selection. Its page is `last` or
 * `limit` when given, else the field's default (REST's: 50, or the `defaultLimit` extension).
 */
const pageEstimator: ComplexityEstimator = ({ args, field, childComplexity }) => {
  if (!field.args.some((arg) => arg.name === 'limit')) return undefined;
  const size =
    (args.last as number | undefined) ??
    (args.limit as number | undefined) ??
    (field.extensions?.defaultLimit as number | undefined) ??
    DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * size;
};

/**
 * The cost rule (graphql-query-complexity). It needs the request's variables, so it is built
 * per request: Mercurius then requires `cache: false` (its query cache would skip the rule).
 */
export function costRule(variables: Record<string, unknown> | undefined): ValidationRule {
  return createComplexityRule({
    maximumComplexity: MAX_QUERY_COST,
    variables: variables ?? {},
    estimators: [pageEstimator, simpleEstimator({ defaultComplexity: 1 })],
    createError: (max, actual) =>
      new GraphQLError(
        `The query is too expensive: estimated cost ${actual}, at most ${max}. ` +
          'Ask for smaller pages or fewer nested lists.',
        {
          extensions: { code: ProblemType.badRequest, status: 400, cost: actual, maximumCost: max },
        },
      ),
  });
}
