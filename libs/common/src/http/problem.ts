import { HttpException, HttpStatus } from '@nestjs/common';
import type { DomainErrorCode } from '../errors/domain-error';

/** Stable problem type identifiers (RFC 9457 `type`); clients may switch on them. */
export const ProblemType = {
  validation: 'urn:mlops:problem:validation-error',
  badRequest: 'urn:mlops:problem:bad-request',
  unauthorized: 'urn:mlops:problem:unauthorized',
  forbidden: 'urn:mlops:problem:forbidden',
  notFound: 'urn:mlops:problem:not-found',
  methodNotAllowed: 'urn:mlops:problem:method-not-allowed',
  conflict: 'urn:mlops:problem:conflict',
  gone: 'urn:mlops:problem:gone',
  preconditionFailed: 'urn:mlops:problem:precondition-failed',
  preconditionRequired: 'urn:mlops:problem:precondition-required',
  payloadTooLarge: 'urn:mlops:problem:payload-too-large',
  unsupportedMediaType: 'urn:mlops:problem:unsupported-media-type',
  unprocessable: 'urn:mlops:problem:unprocessable-entity',
  tooManyRequests: 'urn:mlops:problem:too-many-requests',
  unavailable: 'urn:mlops:problem:service-unavailable',
  internal: 'urn:mlops:problem:internal-error',
} as const;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

/**
 * An error of the HTTP layer itself (guards, health checks) that already knows its problem
 * document. Use cases throw DomainErrors instead; the filter maps those.
 */
export class ProblemException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly problemType: string,
    readonly title: string,
    detail?: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? title, status);
  }
}

/** How HTTP reports each domain error code: its status and problem document. */
export const PROBLEM_BY_DOMAIN_CODE: Record<
  DomainErrorCode,
  { status: HttpStatus; type: string; title: string }
> = {
  validation: { status: 400, type: ProblemType.validation, title: 'Validation failed' },
  bad_request: { status: 400, type: ProblemType.badRequest, title: 'Bad request' },
  unauthorized: { status: 401, type: ProblemType.unauthorized, title: 'Unauthorized' },
  forbidden: { status: 403, type: ProblemType.forbidden, title: 'Forbidden' },
  not_found: { status: 404, type: ProblemType.notFound, title: 'Not found' },
  conflict: { status: 409, type: ProblemType.conflict, title: 'Conflict' },
  gone: { status: 410, type: ProblemType.gone, title: 'Gone' },
  precondition_failed: {
    status: 412,
    type: ProblemType.preconditionFailed,
    title: 'Precondition failed',
  },
  unprocessable: { status: 422, type: ProblemType.unprocessable, title: 'Unprocessable content' },
  precondition_required: {
    status: 428,
    type: ProblemType.preconditionRequired,
    title: 'Precondition required',
  },
  too_many_requests: { status: 429, type: ProblemType.tooManyRequests, title: 'Too many requests' },
  unavailable: { status: 503, type: ProblemType.unavailable, title: 'Service unavailable' },
};
