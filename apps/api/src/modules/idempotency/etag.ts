import { problems } from '../../../../../libs/common/src';

/**
 * Strong entity tags for records with a lock version: `"<record id>.<lock version>"`. The id keeps
 * a tag of one record (say, an old draft) from matching another that has the same lock version.
 */
export function entityTag(id: string, lockVersion: number): string {
  return `"${id}.${lockVersion}"`;
}

/**
 * Checks an `If-Match` header against the current tag (RFC 9110 section 13.1.1): absent means
 * "no precondition"; `*` matches any existing record; otherwise one of the listed tags must be the
 * current one. A weak `W/` prefix is tolerated (we only issue strong tags). Throws 412 otherwise.
 */
export function assertIfMatch(ifMatch: string | undefined, currentTag: string): void {
  if (ifMatch === undefined || ifMatch.trim() === '') return;
  const tags = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (tags.includes('*') || tags.includes(currentTag)) return;
  throw problems.preconditionFailed(
    `If-Match ${ifMatch} does not match the current ETag ${currentTag}: the record changed since ` +
      'you read it. Read it again and retry.',
  );
}
