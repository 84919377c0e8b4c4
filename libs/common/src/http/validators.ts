import { plainToInstance, Transform } from 'class-transformer';
import { IsObject, registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';

/**
 * RFC 3339 `date-time` (section 5.6): full date, `T`, full time, fraction optional, `Z` or a
 * numeric offset. Years 0001..9999 only, and the date must exist (no 2023-02-29). Forms that
 * class-validator's @IsDateString accepts but PostgreSQL or `new Date()` do not (`2024-W01`,
 * `20240101`, `0000-01-01`, bare dates) are refused.
 */
const RFC3339_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

export function isRfc3339DateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = RFC3339_DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && !leap ? 28 : daysInMonth)) return false;
  // 60 is a leap second: RFC 3339 allows it, JavaScript dates do not.
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (match[9] !== undefined && (Number(match[9]) > 23 || Number(match[10]) > 59)) return false;
  const time = new Date(value).getTime();
  if (Number.isNaN(time)) return false;
  // An offset can push 0001-01-01T00:00:00+01:00 into year 0; keep the instant in 1..9999 too.
  const instantYear = new Date(time).getUTCFullYear();
  return instantYear >= 1 && instantYear <= 9999;
}

/** The one validator for every date-time the API accepts (query filters, body fields). */
export function IsRfc3339DateTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isRfc3339DateTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z`,
        ...options,
      },
      validator: { validate: (value: unknown) => isRfc3339DateTime(value) },
    });
}

/**
 * An optional property: absent (undefined) skips its validators, anything else, null included,
 * must pass them. class-validator's @IsOptional also lets null through, which then reached the
 * services and the database as a value nobody planned for. Where null has a documented meaning
 * (for example "null removes the signal"), say so with an explicit @ValidateIf instead.
 */
export function Optional(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined, options);
}

/**
 * An array whose elements are classes chosen by a discriminator property (`op`), for
 * @ValidateNested({ each: true }). class-transformer's own `@Type(..., { discriminator })` reads
 * that property on every element and throws a TypeError (a 500) on a null one; here an element
 * that is not an object is left as it is, for @ValidateNested to refuse ("must be either object or
 * array"), and an unknown discriminator value gets `fallback`, whose validators refuse it. Every
 * element must be an object (an array would pass @ValidateNested).
 */
export function DiscriminatedArray(
  property: string,
  subTypes: Record<string, new () => object>,
  fallback: new () => object,
): PropertyDecorator {
  const build = Transform(({ value }: { value: unknown }) => {
    if (!Array.isArray(value)) return value;
    return value.map((element: unknown) => {
      if (element === null || typeof element !== 'object' || Array.isArray(element)) {
        return element;
      }
      const tag = (element as Record<string, unknown>)[property];
      const type =
        typeof tag === 'string' && Object.hasOwn(subTypes, tag) ? subTypes[tag] : fallback;
      return plainToInstance(type, element);
    });
  });
  // An array nested in the array would pass @ValidateNested as a list of nothing.
  const objectsOnly = IsObject({
    each: true,
    message: 'each element of $property must be an object',
  });
  return (target: object, propertyName: string | symbol) => {
    build(target, propertyName);
    objectsOnly(target, propertyName);
  };
}
