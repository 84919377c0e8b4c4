import { Param, PipeTransform } from '@nestjs/common';
import { problems } from '@app/common';

class VersionNumberOrNotFoundPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9][0-9]{0,8}$/.test(value)) throw problems.notFound(`Version ${value}`);
    return Number(value);
  }
}

/** A model version number in the path (1, 2, ...); anything else names no version: 404. */
export function VersionParam(name: 'version' | 'otherVersion'): ParameterDecorator {
  return Param(name, new VersionNumberOrNotFoundPipe());
}
