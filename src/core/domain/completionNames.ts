// Names a completion engine offers from domain definitions, each scoped to where it may stand in a subject.
import { domainTokens, producedEvents } from './lookup';
import type { DomainDefinition, DomainEvent } from './model';

export type DomainNameRole = 'domain' | 'aggregate' | 'event' | 'action';

export interface DomainNameEntry {
  /** The algebra role whose token this value fills. */
  role: DomainNameRole;
  /** The token to insert, e.g. `placed`. */
  value: string;
  /** Where it applies: events and actions under their domain and aggregate, aggregates under their domain. */
  scope?: { domain?: string; aggregate?: string };
  /** One line, e.g. `event OrderPlaced (E004)`. */
  detail: string;
  /** Markdown: the description and the fields or produced events. */
  documentation: string;
}

/**
 * Every domain, aggregate, event and action token the definitions name. A definition with a bounded context gives
 * its entries under both domain tokens, since subjects use either; entries are unique by role, value and scope.
 */
export function namesFromDefinitions(defs: readonly DomainDefinition[]): DomainNameEntry[] {
  const out: DomainNameEntry[] = [];
  const seen = new Set<string>();
  const add = (e: DomainNameEntry): void => {
    const key = [e.role, e.value, e.scope?.domain ?? '', e.scope?.aggregate ?? ''].join('\0');
    if (seen.has(key)) return;
    seen.add(key);
    out.push(e);
  };
  for (const def of defs) {
    for (const domain of domainTokens(def)) {
      const isBoundedContext = domain !== def.domain;
      add({
        role: 'domain',
        value: domain,
        detail: isBoundedContext ? `bounded context of domain ${def.name}` : `domain ${def.name}`,
        documentation: paragraphs(def.description, `${count(def.aggregates.length, 'aggregate')}, ${count(def.events.length, 'event')}, ${count(def.commands.length, 'command')}.`),
      });
      for (const a of def.aggregates) {
        const events = def.events.filter(e => e.aggregateToken === a.token);
        add({
          role: 'aggregate',
          value: a.token,
          scope: { domain },
          detail: `aggregate ${a.name}${a.id ? ` (${a.id})` : ''}`,
          documentation: paragraphs(a.description, events.length ? `Events: ${events.map(e => `\`${e.eventToken}\` (${e.name})`).join(', ')}` : undefined),
        });
      }
      for (const e of def.events) {
        add({
          role: 'event',
          value: e.eventToken,
          scope: { domain, aggregate: e.aggregateToken },
          detail: `event ${e.name} (${e.id})`,
          documentation: paragraphs(e.description, fieldList(e)),
        });
      }
      for (const c of def.commands) {
        if (!c.actionToken) continue;
        const produces = producedEvents(def, c);
        add({
          role: 'action',
          value: c.actionToken,
          scope: c.aggregateToken ? { domain, aggregate: c.aggregateToken } : { domain },
          detail: `command ${c.name} (${c.id})`,
          documentation: paragraphs(c.description, produces.length ? `Produces: ${produces.map(e => `${e.name} (${e.id})`).join(', ')}` : undefined),
        });
      }
    }
  }
  return out;
}

function fieldList(e: DomainEvent): string | undefined {
  return e.fields.length ? ['Fields:', ...e.fields.map(f => `- \`${f.name}\`: ${f.type}`)].join('\n') : undefined;
}

function paragraphs(...parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => !!p).join('\n\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
