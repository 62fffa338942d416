// Lattice operations on patterns, read as the sets of concrete subjects they match.
// An invalid pattern denotes no subject: it is ⊑ everything, the identity of ⊔, and makes ⊓ null.
import { patternTokens } from './tokens';

/** The pattern every invalid input joins to when both are invalid: it matches nothing. */
export const EMPTY_PATTERN = '';

/**
 * p ⊔ q: the least pattern under ⊑ that matches every subject p or q matches (a pattern, so it may
 * match more than their union: `a.b.c.x ⊔ a.b.c.y = a.b.c.*`, `a.b ⊔ a.b.c = a.>`).
 */
export function join(p: string, q: string): string {
  const a = patternTokens(p);
  const b = patternTokens(q);
  if (!a) return b ? q : EMPTY_PATTERN;
  if (!b) return p;
  // Same fixed length: join token by token; otherwise `>` must start where the shorter one may end.
  const fixed = a.length === b.length && a[a.length - 1] !== '>' && b[b.length - 1] !== '>';
  const n = fixed ? a.length : Math.min(a.length, b.length) - 1;
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(a[i] === b[i] ? a[i]! : '*');
  if (!fixed) out.push('>');
  return out.join('.');
}

/** p ⊓ q: the pattern matching exactly the subjects both match, or null when none does. */
export function meet(p: string, q: string): string | null {
  const a = patternTokens(p);
  const b = patternTokens(q);
  if (!a || !b) return null;
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) return x === y ? out.join('.') : null;
    if (x === '>') return out.concat(b.slice(i)).join('.');
    if (y === '>') return out.concat(a.slice(i)).join('.');
    if (x === '*') out.push(y);
    else if (y === '*' || x === y) out.push(x);
    else return null;
  }
}

/** p ⊑ q: every subject p matches, q matches too. */
export function subset(p: string, q: string): boolean {
  const a = patternTokens(p);
  if (!a) return true;
  const b = patternTokens(q);
  if (!b) return false;
  for (let i = 0; i < b.length; i++) {
    const y = b[i]!;
    const x = a[i];
    if (y === '>') return x !== undefined;
    if (x === undefined || x === '>') return false;
    if (y !== '*' && x !== y) return false;
  }
  return a.length === b.length;
}

/** Whether some subject matches both patterns: what two streams overlapping means. */
export function overlap(p: string, q: string): boolean {
  return meet(p, q) !== null;
}

/**
 * What of `p` a set of patterns can hold (a consumer filter on a stream's subjects): its meets with each, the ones
 * another of them contains left out, in the patterns' order. Empty when `p` overlaps none (it could never match).
 */
export function meetWithin(p: string, patterns: readonly string[]): string[] {
  const meets = [...new Set(patterns.map(s => meet(p, s)).filter((m): m is string => m !== null))];
  return meets.filter((m, i) => !meets.some((o, j) => j !== i && subset(m, o) && !(subset(o, m) && j > i)));
}
