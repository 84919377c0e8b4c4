import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { isUuid } from '../auth/secrets';
import { problems } from '../errors/domain-error';
import { IsRfc3339DateTime, isRfc3339DateTime, Optional } from './validators';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export class PageQueryDto {
  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page.' })
  @Optional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class TimeRangePageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only records created at or after this time.',
  })
  @Optional()
  @IsRfc3339DateTime()
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only records created before this time.',
  })
  @Optional()
  @IsRfc3339DateTime()
  to?: string;
}

/** Position of the last row served: lists are ordered newest first by (createdAt, id). */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string | undefined): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  // Everything in a cursor reaches SQL: the id must be a UUID and the time one PostgreSQL and
  // JavaScript both represent (years 1..9999), or the query fails with a data error (a 500).
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    !isRfc3339DateTime(decoded[0]) ||
    !isUuid(decoded[1])
  ) {
    throw problems.validation([
      { field: 'cursor', reasons: ['cursor is not one this API issued'] },
    ]);
  }
  return { createdAt: new Date(decoded[0]), id: (decoded[1] as string).toLowerCase() };
}

/**
 * Keyset pagination: rows strictly after the cursor in (createdAt desc, id desc) order. Rows
 * inserted while a client pages are newer than its cursor, so they never shift or repeat a page.
 */
export function keysetAfter(position: CursorPosition | undefined) {
  if (!position) return {};
  return {
    OR: [
      { createdAt: { lt: position.createdAt } },
      { createdAt: position.createdAt, id: { lt: position.id } },
    ],
  };
}

export const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

export function createdWithin(query: { from?: string; to?: string }) {
  if (!query.from && !query.to) return {};
  return {
    createdAt: {
      ...(query.from ? { gte: new Date(query.from) } : {}),
      ...(query.to ? { lt: new Date(query.to) } : {}),
    },
  };
}

export const DEFAULT_PAGE_SIZE = 50;

/** Where a page starts, and how many rows to fetch: one more than the page, to know if more follow. */
export interface PageWindow {
  after: CursorPosition | undefined;
  take: number;
}

/**
 * The one keyset-pagination flow of every list: decode the client's cursor (400 when it is not one
 * this API issued), fetch one row more than the page, answer the page and the cursor of its last
 * row when more follow. `positionOf` names the row's (time, id) when it is not (createdAt, id).
 */
export async function fetchPage<Row, Item>(
  query: PageQueryDto,
  fetch: (window: PageWindow) => Promise<Row[]>,
  present: (row: Row) => Item,
  options: PageOptions<Row> = {},
): Promise<Page<Item>> {
  const limit = pageLimit(query, options);
  const rows = await fetch({ after: decodeCursor(query.cursor), take: limit + 1 });
  return pageOfRows(rows, limit, present, options);
}

/**
 * fetchPage for many owners at once (say, the teams of a dashboard), each from its first page:
 * `fetch` reads up to `take` rows of every owner in one go (each owner's in page order, owners
 * interleaved or not); each owner's page and cursor are cut exactly as fetchPage cuts one.
 */
export async function fetchFirstPages<Row, Item>(
  query: PageQueryDto,
  owners: readonly string[],
  fetch: (take: number) => Promise<Row[]>,
  ownerOf: (row: Row) => string,
  present: (row: Row) => Item,
  options: PageOptions<Row> = {},
): Promise<Map<string, Page<Item>>> {
  if (query.cursor !== undefined) throw new Error('fetchFirstPages serves first pages only');
  const limit = pageLimit(query, options);
  const rowsOf = new Map<string, Row[]>(owners.map((owner) => [owner, []]));
  for (const row of await fetch(limit + 1)) rowsOf.get(ownerOf(row))?.push(row);
  return new Map(
    [...rowsOf].map(([owner, rows]) => [owner, pageOfRows(rows, limit, present, options)]),
  );
}

interface PageOptions<Row> {
  defaultLimit?: number;
  positionOf?: (row: Row) => CursorPosition;
}

function pageLimit(query: PageQueryDto, options: { defaultLimit?: number }): number {
  return query.limit ?? options.defaultLimit ?? DEFAULT_PAGE_SIZE;
}

/** The page of rows read one past `limit`, and the cursor of its last row when more follow. */
function pageOfRows<Row, Item>(
  rows: Row[],
  limit: number,
  present: (row: Row) => Item,
  options: PageOptions<Row>,
): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  const positionOf = options.positionOf ?? ((row: Row) => row as unknown as CursorPosition);
  return {
    items: pageRows.map(present),
    nextCursor: hasMore && last ? encodeCursor(positionOf(last)) : null,
  };
}
