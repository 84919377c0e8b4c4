import { Prisma } from './generated/prisma/client';

/**
 * The conditions of a newest-first keyset page as SQL, for reads Prisma's query API cannot express
 * (a page per team for many teams in one statement): created within [from, to), and strictly after
 * the cursor's (created_at, id). Columns are qualified with `alias`.
 */
export function createdPageSql(
  alias: string,
  range: { from?: string; to?: string },
  after: { createdAt: Date; id: string } | undefined,
): Prisma.Sql[] {
  const createdAt = Prisma.raw(`${alias}.created_at`);
  const id = Prisma.raw(`${alias}.id`);
  const conditions: Prisma.Sql[] = [];
  if (range.from) conditions.push(Prisma.sql`${createdAt} >= ${new Date(range.from)}`);
  if (range.to) conditions.push(Prisma.sql`${createdAt} < ${new Date(range.to)}`);
  if (after) {
    conditions.push(
      Prisma.sql`(${createdAt} < ${after.createdAt}
                  OR (${createdAt} = ${after.createdAt} AND ${id} < ${after.id}::uuid))`,
    );
  }
  return conditions;
}
