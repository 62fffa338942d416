// NATS token rules for patterns and subjects, shared by matching, the lattice and the index.

const WHITESPACE = /[ \t\r\n\f]/;

/** The whole-token rules every subject and pattern obey: non-empty, no empty token, no whitespace. */
function splitTokens(text: string): string[] | null {
  if (text.length === 0 || WHITESPACE.test(text)) return null;
  const tokens = text.split('.');
  return tokens.includes('') ? null : tokens;
}

/**
 * The tokens of a valid pattern, or null: `*` and `>` are wildcards only as whole tokens,
 * `>` only last. `foo*` is a literal token.
 */
export function patternTokens(pattern: string): string[] | null {
  const tokens = splitTokens(pattern);
  if (!tokens) return null;
  const gt = tokens.indexOf('>');
  return gt === -1 || gt === tokens.length - 1 ? tokens : null;
}

/** The tokens of a subject, or null; `*` and `>` in a subject are literal tokens here. */
export function subjectTokens(subject: string): string[] | null {
  return splitTokens(subject);
}

export function isValidPattern(pattern: string): boolean {
  return patternTokens(pattern) !== null;
}
