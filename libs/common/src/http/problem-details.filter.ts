import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error';
import { PROBLEM_BY_DOMAIN_CODE, ProblemBody, ProblemException, ProblemType } from './problem';
import { redactUrl } from '../observability/logging';

const TYPE_BY_STATUS: Record<number, { type: string; title: string }> = {
  400: { type: ProblemType.badRequest, title: 'Bad request' },
  401: { type: ProblemType.unauthorized, title: 'Unauthorized' },
  403: { type: ProblemType.forbidden, title: 'Forbidden' },
  404: { type: ProblemType.notFound, title: 'Not found' },
  405: { type: ProblemType.methodNotAllowed, title: 'Method not allowed' },
  409: { type: ProblemType.conflict, title: 'Conflict' },
  410: { type: ProblemType.gone, title: 'Gone' },
  412: { type: ProblemType.preconditionFailed, title: 'Precondition failed' },
  413: { type: ProblemType.payloadTooLarge, title: 'Payload too large' },
  415: { type: ProblemType.unsupportedMediaType, title: 'Unsupported media type' },
  422: { type: ProblemType.unprocessable, title: 'Unprocessable content' },
  428: { type: ProblemType.preconditionRequired, title: 'Precondition required' },
  429: { type: ProblemType.tooManyRequests, title: 'Too many requests' },
  503: { type: ProblemType.unavailable, title: 'Service unavailable' },
};

function describeStatus(status: number) {
  return (
    TYPE_BY_STATUS[status] ??
    (status >= 500
      ? { type: ProblemType.internal, title: 'Internal server error' }
      : { type: ProblemType.badRequest, title: 'Bad request' })
  );
}

/** Nest puts the client-facing text of an HttpException in `message` (string or string[]). */
function httpExceptionDetail(exception: HttpException): string | undefined {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : undefined;
}

/**
 * Recognises errors of a lower layer (the database) as domain errors, so this library needs no
 * knowledge of them: libs/database provides the one the app uses.
 */
export type ErrorTranslator = (error: unknown) => DomainError | undefined;

/**
 * Turns every error into RFC 9457 application/problem+json: domain errors by their code, Nest's
 * and Fastify's HTTP errors by status (404s for unknown routes, body-parser errors), and database
 * errors through `translate` (constraint and data errors, without leaking their text). Anything
 * unexpected becomes a 500 whose error id is also in the log line.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly translate: ErrorTranslator = () => undefined) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    // GraphQL resolvers: returning nothing rethrows the error to the GraphQL layer, whose error
    // formatter maps it (modules/graphql/graphql-errors.ts).
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    this.respond(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }

  /**
   * Sends the problem document for `exception`. Also used outside Nest's exception layer, for the
   * errors Fastify's router answers before any route runs (malformed URL, over-long parameter).
   */
  respond(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const problem = this.toProblem(exception, request);
    problem.instance = request.url;
    problem.requestId = request.id;
    void reply
      .status(problem.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(problem);
  }

  private toProblem(exception: unknown, request: FastifyRequest): ProblemBody {
    if (exception instanceof DomainError) {
      const { status, type, title } = PROBLEM_BY_DOMAIN_CODE[exception.code];
      return { type, title, status, detail: exception.message, ...exception.details };
    }
    if (exception instanceof ProblemException) {
      return {
        type: exception.problemType,
        title: exception.title,
        status: exception.getStatus(),
        detail: exception.message,
        ...exception.extensions,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) return this.unexpected(exception, request);
      const body: ProblemBody = {
        ...describeStatus(status),
        status,
        detail: httpExceptionDetail(exception),
      };
      if (
        status === HttpStatus.NOT_FOUND &&
        /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(body.detail ?? '')
      ) {
        body.detail = `No route matches ${request.method} ${request.url.split('?')[0]}.`;
      }
      return body;
    }
    const translated = this.translate(exception);
    if (translated) {
      // The database refused what the client sent (a duplicate, a missing row, a value it cannot
      // store): the client's input, not a fault of ours. Logged for the record; the SQL and
      // Prisma text stay out of the reply.
      this.logger.warn(
        { err: exception, requestId: request.id },
        `database refused input on ${request.method} ${request.url}: ${translated.code}`,
      );
      return this.toProblem(translated, request);
    }
    const fastifyStatus = (exception as { statusCode?: unknown }).statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      // Fastify's own client errors (body too large, malformed JSON, wrong media type).
      return {
        ...describeStatus(fastifyStatus),
        status: fastifyStatus,
        detail: (exception as Error).message,
      };
    }
    return this.unexpected(exception, request);
  }

  private unexpected(exception: unknown, request: FastifyRequest): ProblemBody {
    const errorId = randomUUID();
    this.logger.error(
      { err: exception, errorId, requestId: request.id },
      `unexpected error ${errorId} on ${request.method} ${redactUrl(request.url)}`,
    );
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    return {
      ...describeStatus(status),
      status,
      detail: `An unexpected error occurred. Quote error id ${errorId} when reporting it.`,
      errorId,
    };
  }
}
