// Finding a definition's entries from subject tokens, whatever case the algebra writes names in.
import type { DomainAggregate, DomainCommand, DomainDefinition, DomainEvent } from './model';
import { sameName } from '../text/names';

/** The tokens a subject may use for the definition's domain: its name and its bounded context. */
export function domainTokens(def: DomainDefinition): string[] {
  return def.boundedContext && def.boundedContext !== def.domain ? [def.domain, def.boundedContext] : [def.domain];
}

/** True when a subject's domain token (absent: not given) names this definition. */
export function matchesDomain(def: DomainDefinition, domain: string | undefined): boolean {
  return domain === undefined || domainTokens(def).some(t => sameName(t, domain));
}

export function findAggregate(def: DomainDefinition, aggregate: string): DomainAggregate | undefined {
  return def.aggregates.find(a => sameName(a.token, aggregate));
}

export function findEvent(def: DomainDefinition, domain: string | undefined, aggregate: string, event: string): DomainEvent | undefined {
  if (!matchesDomain(def, domain)) return undefined;
  return def.events.find(e => sameName(e.aggregateToken, aggregate) && sameName(e.eventToken, event));
}

/** An event named by its whole name as a token, as a saga step is: `payment-processed` -> PaymentProcessed. */
export function findEventByName(def: DomainDefinition, token: string): DomainEvent | undefined {
  return def.events.find(e => sameName(e.name, token));
}

export function findCommand(def: DomainDefinition, domain: string | undefined, aggregate: string, action: string): DomainCommand | undefined {
  if (!matchesDomain(def, domain)) return undefined;
  return def.commands.find(c => c.aggregateToken !== undefined && sameName(c.aggregateToken, aggregate) && c.actionToken !== undefined && sameName(c.actionToken, action));
}

/** The events a command produces, in the order it lists them. */
export function producedEvents(def: DomainDefinition, command: DomainCommand): DomainEvent[] {
  return command.producesEvents
    .map(ref => def.events.find(e => e.id === ref) ?? def.events.find(e => e.name === ref))
    .filter((e): e is DomainEvent => e !== undefined);
}

/** The aggregate › event pairs the definitions declare for a domain (by its bounded context or its name). */
export function declaredEventTypes(definitions: readonly DomainDefinition[], domain: string | undefined): { aggregate: string; event: string }[] {
  if (!domain) return [];
  return definitions
    .filter(d => (d.boundedContext ?? d.domain) === domain || d.domain === domain)
    .flatMap(d => d.events.map(e => ({ aggregate: e.aggregateToken, event: e.eventToken })));
}
