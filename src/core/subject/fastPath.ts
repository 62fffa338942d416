// One compiled regex per algebra accepts the well-formed subjects that make up most input, before any split.
import type { CompiledAlgebra } from '../algebra/compiled';
import type { TokenSpec } from '../algebra/schema';
import { escapeRegExp as esc, UUID_SOURCE } from '../text/patterns';
import { MAX_SUBJECT_BYTES } from './natsRules';


function tokenSource(t: TokenSpec, a: CompiledAlgebra): string {
  switch (t.rule) {
    case 'environment': return `(?:${a.spec.environments.map(esc).join('|')})`;
    case 'enum': return `(?:${(t.values ?? []).map(esc).join('|')})`;
    case 'uuid': return UUID_SOURCE;
    case 'name': return a.nameCase === 'kebab' ? '[a-z0-9]+(?:-[a-z0-9]+)*' : '[a-z0-9]+(?:_[a-z0-9]+)*';
    // a free token is anything but a wildcard, whitespace or a dot
    case 'free': return '(?:[^.\\s*>][^.\\s]*|[*>][^.\\s]+)';
  }
}

export interface FastPath {
  /** Matches exactly the subjects whose every token obeys its rule (style rules aside). */
  regex: RegExp;
  /** Per category token value: absolute token indices that carry a style rule, with their specs. */
  styled: Map<string, { index: number; spec: TokenSpec }[]>;
}

const cache = new WeakMap<CompiledAlgebra, FastPath>();

export function fastPath(a: CompiledAlgebra): FastPath {
  let fp = cache.get(a);
  if (fp) return fp;
  const prefix = a.spec.prefix.map(t => tokenSource(t, a) + '\\.').join('');
  const cats = a.spec.categories.map(c => esc(c.name) + c.tokens.map(t => '\\.' + tokenSource(t, a)).join(''));
  const styled = new Map<string, { index: number; spec: TokenSpec }[]>();
  for (const c of a.spec.categories) {
    styled.set(c.name, c.tokens.flatMap((spec, j) => (spec.style ? [{ index: a.categoryIndex + 1 + j, spec }] : [])));
  }
  fp = { regex: new RegExp(`^(?!\\$)${prefix}(?:${cats.join('|')})$`), styled };
  cache.set(a, fp);
  return fp;
}

/** Offset of the start of token `index` (0-based) in a subject already known to be well formed. */
export function tokenStart(subject: string, index: number): number {
  let at = 0;
  for (let i = 0; i < index; i++) at = subject.indexOf('.', at) + 1;
  return at;
}

/** The subject is short enough that the byte bound cannot be reached. */
export function withinBound(subject: string): boolean {
  return subject.length * 3 <= MAX_SUBJECT_BYTES;
}
