import { HttpException, HttpStatus } from '@nestjs/common';

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

export interface FieldError {
  field: string;
  reasons: string[];
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

/**
 * An error that already knows its problem document. Services throw these (or Nest's own
 * HttpExceptions, which the filter maps by status) and never build responses themselves.
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

export const problems = {
  validation: (errors: FieldError[], detail = 'The request is not valid.') =>
    new ProblemException(
      HttpStatus.BAD_REQUEST,
      ProblemType.validation,
      'Validation failed',
      detail,
      {
        errors,
      },
    ),
  notFound: (what: string) =>
    new ProblemException(
      HttpStatus.NOT_FOUND,
      ProblemType.notFound,
      'Not found',
      `${what} was not found.`,
    ),
  conflict: (detail: string, extensions?: Record<string, unknown>) =>
    new ProblemException(HttpStatus.CONFLICT, ProblemType.conflict, 'Conflict', detail, extensions),
  unprocessable: (detail: string, extensions?: Record<string, unknown>) =>
    new ProblemException(
      HttpStatus.UNPROCESSABLE_ENTITY,
      ProblemType.unprocessable,
      'Unprocessable content',
      detail,
      extensions,
    ),
  preconditionFailed: (detail: string) =>
    new ProblemException(
      HttpStatus.PRECONDITION_FAILED,
      ProblemType.preconditionFailed,
      'Precondition failed',
      detail,
    ),
  gone: (detail: string) => new ProblemException(HttpStatus.GONE, ProblemType.gone, 'Gone', detail),
  unauthorized: (detail = 'Authentication is required.') =>
    new ProblemException(HttpStatus.UNAUTHORIZED, ProblemType.unauthorized, 'Unauthorized', detail),
  forbidden: (detail: string) =>
    new ProblemException(HttpStatus.FORBIDDEN, ProblemType.forbidden, 'Forbidden', detail),
  badRequest: (detail: string) =>
    new ProblemException(HttpStatus.BAD_REQUEST, ProblemType.badRequest, 'Bad request', detail),
};
