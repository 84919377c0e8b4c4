import { Args, ID } from '@nestjs/graphql';
import { UuidOrNotFoundPipe } from '@app/common';

/** An id argument: a malformed id names nothing, so it is not found (as REST's UuidParam). */
export function IdArg(what: string, name = 'id'): ParameterDecorator {
  return Args(name, { type: () => ID }, new UuidOrNotFoundPipe(what));
}
