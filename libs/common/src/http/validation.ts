import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, problems } from '../errors/domain-error';

/** Flattens nested class-validator errors into `{ field: 'a.b[0].c', reasons }`. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : prefix
        ? `${prefix}.${error.property}`
        : error.property;
    const own: FieldError[] = error.constraints
      ? [{ field, reasons: Object.values(error.constraints) }]
      : [];
    return own.concat(flattenValidationErrors(error.children ?? [], field));
  });
}

/** Unknown properties are rejected (not silently dropped); types are transformed from strings. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => problems.validation(flattenValidationErrors(errors)),
  });
}
