// Known names (domains, aggregates, events...) from any source, indexed by role and scope for fast completion.

export interface NameEntry {
  role: string;
  value: string;
  detail?: string;
  documentation?: string;
  /** Narrows where the name applies, e.g. an aggregate of domain "sales". */
  scope?: { domain?: string; aggregate?: string };
  /** Where the name came from, e.g. "domains/sales/domain-definition.yaml" or "stream DOMAIN_SALES_EVENTS". */
  source?: string;
}

export type CompletionKind = 'environment' | 'category' | 'name' | 'wildcard' | 'uuid' | 'value';

export interface CompletionCandidate {
  label: string;
  kind: CompletionKind;
  insertText: string;
  detail?: string;
  documentation?: string;
  /** Lower sorts first. */
  sortText?: string;
}

const key = (role: string, domain?: string, aggregate?: string) => `${role}\u0000${domain ?? ''}\u0000${aggregate ?? ''}`;

/** Built once per change of the name sources; look-ups return shared arrays, so they cost no allocation. */
export class NameIndex {
  private readonly lists = new Map<string, CompletionCandidate[]>();
  readonly size: number;

  constructor(entries: Iterable<NameEntry>) {
    const seen = new Set<string>();
    let n = 0;
    for (const e of entries) {
      const c: CompletionCandidate = { label: e.value, kind: 'name', insertText: e.value, sortText: `1${e.value}` };
      if (e.detail ?? e.source) c.detail = e.detail ?? e.source;
      if (e.documentation) c.documentation = e.documentation;
      const keys = [key(e.role)];
      if (e.scope?.domain) keys.push(key(e.role, e.scope.domain));
      if (e.scope?.domain && e.scope.aggregate) keys.push(key(e.role, e.scope.domain, e.scope.aggregate));
      for (const k of keys) {
        if (seen.has(k + '\u0000' + e.value)) continue;
        seen.add(k + '\u0000' + e.value);
        let list = this.lists.get(k);
        if (!list) this.lists.set(k, (list = []));
        list.push(c);
        n++;
      }
    }
    this.size = n;
  }

  /** The names for a role, from the narrowest scope that has any. */
  lookup(role: string, values: Readonly<Record<string, string>>): readonly CompletionCandidate[] {
    return (
      this.lists.get(key(role, values.domain, values.aggregate)) ??
      this.lists.get(key(role, values.domain)) ??
      this.lists.get(key(role)) ??
      []
    );
  }

  static readonly empty = new NameIndex([]);
}
