import { HttpException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import mercurius from 'mercurius';
import type { Logger } from 'pino';
import {
  DomainError,
  ErrorTranslator,
  PROBLEM_BY_DOMAIN_CODE,
  ProblemException,
  ProblemType,
} from '@app/common';

type ExecutionResult = Parameters<typeof mercurius.defaultErrorFormatter>[0];
type FormatterContext = Parameters<typeof mercurius.defaultErrorFormatter>[1];

/** What REST's problem document says, as GraphQL error extensions: `code` is the problem type. */
function problemExtensions(error: unknown, translate: ErrorTranslator) {
  const domain = error instanceof DomainError ? error : translate(error);
  if (domain) {
    const { type, status } = PROBLEM_BY_DOMAIN_CODE[domain.code];
    return { message: domain.message, extensions: { code: type, status, ...domain.details } };
  }
  if (error instanceof ProblemException && error.getStatus() < 500) {
    return {
      message: error.message,
      extensions: { code: error.problemType, status: error.getStatus(), ...error.extensions },
    };
  }
  // Fastify's own client errors on the /graphql route (body too large, malformed JSON).
  const fastifyStatus = (error as { statusCode?: unknown }).statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    const code =
      fastifyStatus === 413
        ? ProblemType.payloadTooLarge
        : fastifyStatus === 415
          ? ProblemType.unsupportedMediaType
          : ProblemType.badRequest;
    return { message: (error as Error).message, extensions: { code, status: fastifyStatus } };
  }
  if (error instanceof HttpException && error.getStatus() < 500) {
    return {
      message: error.message,
      extensions: { code: ProblemType.badRequest, status: error.getStatus() },
    };
  }
  return undefined;
}

/**
 * Mercurius' error formatter: every error a resolver threw becomes a GraphQL error whose
 * `extensions.code` is the problem type REST answers for it (validation errors keep their
 * `errors` list of fields). Anything unexpected is logged with an error id and answered as an
 * internal error naming only that id: no stack, no SQL, no driver text ever reaches the client.
 * Errors of the query itself (syntax, unknown fields, depth) are bad requests.
 */
export function graphqlErrorFormatter(translate: ErrorTranslator, logger: Logger) {
  return (execution: ExecutionResult, context: FormatterContext) => {
    const errors = (execution.errors ?? []).map((error: GraphQLError) => {
      const original = error.originalError;
      if (!original || original instanceof GraphQLError) {
        return withCode(error, ProblemType.badRequest, 400);
      }
      // Mercurius wraps the query's validation errors (including depth) in one error.
      if (Array.isArray((original as { errors?: unknown }).errors)) return error;
      const problem = problemExtensions(original, translate);
      if (problem) {
        return new GraphQLError(problem.message, {
          nodes: error.nodes,
          path: error.path,
          extensions: problem.extensions,
        });
      }
      const errorId = randomUUID();
      logger.error(
        { err: original, errorId, path: error.path },
        `unexpected GraphQL error ${errorId}`,
      );
      return new GraphQLError(
        `An unexpected error occurred. Quote error id ${errorId} when reporting it.`,
        {
          nodes: error.nodes,
          path: error.path,
          extensions: { code: ProblemType.internal, status: 500, errorId },
        },
      );
    });
    const formatted = mercurius.defaultErrorFormatter({ ...execution, errors }, context);
    // A request refused before execution (too large, not JSON) keeps its HTTP status, as in REST.
    const transportStatus = execution.data ? undefined : errors[0]?.extensions?.status;
    if (typeof transportStatus === 'number' && [413, 415].includes(transportStatus)) {
      formatted.statusCode = transportStatus;
    }
    formatted.response.errors = (formatted.response.errors ?? []).map((error) =>
      error.extensions?.code
        ? error
        : { ...error, extensions: { ...error.extensions, code: ProblemType.badRequest } },
    );
    return formatted;
  };
}

function withCode(error: GraphQLError, code: string, status: number): GraphQLError {
  if (error.extensions?.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code, status },
  });
}
