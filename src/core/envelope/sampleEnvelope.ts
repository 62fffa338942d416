// A sample body for a subject: the envelope its category's messages carry, with fields from the domain definition.
import { randomUUID } from 'node:crypto';
import { UUID_ANY_CASE_RE } from '../text/patterns';
import type { EnvelopeKind } from '../algebra/schema';
import { findAggregate, findCommand, findEvent, findEventByName, matchesDomain, producedEvents } from '../domain/lookup';
import type { DomainDefinition, DomainField } from '../domain/model';
import { toNameToken, toPascalCase } from '../text/names';
import type { ParsedSubject } from '../subject/parse';
import { DEFAULT_SOURCE, envelopeMetadata } from './identity';
import { sampleData, type SampleContext } from './sampleValues';
import type {
  CommandEnvelope, DomainEventEnvelope, JsonObject, MinimalEnvelope, ParentMessage, ProjectionEnvelope, QueryEnvelope,
  SagaEnvelope, SampleEnvelope, SnapshotEnvelope,
} from './types';

export interface SampleEnvelopeOptions {
  /** The clock; every timestamp in the envelope is this instant. */
  now?: Date;
  /** Fresh ids, called in a fixed order; `crypto.randomUUID` by default. */
  uuid?: () => string;
  /** The domain definition whose event or command fields fill `data`. */
  definition?: DomainDefinition;
  /** `metadata.source`; `cim-nats` by default. */
  source?: string;
  /** Makes the message derived: it keeps the parent's correlation id and is caused by the parent. */
  parent?: ParentMessage;
}


export function isUuid(token: string | undefined): token is string {
  return token !== undefined && UUID_ANY_CASE_RE.test(token);
}

interface Input {
  v: Readonly<Record<string, string>>;
  ctx: SampleContext;
  def?: DomainDefinition;
  source: string;
  parent?: ParentMessage;
}

/** The JSON object CIM-Start's test script would publish to this subject, pure given `now` and `uuid`. */
export function sampleEnvelope(parsed: ParsedSubject, options: SampleEnvelopeOptions = {}): SampleEnvelope {
  const input: Input = {
    v: parsed.values,
    ctx: { now: options.now ?? new Date(), uuid: options.uuid ?? randomUUID },
    source: options.source ?? DEFAULT_SOURCE,
  };
  if (options.definition) input.def = options.definition;
  if (options.parent) input.parent = options.parent;
  const kind: EnvelopeKind = parsed.category?.envelope ?? 'none';
  switch (kind) {
    case 'domain-event': return domainEvent(input);
    case 'command': return command(input);
    case 'query': return query(input);
    case 'projection': return projection(input);
    case 'saga': return saga(input);
    case 'snapshot': return snapshot(input);
    case 'none': return minimal(input);
  }
}

function domainEvent({ v, ctx, def, source, parent }: Input): DomainEventEnvelope {
  const event = def && v.aggregate && v.event ? findEvent(def, v.domain, v.aggregate, v.event) : undefined;
  const eventId = isUuid(v.event_id) ? v.event_id : ctx.uuid();
  const aggregateId = isUuid(v.aggregate_id) ? v.aggregate_id : ctx.uuid();
  return {
    event_id: eventId,
    event_type: event?.name ?? toPascalCase(v.aggregate ?? '') + toPascalCase(v.event ?? ''),
    aggregate_type: aggregateType(v, def, event?.aggregate),
    aggregate_id: aggregateId,
    domain: v.domain ?? def?.domain ?? '',
    timestamp: ctx.now.toISOString(),
    version: 1,
    data: event ? sampleData(event.fields, withAggregateId(ctx, v.aggregate, aggregateId)) : {},
    metadata: envelopeMetadata(eventId, source, parent),
  };
}

