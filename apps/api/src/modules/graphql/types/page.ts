import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import type { Type } from '@nestjs/common';
import { TimeRangePageQueryDto } from '@app/common';

/** The largest page any list field serves (REST's limit maximum). */
export const MAX_PAGE_SIZE = 100;

/**
 * A page of a list, as REST answers it: the items and the opaque cursor of the next page (the very
 * cursors REST issues and accepts: pass it back as `cursor`).
 */
export function Page<T>(item: Type<T>, name: string) {
  @ObjectType(name, { description: `A page of ${item.name} items; cursors are REST's.` })
  abstract class PageType {
    @Field(() => [item]) items!: T[];
    @Field(() => String, { nullable: true, description: 'Pass as `cursor` for the next page.' })
    nextCursor!: string | null;
  }
  return PageType;
}

/**
 * The arguments of every list: REST's query DTO itself (same names, same validation, same cursor
 * format), with the GraphQL field declarations added.
 */
@ArgsType()
export class PageArgs extends TimeRangePageQueryDto {
  @Field(() => String, { nullable: true, description: 'Opaque cursor from a previous page.' })
  override cursor?: string = undefined;

  @Field(() => Int, { nullable: true, description: `1..${MAX_PAGE_SIZE}, default 50.` })
  override limit?: number = undefined;

  @Field(() => String, { nullable: true, description: 'RFC 3339: created at or after.' })
  override from?: string = undefined;

  @Field(() => String, { nullable: true, description: 'RFC 3339: created before.' })
  override to?: string = undefined;
}
