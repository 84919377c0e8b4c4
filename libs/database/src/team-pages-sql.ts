import { Prisma } from './generated/prisma/client';

/**
 * One statement for a newest-first page of each of many teams' rows (a dashboard's page of teams,
 * or REST's one team): up to `take` rows of `table` per team, created within [from, to) and
 * strictly after the cursor's (created_at, id) when there is one, teams in the order given.
 * `columns` (over `alias`) must include `id` and `created_at AS "createdAt"`; `conditions` are
 * the list's own filters. Each team's rows come from its own index range (a LATERAL join), so a
 * team with much history costs no more than in a one-team read.
 */
export function teamPagesSql(page: {
  table: string;
  alias: string;
  columns: Prisma.Sql;
  organizationId: string;
  teamIds: readonly string[];
  range: { from?: string; to?: string };
  after: { createdAt: Date; id: string } | undefined;
  conditions: Prisma.Sql[];
  take: number;
}): Prisma.Sql {
  const row = Prisma.raw(page.alias);
  const where = [
    Prisma.sql`${row}.organization_id = ${page.organizationId}::uuid`,
    Prisma.sql`${row}.team_id = team.id`,
    ...page.conditions,
  ];
  if (page.range.from) where.push(Prisma.sql`${row}.created_at >= ${new Date(page.range.from)}`);
  if (page.range.to) where.push(Prisma.sql`${row}.created_at < ${new Date(page.range.to)}`);
  if (page.after) {
    const { createdAt, id } = page.after;
    where.push(
      Prisma.sql`(${row}.created_at < ${createdAt}
                  OR (${row}.created_at = ${createdAt} AND ${row}.id < ${id}::uuid))`,
    );
  }
  return Prisma.sql`
    SELECT page.* FROM unnest(${[...page.teamIds]}::uuid[]) WITH ORDINALITY AS team(id, position)
     CROSS JOIN LATERAL (
       SELECT ${page.columns} FROM ${Prisma.raw(page.table)} ${row}
        WHERE ${Prisma.join(where, ' AND ')}
        ORDER BY ${row}.created_at DESC, ${row}.id DESC
        LIMIT ${page.take}) AS page
     ORDER BY team.position, page."createdAt" DESC, page.id DESC`;
}