function command({ v, ctx, def, source, parent }: Input): CommandEnvelope {
  const cmd = def && v.aggregate && v.action ? findCommand(def, v.domain, v.aggregate, v.action) : undefined;
  const commandId = ctx.uuid();
  // A command seldom lists its fields; the event it produces shows what it has to carry.
  const fields = cmd?.fields ?? (cmd && def ? producedEvents(def, cmd)[0]?.fields : undefined);
  return {
    command_id: commandId,
    command_type: cmd?.name ?? toPascalCase(v.action ?? '') + toPascalCase(v.aggregate ?? ''),
    aggregate_type: aggregateType(v, def, cmd?.aggregate),
    domain: v.domain ?? def?.domain ?? '',
    timestamp: ctx.now.toISOString(),
    data: fields ? sampleData(fields, ctx) : {},
    metadata: envelopeMetadata(commandId, source, parent),
  };
}

function query({ v, ctx, def, source, parent }: Input): QueryEnvelope {
  const queryId = ctx.uuid();
  return {
    query_id: queryId,
    query_type: toPascalCase(v.query ?? ''),
    aggregate_type: aggregateType(v, def),
    domain: v.domain ?? def?.domain ?? '',
    timestamp: ctx.now.toISOString(),
    data: {},
    metadata: envelopeMetadata(queryId, source, parent),
  };
}

function projection({ v, ctx, source, parent }: Input): ProjectionEnvelope {
  const projectionId = ctx.uuid();
  return {
    projection_id: projectionId,
    view_name: v.view ?? '',
    operation: v.operation ?? '',
    timestamp: ctx.now.toISOString(),
    data: {},
    metadata: envelopeMetadata(projectionId, source, parent),
  };
}

function saga({ v, ctx, def, source, parent }: Input): SagaEnvelope {
  const sagaId = ctx.uuid();
  // A saga step is named after the whole event it reacts to (payment-processed -> PaymentProcessed).
  const event = def && v.event ? findEventByName(def, v.event) : undefined;
  return {
    saga_id: sagaId,
    process_name: v.process ?? '',
    event_type: event?.name ?? toPascalCase(v.event ?? ''),
    timestamp: ctx.now.toISOString(),
    data: event ? sampleData(event.fields, ctx) : {},
    metadata: envelopeMetadata(sagaId, source, parent),
  };
}

function snapshot({ v, ctx, def, source, parent }: Input): SnapshotEnvelope {
  const aggregateId = isUuid(v.aggregate_id) ? v.aggregate_id : ctx.uuid();
  const messageId = ctx.uuid();
  // The state a replay would rebuild: every field the aggregate's events carry, once.
  const agg = def && v.aggregate && matchesDomain(def, v.domain) ? findAggregate(def, v.aggregate) : undefined;
  const fields: DomainField[] = agg && def ? def.events.filter(e => e.aggregateToken === agg.token).flatMap(e => e.fields) : [];
  return {
    aggregate_id: aggregateId,
    aggregate_type: agg?.name ?? aggregateType(v, def),
    domain: v.domain ?? def?.domain ?? '',
    version: 1,
    timestamp: ctx.now.toISOString(),
    state: sampleData(fields, withAggregateId(ctx, v.aggregate, aggregateId)),
    metadata: { message_id: messageId, ...envelopeMetadata(messageId, source, parent) },
  };
}

function minimal({ ctx, source, parent }: Input): MinimalEnvelope {
  const id = ctx.uuid();
  const data: JsonObject = {};
  const env: MinimalEnvelope = { id, timestamp: ctx.now.toISOString(), data };
  if (parent) env.metadata = envelopeMetadata(id, source, parent);
  return env;
}

/** The aggregate's name as the definition writes it, else PascalCase of its token. */
function aggregateType(v: Readonly<Record<string, string>>, def: DomainDefinition | undefined, known?: string): string {
  if (known) return known;
  const agg = v.aggregate ?? '';
  return (def && agg && matchesDomain(def, v.domain) ? findAggregate(def, agg)?.name : undefined) ?? toPascalCase(agg);
}

/** `order_id` in the data is the envelope's aggregate_id, so a sample tells one consistent story. */
function withAggregateId(ctx: SampleContext, aggregate: string | undefined, id: string): SampleContext {
  return aggregate ? { ...ctx, fixed: { [`${toNameToken(aggregate, 'snake')}_id`]: id } } : ctx;
}
