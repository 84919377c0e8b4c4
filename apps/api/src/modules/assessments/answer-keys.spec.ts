import { answerKeyProblems } from './answer-keys';

describe('answerKeyProblems', () => {
  const known = new Set(['a', 'b', 'c']);
  const answers = (...keys: string[]) => keys.map((criterionKey) => ({ criterionKey }));

  it('finds nothing in answers of known keys, each once', () => {
    expect(answerKeyProblems(answers('a', 'c'), known)).toEqual({ unknown: [], repeated: [] });
  });

  it('names unknown and repeated keys once each, in the order first met', () => {
    expect(answerKeyProblems(answers('x', 'b', 'b', 'x', 'a', 'b', 'y'), known)).toEqual({
      unknown: ['x', 'y'],
      repeated: ['b'],
    });
  });
});
