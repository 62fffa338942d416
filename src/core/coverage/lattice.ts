// The lattice read as sentences, and the one question ⊑ alone cannot answer: is a pattern inside a union of patterns?
import { EMPTY_PATTERN, join, meet, subset } from '../pattern/lattice';
import { patternTokens } from '../pattern/tokens';

/**
 * Whether every subject `pattern` matches is matched by at least one of `patterns` (P ⊑ ∪Q). Stronger than
 * ⊑ against each one: `a.>` is inside `a.*` together with `a.*.>`, though inside neither. An invalid pattern
 * matches nothing and is covered by anything; invalid members of `patterns` cover nothing.
 */
export function coveredBy(pattern: string, patterns: readonly string[]): boolean {
  const p = patternTokens(pattern);
  if (!p) return true;
  const qs: string[][] = [];
  for (const q of patterns) {
    const t = patternTokens(q);
    if (t) qs.push(t);
  }
  return covers(p, qs);
}

// Token by token: a literal keeps the members whose token is it or `*`; a `*` keeps only the `*` members, because
// some token names none of the members' literals; `>` is one token (`*`) or more (`*.>`).
function covers(p: readonly string[], qs: readonly (readonly string[])[]): boolean {
  if (p.length === 0) return qs.some(q => q.length === 0);
  if (qs.some(q => q.length === 1 && q[0] === '>')) return true;
  const live = qs.filter(q => q.length > 0);
  if (live.length === 0) return false;
  const head = p[0]!;
  if (head === '>') return covers(['*'], live) && covers(['*', '>'], live);
  const next = live.filter(q => q[0] === '*' || (head !== '*' && q[0] === head)).map(q => q.slice(1));
  return covers(p.slice(1), next);
}

/** The join (⊔) of every subject or pattern: the most specific pattern that matches them all; '' for none. */
export function generalize(subjects: readonly string[]): string {
  let out = EMPTY_PATTERN;
  for (const s of subjects) out = join(out, s);
  return out;
}

export interface OverlapAnswer {
  /** p ⊓ q, the subjects both match, or null when they share none. */
  meet: string | null;
  /** One sentence for a person: what both match, or the token where they part. */
  sentence: string;
}

/** The meet (⊓) of two patterns, or none, with the sentence that explains it. */
export function doTheyOverlap(p: string, q: string): OverlapAnswer {
  const a = patternTokens(p);
  const b = patternTokens(q);
  if (!a || !b) return { meet: null, sentence: `${!a ? p || '""' : q || '""'} is not a valid pattern, so it matches no subject and overlaps nothing.` };
  const m = meet(p, q);
  if (m === null) return { meet: null, sentence: `${p} and ${q} share no subject: ${whereTheyPart(a, b)}.` };
  if (subset(p, q) && subset(q, p)) return { meet: m, sentence: `${p} and ${q} match the same subjects.` };
  if (subset(p, q)) return { meet: m, sentence: `${p} and ${q} overlap: every subject ${p} matches, ${q} matches too.` };
  if (subset(q, p)) return { meet: m, sentence: `${p} and ${q} overlap: every subject ${q} matches, ${p} matches too.` };
  return { meet: m, sentence: `${p} and ${q} overlap: both match ${m}.` };
}

function whereTheyPart(a: readonly string[], b: readonly string[]): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) {
      const [short, long] = x === undefined ? [a, b] : [b, a];
      return `one ends after ${short.length} token${short.length === 1 ? '' : 's'}, the other has ${long.length}`;
    }
    if (x !== y && x !== '*' && y !== '*' && x !== '>' && y !== '>') return `token ${i + 1} is ${x} in one and ${y} in the other`;
  }
  return 'they part at no token';
}
