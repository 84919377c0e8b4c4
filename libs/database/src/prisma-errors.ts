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
