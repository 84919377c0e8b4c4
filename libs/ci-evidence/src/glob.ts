/**
 * Globs on "owner/name" repositories and on branches: `*` matches any characters but `/`, `**`
 * any characters including `/`, everything else is literal. Hand-written as a dynamic-programming
 * match (pattern length x subject length steps at most) because glob libraries compile to
 * backtracking regular expressions, and these patterns come from users.
 */
export function globMatches(pattern: string, subject: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const s = ignoreCase ? subject.toLowerCase() : subject;
  type Token = { kind: 'char'; char: string } | { kind: 'star' } | { kind: 'globstar' };
  const tokens: Token[] = [];
  for (let i = 0; i < p.length; i += 1) {
    if (p[i] !== '*') tokens.push({ kind: 'char', char: p[i] });
    else if (p[i + 1] === '*') {
      tokens.push({ kind: 'globstar' });
      while (p[i + 1] === '*') i += 1;
    } else tokens.push({ kind: 'star' });
  }
  // reachable[j]: the tokens seen so far can match the first j characters of the subject.
  let reachable = new Array<boolean>(s.length + 1).fill(false);
  reachable[0] = true;
  for (const token of tokens) {
    const next = new Array<boolean>(s.length + 1).fill(false);
    for (let j = 0; j <= s.length; j += 1) {
      if (token.kind === 'char') {
        next[j] = j > 0 && reachable[j - 1] && s[j - 1] === token.char;
      } else {
        const extends_ = j > 0 && next[j - 1] && (token.kind === 'globstar' || s[j - 1] !== '/');
        next[j] = reachable[j] || extends_;
      }
    }
    reachable = next;
  }
  return reachable[s.length];
}
