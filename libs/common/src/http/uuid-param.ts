import { Param, PipeTransform } from '@nestjs/common';
import { isUuid } from '../auth/secrets';
import { problems } from '../errors/domain-error';

/** A malformed id cannot name anything: it answers 404 like any id that is not there. */
export class UuidOrNotFoundPipe implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw problems.notFound(this.what);
    return value.toLowerCase();
  }
}

/** A path parameter that must be a UUID; `teamId` -> "Team" in the 404 detail. */
export function UuidParam(name: string): ParameterDecorator {
  const what = name.replace(/Id$/, '').replace(/^./, (first) => first.toUpperCase());
  return Param(name, new UuidOrNotFoundPipe(what));
}
