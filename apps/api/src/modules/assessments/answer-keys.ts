/**
 * The criterion keys of a set of answers that the model does not know, and those given more than
 * once (each in the order first met, once): what an assessment's or a campaign response's answers
 * are checked for before anything is stored.
 */
export function answerKeyProblems(
  answers: readonly { criterionKey: string }[],
  known: ReadonlySet<string>,
): { unknown: string[]; repeated: string[] } {
  const seen = new Set<string>();
  const unknown = new Set<string>();
  const repeated = new Set<string>();
  for (const { criterionKey } of answers) {
    if (!known.has(criterionKey)) unknown.add(criterionKey);
    else if (seen.has(criterionKey)) repeated.add(criterionKey);
    seen.add(criterionKey);
  }
  return { unknown: [...unknown], repeated: [...repeated] };
}
