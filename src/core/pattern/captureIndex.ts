// Which of many patterns capture a subject, via a token trie so thousands of stream patterns stay fast.
import { patternTokens, subjectTokens } from './tokens';

interface TrieNode {
  literal: Map<string, TrieNode>;
  star?: TrieNode;
  /** Entries whose pattern ends here, by insertion id. */
  end: number[];
  /** Entries whose pattern has `>` right after this node. */
  rest: number[];
}

function node(): TrieNode {
  return { literal: new Map(), end: [], rest: [] };
}

/**
 * Patterns with values (e.g. stream subjects → stream name). Results hold one value per matching
 * entry, in insertion order; an invalid pattern is kept out of every result.
 */
export class CaptureIndex<T> {
  private readonly root = node();
  private readonly values: T[] = [];

  constructor(entries: Iterable<readonly [pattern: string, value: T]> = []) {
    for (const [pattern, value] of entries) this.add(pattern, value);
  }

  /** Entries added, invalid ones included. */
  get size(): number {
    return this.values.length;
  }

  add(pattern: string, value: T): void {
    const id = this.values.push(value) - 1;
    const tokens = patternTokens(pattern);
    if (!tokens) return;
    let at = this.root;
    for (const token of tokens) {
      if (token === '>') {
        at.rest.push(id);
        return;
      }
      at = token === '*' ? (at.star ??= node()) : child(at, token);
    }
    at.end.push(id);
  }

  /** The values of every entry whose pattern matches the subject (wildcards in it are literal). */
  capture(subject: string): T[] {
    return this.valuesOf(this.matchIds(subject));
  }

  /** The value of the first entry added whose pattern matches the subject. */
  first(subject: string): T | undefined {
    let min = -1;
    for (const id of this.matchIds(subject)) if (min < 0 || id < min) min = id;
    return min < 0 ? undefined : this.values[min];
  }

  /** The values of every entry whose pattern shares at least one subject with the given pattern. */
  overlaps(pattern: string): T[] {
    const tokens = patternTokens(pattern);
    if (!tokens) return [];
    const ids: number[] = [];
    collect(this.root, tokens, ids, true);
    return this.valuesOf(ids);
  }

  private matchIds(subject: string): number[] {
    const tokens = subjectTokens(subject);
    const ids: number[] = [];
    if (tokens) collect(this.root, tokens, ids, false);
    return ids;
  }

  private valuesOf(ids: number[]): T[] {
    ids.sort((a, b) => a - b);
    return ids.map((id) => this.values[id]!);
  }
}

function child(at: TrieNode, token: string): TrieNode {
  let next = at.literal.get(token);
  if (!next) at.literal.set(token, (next = node()));
  return next;
}

// Walks keep their own stack: a subject may be as deep as the longest pattern added.
/** Entries whose pattern matches `tokens`; with `wild`, a `*` or `>` in the tokens is a wildcard too (overlap, not match). */
function collect(root: TrieNode, tokens: readonly string[], ids: number[], wild: boolean): void {
  const stack: Array<[TrieNode, number]> = [[root, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [at, i] = top;
    const token = tokens[i];
    if (token === undefined) {
      pushAll(ids, at.end);
      continue;
    }
    pushAll(ids, at.rest);
    // Every entry below has a token where the query's `>` stands; `*` meets any child.
    if (wild && token === '>') for (const next of children(at)) collectAll(next, ids);
    else if (wild && token === '*') for (const next of children(at)) stack.push([next, i + 1]);
    else {
      const lit = at.literal.get(token);
      if (lit) stack.push([lit, i + 1]);
      if (at.star) stack.push([at.star, i + 1]);
    }
  }
}

function collectAll(root: TrieNode, ids: number[]): void {
  const stack = [root];
  for (let at = stack.pop(); at; at = stack.pop()) {
    pushAll(ids, at.end);
    pushAll(ids, at.rest);
    for (const next of children(at)) stack.push(next);
  }
}

function children(at: TrieNode): TrieNode[] {
  const all = [...at.literal.values()];
  if (at.star) all.push(at.star);
  return all;
}

/** A loop rather than push(...from): spreading a long array overflows the call stack. */
function pushAll(into: number[], from: readonly number[]): void {
  for (const id of from) into.push(id);
}
