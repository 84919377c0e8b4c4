import 'reflect-metadata';
import { ArgumentMetadata, ValidationError } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { createValidationPipe, flattenValidationErrors } from './validation';
import { Optional } from './validators';
import { DomainError } from '../errors/domain-error';

const error = (
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError => ({ property, constraints, children }) as ValidationError;

describe('flattenValidationErrors', () => {
  it('turns nested errors into dotted and indexed field paths', () => {
    const errors = [
      error('name', { isString: 'name must be a string', minLength: 'name is too short' }),
      error('owner', undefined, [error('email', { isEmail: 'email must be an email' })]),
      error('answers', undefined, [
        error('0', undefined, [error('criterion', { isNotEmpty: 'criterion is empty' })]),
        error('2', { isObject: 'must be an object' }),
      ]),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'name', reasons: ['name must be a string', 'name is too short'] },
      { field: 'owner.email', reasons: ['email must be an email'] },
      { field: 'answers[0].criterion', reasons: ['criterion is empty'] },
      { field: 'answers[2]', reasons: ['must be an object'] },
    ]);
  });

  it('returns nothing for no errors', () => {
    expect(flattenValidationErrors([])).toEqual([]);
  });
});

class Item {
  @IsString()
  label!: string;
}

class Body {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  count!: number;

  @ValidateNested({ each: true })
  @Type(() => Item)
  items!: Item[];
}

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const metadata: ArgumentMetadata = { type: 'body', metatype: Body };
  const problemOf = async (value: unknown) => {
    try {
      await pipe.transform(value, metadata);
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(DomainError);
      return (thrown as DomainError).details.errors;
    }
    throw new Error('accepted');
  };

  it('accepts a valid body and transforms types', async () => {
    const result = (await pipe.transform(
      { count: '3', items: [{ label: 'a' }] },
      metadata,
    )) as Body;
    expect(result).toBeInstanceOf(Body);
    expect(result.count).toBe(3);
    expect(result.items[0]).toBeInstanceOf(Item);
  });

  it('rejects unknown properties instead of dropping them silently', async () => {
    const errors = await problemOf({ count: 1, items: [], isAdmin: true });
    expect(errors).toEqual([{ field: 'isAdmin', reasons: ['property isAdmin should not exist'] }]);
  });

  it('answers a validation problem listing each offending field', async () => {
    try {
      await pipe.transform({ count: 0, items: [{ label: 5 }] }, metadata);
      throw new Error('accepted');
    } catch (thrown) {
      const problem = thrown as DomainError;
      expect(problem.code).toBe('validation');
      expect(problem.details.errors).toEqual([
        { field: 'count', reasons: ['count must not be less than 1'] },
        { field: 'items[0].label', reasons: ['label must be a string'] },
      ]);
    }
  });
});

describe('createValidationPipe: empty queries', () => {
  class OptionalQuery {
    @IsInt()
    @Min(1)
    limit?: number;
  }
  class RequiredQuery {
    @IsString()
    name!: string;
  }
  const query = (metatype: new () => object): ArgumentMetadata => ({ type: 'query', metatype });

  it('gives the same instance the full pipe gives, and still validates non-empty queries', async () => {
    const pipe = createValidationPipe();
    // OptionalQuery has no @Optional: an empty query fails it, every time.
    await expect(pipe.transform({}, query(OptionalQuery))).rejects.toBeInstanceOf(DomainError);
    await expect(pipe.transform({}, query(OptionalQuery))).rejects.toBeInstanceOf(DomainError);
    await expect(pipe.transform({}, query(RequiredQuery))).rejects.toBeInstanceOf(DomainError);
    await expect(pipe.transform({}, query(RequiredQuery))).rejects.toBeInstanceOf(DomainError);
    await expect(pipe.transform({ name: 'x', extra: '1' }, query(RequiredQuery))).rejects.toThrow();
  });

  it('remembers that an empty query of a class validated, and answers with an instance', async () => {
    class PageQuery {
      @Optional()
      @IsString()
      cursor?: string;
    }
    const pipe = createValidationPipe();
    const first = await pipe.transform({}, query(PageQuery));
    const second = await pipe.transform(Object.create(null), query(PageQuery));
    expect(first).toBeInstanceOf(PageQuery);
    expect(second).toBeInstanceOf(PageQuery);
    expect(second).toEqual(first);
    await expect(pipe.transform({ cursor: 1 }, query(PageQuery))).rejects.toBeInstanceOf(
      DomainError,
    );
  });
});
