// Completion names a server's streams spell out in their subjects (dev.domain.sales.> names env dev, category domain,
// domain sales): beside the domain definitions' names, for completion and for building a subject token by token.
import type { CompiledAlgebra } from '../algebra/compiled';
import type { NameEntry } from './names';

/**
 * The name and free tokens the streams' subjects hold, each with the role the algebra gives it there and the domain
 * (and aggregate) before it as its scope.
 */
export function namesFromStreamSubjects(algebra: CompiledAlgebra, streams: readonly { name: string; subjects: readonly string[] }[]): NameEntry[] {
  const out: NameEntry[] = [];
  const ci = algebra.categoryIndex;
  for (const s of streams) {
    for (const subject of s.subjects) {
      const tokens = subject.split('.');
      const category = algebra.categories.get(tokens[ci] ?? '');
      if (!category) continue;
      const values: Record<string, string> = {};
      category.tokens.forEach((spec, j) => {
        const t = tokens[ci + 1 + j];
        if (t === undefined || t === '*' || t === '>' || (spec.rule !== 'name' && spec.rule !== 'free')) return;
        const entry: NameEntry = { role: spec.role, value: t, detail: `stream ${s.name}`, source: `stream ${s.name}` };
        const scope = { ...(values.domain ? { domain: values.domain } : {}), ...(values.aggregate ? { aggregate: values.aggregate } : {}) };
        if (Object.keys(scope).length) entry.scope = scope;
        out.push(entry);
        values[spec.role] = t;
      });
    }
  }
  return out;
}
