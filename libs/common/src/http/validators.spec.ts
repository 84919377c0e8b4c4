import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsArray, IsIn, IsInt, validateSync, ValidateNested } from 'class-validator';
import { flattenValidationErrors } from './validation';
import { DiscriminatedArray, IsRfc3339DateTime, isRfc3339DateTime, Optional } from './validators';

describe('isRfc3339DateTime', () => {
  it.each([
    '2026-01-31T12:00:00Z',
    '2026-01-31t12:00:00z',
    '2026-01-31T12:00:00.123456Z',
    '2026-01-31T12:00:00+05:30',
    '2024-02-29T00:00:00Z',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
  ])('accepts %s', (value) => expect(isRfc3339DateTime(value)).toBe(true));

  it.each([
    '2024-W01',
    '2099-W01',
    '20240101',
    '0000-01-01',
    '0000-01-01T00:00:00Z',
    '2024-01-01',
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-32T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:00:60Z',
    '2024-01-01T00:00:00',
    '2024-01-01 00:00:00Z',
    '+002024-01-01T00:00:00Z',
    '-200000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+01:00',
    '9999-12-31T23:00:00-05:00',
    '2024-01-01T00:00:00+24:00',
    '',
    'yesterday',
  ])('refuses %s', (value) => expect(isRfc3339DateTime(value)).toBe(false));

  it('refuses non-strings', () => {
    for (const value of [null, undefined, 0, 1704067200000, {}, [], new Date()]) {
      expect(isRfc3339DateTime(value)).toBe(false);
    }
  });
});

class Sample {
  @Optional()
  @IsRfc3339DateTime()
  at?: string;
}

describe('Optional', () => {
  const errorsOf = (value: Record<string, unknown>) =>
    validateSync(Object.assign(new Sample(), value)).map((error) => error.property);

  it('skips an absent property but validates null like any other value', () => {
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ at: '2026-01-01T00:00:00Z' })).toEqual([]);
    expect(errorsOf({ at: null })).toEqual(['at']);
    expect(errorsOf({ at: '2024-W01' })).toEqual(['at']);
  });
});

class Add {
  @IsIn(['add'])
  op!: 'add';

  @IsInt()
  amount!: number;
}

class Remove {
  @IsIn(['remove'])
  op!: 'remove';
}

class AnyOperation {
  @IsIn(['add', 'remove'])
  op!: string;
}

class Batch {
  @IsArray()
  @ValidateNested({ each: true })
  @DiscriminatedArray('op', { add: Add, remove: Remove }, AnyOperation)
  operations!: unknown[];
}

describe('DiscriminatedArray', () => {
  const fieldsOf = (plain: unknown) =>
    flattenValidationErrors(validateSync(plainToInstance(Batch, plain))).map(
      (error) => error.field,
    );

  it('refuses an array nested in the array (it would validate as a list of nothing)', () => {
    expect(fieldsOf({ operations: [[]] })).toEqual(['operations']);
    expect(fieldsOf({ operations: [[{ op: 'add', amount: 1 }]] })).toContain('operations');
  });

  it('builds each element as the class its discriminator names', () => {
    const batch = plainToInstance(Batch, {
      operations: [{ op: 'add', amount: 1 }, { op: 'remove' }],
    });
    expect(batch.operations[0]).toBeInstanceOf(Add);
    expect(batch.operations[1]).toBeInstanceOf(Remove);
    expect(validateSync(batch)).toEqual([]);
  });

  it('refuses null, primitives, arrays and unknown discriminators instead of throwing', () => {
    expect(() =>
      plainToInstance(Batch, { operations: [null, undefined, 7, 'x', [], { op: 'nope' }] }),
    ).not.toThrow();
    expect(
      fieldsOf({
        operations: [{ op: 'add', amount: 1 }, null, 7, 'x', [], { op: 'nope' }, { op: 'add' }],
      }),
    ).toEqual([
      'operations', // each element must be an object: null, 7, 'x' and [] are not
      'operations[1]',
      'operations[2]',
      'operations[3]',
      'operations[5].op',
      'operations[6].amount',
    ]);
  });
});
