// How the algebra reads a server's streams: which category each stream stores, and where its event types sit.
import type { CompiledAlgebra } from '../algebra/compiled';
import type { CategorySpec } from '../algebra/schema';
import { subset } from '../pattern/lattice';

export interface StreamLike {
  name: string;
  subjects: readonly string[];
  kind: 'stream' | 'kv' | 'object';
}

export type GroupKey = { kind: 'category'; category: string } | { kind: 'other' } | { kind: 'kv' } | { kind: 'object' };

export interface StreamGroup<S extends StreamLike> {
  key: GroupKey;
  title: string;
  streams: S[];
}

const PLURAL_TITLES: Record<string, string> = { domain: 'Domain events', command: 'Commands', snapshot: 'Snapshots', projection: 'Projections', saga: 'Sagas' };

/** `{env}.domain.{domain}.>` → `*.domain.*.>`: what every stream of the category captures at most. */
export function categoryStreamPattern(category: CategorySpec): string | undefined {
  return category.stream?.subjects.replace(/\{[A-Za-z0-9_]+\}/g, '*');
}

/** The category whose stream template covers all of the stream's subjects (the first such), if any. */
export function categoryOfStream(algebra: CompiledAlgebra, stream: StreamLike): CategorySpec | undefined {
  if (stream.kind !== 'stream' || stream.subjects.length === 0) return undefined;
  for (const category of algebra.spec.categories) {
    const pattern = categoryStreamPattern(category);
    if (pattern && stream.subjects.every(s => subset(s, pattern))) return category;
  }
  return undefined;
}

/** Every category with a stream (in the algebra's order, empty ones too), then other streams, KV buckets, object stores. */
export function groupStreams<S extends StreamLike>(algebra: CompiledAlgebra, streams: readonly S[]): StreamGroup<S>[] {
  const byCategory = new Map<string, S[]>();
  const other: S[] = [];
  const kv: S[] = [];
  const object: S[] = [];
  for (const s of streams) {
    if (s.kind === 'kv') kv.push(s);
    else if (s.kind === 'object') object.push(s);
    else {
      const c = categoryOfStream(algebra, s);
      if (c) byCategory.set(c.name, [...(byCategory.get(c.name) ?? []), s]);
      else other.push(s);
    }
  }
  const groups: StreamGroup<S>[] = algebra.spec.categories
    .filter(c => c.stream)
    .map(c => ({ key: { kind: 'category', category: c.name }, title: categoryTitle(c), streams: byCategory.get(c.name) ?? [] }));
  if (other.length) groups.push({ key: { kind: 'other' }, title: 'Other streams', streams: other });
  if (kv.length) groups.push({ key: { kind: 'kv' }, title: 'Key-value buckets', streams: kv });
  if (object.length) groups.push({ key: { kind: 'object' }, title: 'Object stores', streams: object });
  return groups;
}

export function categoryTitle(category: CategorySpec): string {
  return PLURAL_TITLES[category.name] ?? (category.title ? `${category.title}s` : category.name);
}

export interface EventTypeLayout {
  /** The tokens before the aggregate, e.g. `dev.domain.sales` (may hold `*`). */
  prefix: string;
  /** The domain token when the stream names one. */
  domain?: string;
}

/**
 * Where a stream's event types sit: its subject must end in `>` right before the category's `aggregate` and `event`
 * tokens (`dev.domain.sales.>` in CIM-Start). Undefined when the stream is not laid out that way.
 */
export function eventTypeLayout(algebra: CompiledAlgebra, category: CategorySpec, subjects: readonly string[]): EventTypeLayout | undefined {
  if (subjects.length !== 1) return undefined;
  const tokens = subjects[0]!.split('.');
  if (tokens.at(-1) !== '>') return undefined;
  const literal = tokens.slice(0, -1);
  const roles = [...algebra.spec.prefix.map(t => t.role), '$category', ...category.tokens.map(t => t.role)];
  if (roles[literal.length] !== 'aggregate' || roles[literal.length + 1] !== 'event') return undefined;
  const domainAt = roles.indexOf('domain');
  const domain = domainAt >= 0 && domainAt < literal.length && literal[domainAt] !== '*' ? literal[domainAt] : undefined;
  return { prefix: literal.join('.'), ...(domain ? { domain } : {}) };
}
