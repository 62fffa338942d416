// Human-readable views of an algebra: full patterns per category and stream names for a subject.
import type { CompiledAlgebra } from './compiled';
import type { CategorySpec, StreamSpec } from './schema';

const patterns = new WeakMap<CategorySpec, string>();

/** `{env}.domain.{domain}.{aggregate}.{event}.{event_id}` */
export function categoryPattern(algebra: CompiledAlgebra, category: CategorySpec): string {
  let p = patterns.get(category);
  if (p === undefined) {
    p = [...algebra.spec.prefix.map(t => `{${t.role}}`), category.name, ...category.tokens.map(t => `{${t.role}}`)].join('.');
    patterns.set(category, p);
  }
  return p;
}

/** Turns a token value into its upper-case stream-name form: `order-history` → `ORDER_HISTORY`. */
export function streamToken(value: string): string {
  return value.toUpperCase().replace(/-/g, '_');
}

/** Fills a stream template: `{ROLE}` upper-cased for names, `{role}` as is; missing roles stay as placeholders. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, key: string) => {
    const v = values[key.toLowerCase()];
    if (v === undefined) return whole;
    return key === key.toLowerCase() ? v : streamToken(v);
  });
}

export interface StreamTarget {
  name: string;
  subjects: string;
  spec: StreamSpec;
}

/** The stream the algebra says stores a category's messages, for the given token values. */
export function streamFor(category: CategorySpec, values: Record<string, string>): StreamTarget | undefined {
  if (!category.stream) return undefined;
  return { name: fillTemplate(category.stream.name, values), subjects: fillTemplate(category.stream.subjects, values), spec: category.stream };
}
