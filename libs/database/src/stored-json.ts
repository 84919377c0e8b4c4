import type { Prisma } from './generated/prisma/client';

/** A JSON column's value as written: what the application hands over, JSON-normalised. */
export type StoredJson = Prisma.InputJsonValue;
/** A JSON column's value as read. */
export type ReadJson = Prisma.JsonValue;

/**
 * Normalises a value for a JSON column the way the API would serialise it (Dates as ISO strings,
 * undefined fields dropped), so what is stored equals what a client was answered.
 */
export function toStoredJson(value: unknown): StoredJson {
  return JSON.parse(JSON.stringify(value)) as StoredJson;
}
