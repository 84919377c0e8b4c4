import { DomainError } from '@app/common';
import { DatabaseError } from 'pg';
import { Prisma } from './generated/prisma/client';

/**
 * The constraint errors use cases turn into their own 409s with a domain message. Anything they
 * do not catch still reaches the problem+json filter, which maps the same codes generically.
 */
function hasCode(error: unknown, code: string): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;
}

export function isUniqueViolation(error: unknown): boolean {
  return hasCode(error, 'P2002');
}

export function isForeignKeyViolation(error: unknown): boolean {
  return hasCode(error, 'P2003');
}

/** Prisma's codes for data errors it recognises itself (value too long, bad input, out of range). */
const PRISMA_DATA_ERRORS = new Set(['P2000', 'P2006', 'P2007', 'P2019', 'P2020', 'P2023', 'P2033']);

/**
 * The PostgreSQL SQLSTATE behind an error, wherever Prisma 7 and its pg driver adapter put it:
 * `meta.driverAdapterError.cause.originalCode` on a PrismaClientKnownRequestError (P2010 raw query
 * failed, P2039 database error, and the mapped codes), `cause.originalCode` on a bare
 * DriverAdapterError, or `code` on a pg DatabaseError (what the raw pool throws: the one-message
 * reads and writes of TenantTransactions; pg names those errors 'error', so the class decides).
 */
export function sqlStateOf(error: unknown): string | undefined {
  const candidates: unknown[] = [
    (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } })?.meta
      ?.driverAdapterError?.cause?.originalCode,
    (error as { cause?: { originalCode?: unknown } })?.cause?.originalCode,
    error instanceof DatabaseError ? error.code : undefined,
  ];
  return candidates.find(
    (code): code is string => typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code),
  );
}

/** SQLSTATE class 22, "data exception": the value sent cannot be stored or compared. */
export function isDataException(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError && PRISMA_DATA_ERRORS.has(error.code)) {
    return true;
  }
  return sqlStateOf(error)?.startsWith('22') ?? false;
}

/**
 * The database's refusals as domain errors, for whatever transport reports them: constraint
 * violations a use case did not turn into its own message, a row that vanished, and values the
 * database cannot store or compare (SQLSTATE class 22, Prisma's own validation). Undefined for
 * anything else, which stays an unexpected error.
 */
export function domainErrorOfDatabaseError(error: unknown): DomainError | undefined {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    switch (error.code) {
      case 'P2002':
        return new DomainError('conflict', 'A record with the same unique value already exists.');
      case 'P2025':
      case 'P2001':
        return new DomainError('not_found', 'The record was not found.');
      case 'P2003':
        return new DomainError(
          'conflict',
          'The record refers to, or is referred to by, another record.',
        );
      // The pool had no connection free in time (or the transaction ran out of time): busy.
      case 'P2028':
        return new DomainError('unavailable', 'The service is busy; retry in a moment.');
    }
  }
  if (isDataException(error) || error instanceof Prisma.PrismaClientValidationError) {
    return new DomainError(
      'bad_request',
      'The request holds a value that cannot be stored or compared (for example a number out of range or an unsupported character).',
    );
  }
  return undefined;
}
