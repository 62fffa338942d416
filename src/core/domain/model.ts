// What a domain definition means for subjects: names as written beside the tokens they become.
import type { NameCase } from '../text/names';

export interface DomainField {
  name: string;
  /** The type as written, e.g. `UUID`, `Money`, `Array<OrderItem>`. */
  type: string;
}

export interface DomainAggregate {
  /** As written, PascalCase, e.g. `ShoppingCart`. */
  name: string;
  /** The subject token, e.g. `shopping-cart`. */
  token: string;
  id?: string;
  description?: string;
}

export interface DomainEvent {
  /** The id other entries refer to, e.g. `E004`; the name when the file gives none. */
  id: string;
  name: string;
  aggregate: string;
  aggregateToken: string;
  /** The event token: the name without the aggregate's words, e.g. OrderItemAdded on Order -> `item-added`. */
  eventToken: string;
  description?: string;
  fields: DomainField[];
}

export interface DomainCommand {
  id: string;
  name: string;
  aggregate?: string;
  aggregateToken?: string;
  /** The action token: the name without the aggregate's words at its end, e.g. RegisterCustomer -> `register`. */
  actionToken?: string;
  /** Ids of the events the command produces, as written. */
  producesEvents: string[];
  description?: string;
  /** The fields the command carries, when the file lists them under `data:`. */
  fields?: DomainField[];
}

export interface DomainDefinition {
  /** The domain as a subject token, e.g. `example-business`. */
  domain: string;
  /** The domain's name as written. */
  name: string;
  /** The bounded context as a subject token, e.g. `sales`; subjects often use it as their domain token. */
  boundedContext?: string;
  description?: string;
  nameCase: NameCase;
  aggregates: DomainAggregate[];
  events: DomainEvent[];
  commands: DomainCommand[];
}

export interface DefinitionProblem {
  /** One sentence that names the problem and the fix. */
  message: string;
  /** Errors drop what they are about; warnings keep it. */
  severity: 'error' | 'warning';
  /** 0-based line in the file, where it could be found. */
  line?: number;
  /** Path inside the file, e.g. `events[2].name`; absent for the whole file. */
  path?: string;
}

export interface DefinitionParseResult {
  /** Absent only when nothing usable could be read (no YAML, no domain name). */
  definition?: DomainDefinition;
  problems: DefinitionProblem[];
}
