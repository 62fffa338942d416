// Completion names that a server's streams hold: domains (and other names) written in stream subjects, aggregates and
// events from the streams' event-type counts. Pure (no vscode, no NATS client).
import type { CompiledAlgebra } from '../algebra/compiled';
import type { NameEntry } from '../complete/names';
import { namesFromStreamSubjects } from '../complete/streamNames';
import { formatCount } from '../text/format';
import type { EventTypeCounts } from '../explorer/eventTypeCounts';

export interface NamedStream {
  name: string;
  subjects: readonly string[];
  kind: 'stream' | 'kv' | 'object';
}

export interface CountedStream {
  stream: string;
  /** The tokens before the aggregate, e.g. `dev.domain.sales`. */
  prefix: string;
  domain?: string;
  counts: Pick<EventTypeCounts, 'types'>;
}

/** Every name the streams hold, marked as coming from the server `connection` (the completion list's detail). */
export function serverNameEntries(algebra: CompiledAlgebra, connection: string, streams: readonly NamedStream[], counted: readonly CountedStream[]): NameEntry[] {
  const out: NameEntry[] = [];
  const seen = new Set<string>();
  const add = (e: NameEntry) => {
    if (!algebra.nameRe.test(e.value)) return;
    const key = [e.role, e.value, e.scope?.domain ?? '', e.scope?.aggregate ?? ''].join('\0');
    if (seen.has(key)) return;
    seen.add(key);
    out.push(e);
  };
  const where = `on server ${connection}`;
  for (const c of counted) {
    const byAggregate = new Map<string, number>();
    // a declared type the stream holds no message of is the definition's name, not the server's
    const held = c.counts.types.filter(t => t.messages > 0 && algebra.nameRe.test(t.aggregate));
    for (const t of held) byAggregate.set(t.aggregate, (byAggregate.get(t.aggregate) ?? 0) + t.messages);
    for (const [aggregate, messages] of byAggregate) {
      add({ role: 'aggregate', value: aggregate, ...(c.domain ? { scope: { domain: c.domain } } : {}), detail: `aggregate ${where}`, documentation: `${formatCount(messages)} ${messages === 1 ? 'message' : 'messages'} in stream \`${c.stream}\`.`, source: `stream ${c.stream}` });
    }
    for (const t of held) {
      add({ role: 'event', value: t.event, scope: { ...(c.domain ? { domain: c.domain } : {}), aggregate: t.aggregate }, detail: `event ${where}`, documentation: `${formatCount(t.messages)} ${t.messages === 1 ? 'message' : 'messages'} of \`${t.aggregate}.${t.event}\` in stream \`${c.stream}\`.`, source: `stream ${c.stream}` });
    }
  }
  for (const s of streams) {
    if (s.kind !== 'stream') continue;
    for (const subject of s.subjects) {
      for (const { role, value, scope } of namesFromStreamSubjects(algebra, [{ name: s.name, subjects: [subject] }])) {
        add({ role, value, ...(scope?.domain ? { scope: { domain: scope.domain } } : {}), detail: `${role} ${where}`, documentation: `Written in the subjects of stream \`${s.name}\` (\`${subject}\`).`, source: `stream ${s.name}` });
      }
    }
  }
  return out;
}
