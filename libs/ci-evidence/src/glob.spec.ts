import fc from 'fast-check';
import { globMatches } from './index';

describe('globMatches', () => {
  it.each([
    ['acme/ml-*', 'acme/ml-churn', true],
    ['acme/ml-*', 'acme/ml-', true],
    ['acme/ml-*', 'acme/web', false],
    ['acme/*', 'acme/sub/repo', false],
    ['acme/**', 'acme/sub/repo', true],
    ['**/churn', 'group/sub/churn', true],
    ['*', 'acme/churn', false],
    ['**', 'acme/churn', true],
    ['acme/churn', 'acme/churn', true],
    ['acme/churn', 'acme/churn-2', false],
    ['acme/c.urn', 'acme/churn', false],
    ['acme/(x)', 'acme/(x)', true],
    ['release/*', 'release/1.2', true],
    ['release/*', 'release/1.2/hotfix', false],
  ])('%s on %s: %s', (pattern, subject, expected) => {
    expect(globMatches(pattern, subject)).toBe(expected);
  });

  it('ignores case only when asked (repositories, not branches)', () => {
    expect(globMatches('Acme/ML-*', 'acme/ml-churn', true)).toBe(true);
    expect(globMatches('Main', 'main')).toBe(false);
  });

  it('stays fast on a pathological pattern (no backtracking)', () => {
    const started = performance.now();
    expect(globMatches('*a'.repeat(100) + 'b', 'a'.repeat(256))).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('a pattern without stars matches exactly itself', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('*')),
        fc.string(),
        (literal, other) => {
          expect(globMatches(literal, literal)).toBe(true);
          expect(globMatches(literal, other)).toBe(literal === other);
        },
      ),
    );
  });

  it('`**` matches everything and `*` everything without a slash', () => {
    fc.assert(
      fc.property(fc.string(), (subject) => {
        expect(globMatches('**', subject)).toBe(true);
        expect(globMatches('*', subject)).toBe(!subject.includes('/'));
      }),
    );
  });
});
