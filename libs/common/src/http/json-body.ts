import type { FastifyBodyParser, FastifyInstance } from 'fastify';

/**
 * `application/json` bodies, parsed as Fastify's own parser does (malformed JSON and prototype
 * poisoning answer 400) except that an empty body is no body. Action endpoints (submit, publish,
 * draft, logout...) take no body, and clients that always send `Content-Type: application/json`
 * must get their normal answer, not 400 "Body cannot be empty". A route that needs a body still
 * refuses a missing one: its validation fails on `undefined`.
 */
export function emptyTolerantJsonParser(fastify: FastifyInstance): FastifyBodyParser<Buffer> {
  const parse = fastify.getDefaultJsonParser(
    'error',
    'error',
  ) as unknown as FastifyBodyParser<Buffer>;
  return (request, body, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    return parse(request, body, done);
  };
}
