import { inspectInput, MAX_INPUT_DEPTH, rejectUnsafeInput } from './input-guard';
import { DomainError } from '../errors/domain-error';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) value = i % 2 ? { a: value } : [value];
  return value;
};

describe('inspectInput', () => {
  it('accepts ordinary values, emoji (paired surrogates) and other control characters', () => {
    expect(
      inspectInput({ name: 'Team 🚀', tags: ['a\tb', 'é'], n: 1, ok: true, none: null }),
    ).toEqual([]);
    expect(inspectInput(nested(MAX_INPUT_DEPTH))).toEqual([]);
  });

  it('names every field holding NUL or an unpaired surrogate, keys included', () => {
    const errors = inspectInput({
      name: 'a\u0000b',
      owner: { email: 'x\ud800@example.com' },
      list: ['ok', '\udc00'],
      'bad\u0000key': 1,
    });
    expect(errors).toHaveLength(4);
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'name', reasons: ['must not contain the NUL character (U+0000)'] },
        { field: 'owner.email', reasons: ['must not contain unpaired UTF-16 surrogates'] },
        { field: 'list[1]', reasons: ['must not contain unpaired UTF-16 surrogates'] },
        {
          field: '"bad\\u0000key"',
          reasons: ['property name must not contain the NUL character (U+0000)'],
        },
      ]),
    );
  });

  it('refuses nesting deeper than the limit without overflowing the stack', () => {
    expect(inspectInput(nested(MAX_INPUT_DEPTH + 1))).toHaveLength(1);
    const errors = inspectInput({ deep: nested(200_000) });
    expect(errors).toHaveLength(1);
    expect(errors[0].reasons[0]).toContain(`${MAX_INPUT_DEPTH} levels`);
  });

  const hookResult = (request: { body?: unknown; query?: unknown }) =>
    new Promise<Error | undefined>((resolve) => rejectUnsafeInput(request, {}, resolve));

  it('rejectUnsafeInput answers a validation problem for query and body', async () => {
    await expect(hookResult({ query: { entityType: '\u0000' } })).resolves.toBeInstanceOf(
      DomainError,
    );
    await expect(hookResult({ query: {}, body: { a: 1 } })).resolves.toBeUndefined();
  });
});
