import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { JobOptions } from './job-handler';

export class InvalidJobPayloadError extends Error {}

/**
 * The payload as the handler's DTO, or InvalidJobPayloadError naming every bad field. The same
 * rules as HTTP bodies: unknown fields are errors, not silently dropped.
 */
export function checkedPayload(options: JobOptions, data: unknown): object {
  const plain = data ?? {};
  if (!options.payload) {
    if (typeof plain === 'object' && Object.keys(plain).length === 0) return {};
    throw new InvalidJobPayloadError(`job ${options.name} takes no payload`);
  }
  const payload = plainToInstance(options.payload, plain);
  const errors = validateSync(payload, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const fields = errors
      .map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join(', ')}`)
      .join('; ');
    throw new InvalidJobPayloadError(`job ${options.name} payload is not valid (${fields})`);
  }
  return payload;
}
