/**
 * What went wrong in a use case, in the domain's terms and independent of any transport: HTTP maps
 * each code to a status and a problem+json document in one place (ProblemDetailsFilter), a job
 * handler logs it, GraphQL will put it in `extensions.code`. Codes are stable; clients switch on
 * what the transport derives from them.
 */
export const DOMAIN_ERROR_CODES = [
  'validation',
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'gone',
  'precondition_failed',
  'precondition_required',
  'unprocessable',
  'too_many_requests',
  'unavailable',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export interface FieldError {
  field: string;
  reasons: string[];
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Machine-readable facts for the client (e.g. `errors` of a validation failure). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The errors use cases throw; each names what is wrong, never how a transport reports it. */
export const problems = {
  validation: (errors: FieldError[], detail = 'The request is not valid.') =>
    new DomainError('validation', detail, { errors }),
  notFound: (what: string) => new DomainError('not_found', `${what} was not found.`),
  conflict: (detail: string, details?: Record<string, unknown>) =>
    new DomainError('conflict', detail, details),
  unprocessable: (detail: string, details?: Record<string, unknown>) =>
    new DomainError('unprocessable', detail, details),
  preconditionFailed: (detail: string) => new DomainError('precondition_failed', detail),
  gone: (detail: string) => new DomainError('gone', detail),
  unauthorized: (detail = 'Authentication is required.') => new DomainError('unauthorized', detail),
  forbidden: (detail: string) => new DomainError('forbidden', detail),
  badRequest: (detail: string) => new DomainError('bad_request', detail),
};
