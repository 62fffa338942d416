// A handful of sample CIM messages, published through JetStream with the message id as Nats-Msg-Id (dedupe).
import { randomUUID } from 'node:crypto';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import type { TokenSpec } from '../../core/algebra/schema';
import type { DomainDefinition } from '../../core/domain/model';
import { envelopeHeaders, messageIdOf, sampleEnvelope, type ParentMessage, type SampleEnvelope } from '../../core/envelope';
import { parseSubject } from '../../core/subject/parse';
import { describeNatsError, type NatsErrorContext } from '../errors/sentences';

export interface SampleMessage {
  subject: string;
  envelope: SampleEnvelope;
  /** Nats-Msg-Id and the X-Message-ID / X-Correlation-ID / X-Causation-ID identity headers. */
  headers: Record<string, string>;
  msgID: string;
}

/** A sample by the token values it needs; uuid tokens are filled with fresh ids. */
interface SampleShape {
  category: string;
  values: Record<string, string>;
  /** Follows the first domain event (same correlation id, caused by it). */
  derived?: boolean;
}

/** Aggregates and events that read naturally for the domains CIM-Start's guide uses. */
const DOMAIN_EXAMPLES: Record<string, { aggregate: string; events: string[]; action: string }> = {
  sales: { aggregate: 'order', events: ['created', 'shipped'], action: 'create' },
  inventory: { aggregate: 'product', events: ['stock-reserved'], action: 'update' },
  customer: { aggregate: 'customer', events: ['registered'], action: 'register' },
};

export interface CimSampleOptions {
  environment: string;
  domains: string[];
  /** Domain definitions: each of the chosen domains contributes its first events, with their typed fields as data. */
  definitions?: DomainDefinition[];
  now?: Date;
  uuid?: () => string;
}

/** Events for every chosen domain, a command, and one projection, saga and snapshot that follow the first event. */
export function cimSampleMessages(algebra: CompiledAlgebra, options: CimSampleOptions): SampleMessage[] {
  const shapes: SampleShape[] = [];
  for (const domain of options.domains) {
    const ex = DOMAIN_EXAMPLES[domain] ?? { aggregate: 'record', events: ['created'], action: 'create' };
    for (const event of ex.events) shapes.push({ category: 'domain', values: { domain, aggregate: ex.aggregate, event } });
  }
  for (const def of options.definitions ?? []) {
    const domain = def.boundedContext ?? def.domain;
    // only the domains asked for: another definition's events would go to streams nobody chose
    if (!options.domains.includes(domain)) continue;
    for (const e of def.events.slice(0, 2)) shapes.push({ category: 'domain', values: { domain, aggregate: e.aggregateToken, event: e.eventToken } });
  }
  const first = options.domains[0];
  const firstEx = first ? DOMAIN_EXAMPLES[first] : undefined;
  if (first) {
    const ex = firstEx ?? { aggregate: 'record', action: 'create' };
    shapes.push({ category: 'command', values: { domain: first, aggregate: ex.aggregate, action: ex.action } });
    shapes.push({ category: 'snapshot', values: { domain: first, aggregate: ex.aggregate }, derived: true });
  }
  shapes.push({ category: 'projection', values: { view: 'order-summary', operation: 'update' }, derived: true });
  shapes.push({ category: 'saga', values: { process: 'order-fulfillment', event: 'payment-processed' }, derived: true });

  const uuid = options.uuid ?? randomUUID;
  const out: SampleMessage[] = [];
  let parent: ParentMessage | undefined;
  for (const shape of shapes) {
    const subject = buildSubject(algebra, shape, options.environment, uuid);
    if (!subject) continue;
    const parsed = parseSubject(algebra, subject);
    const definition = options.definitions?.find(d => [d.domain, d.boundedContext].includes(shape.values.domain));
    const envelope = sampleEnvelope(parsed, {
      uuid,
      ...(options.now ? { now: options.now } : {}),
      ...(definition ? { definition } : {}),
      ...(shape.derived && parent ? { parent } : {}),
    });
    const headers = envelopeHeaders(envelope, parsed);
    const msgID = headers['Nats-Msg-Id'] ?? messageIdOf(envelope) ?? uuid();
    if (!parent && parsed.category?.envelope === 'domain-event') parent = { message_id: msgID, correlation_id: headers['X-Correlation-ID'] ?? msgID };
    out.push({ subject, envelope, headers, msgID });
  }
  return out;
}

/** The subject for a shape in this algebra, or undefined when the algebra lacks its category or a token value. */
function buildSubject(algebra: CompiledAlgebra, shape: SampleShape, environment: string, uuid: () => string): string | undefined {
  const category = algebra.categories.get(shape.category);
  if (!category) return undefined;
  const fill = (t: TokenSpec) => (t.rule === 'environment' ? environment : t.rule === 'uuid' ? uuid() : shape.values[t.role]);
  const tokens = [...algebra.spec.prefix.map(fill), category.name, ...category.tokens.map(fill)];
  return tokens.every(t => t !== undefined) ? tokens.join('.') : undefined;
}

export interface PublishResult {
  subject: string;
  msgID: string;
  /** The stream that stored it, as the server acknowledged. */
  stream?: string;
  seq?: number;
  /** The stream already held this msgID within its dupe window: nothing new was stored. */
  duplicate?: boolean;
  /** When publishing failed: one sentence naming the problem and the fix. */
  reason?: string;
  error?: unknown;
}

export interface PublishSamplesOptions {
  signal?: AbortSignal;
  describe?: (e: unknown, context: NatsErrorContext) => string;
}

/** Publishes each message and waits for its ack; a failure is reported and the rest go on. */
export async function publishSamples(js: JetStreamClient, messages: readonly SampleMessage[], options: PublishSamplesOptions = {}): Promise<PublishResult[]> {
  const describe = options.describe ?? describeNatsError;
  const results: PublishResult[] = [];
  for (const m of messages) {
    if (options.signal?.aborted) {
      results.push({ subject: m.subject, msgID: m.msgID, reason: `Publishing to "${m.subject}" was cancelled.` });
      continue;
    }
    const h = natsHeaders();
    for (const [k, v] of Object.entries(m.headers)) if (k !== 'Nats-Msg-Id') h.set(k, v);
    try {
      const ack = await js.publish(m.subject, JSON.stringify(m.envelope), { msgID: m.msgID, headers: h });
      results.push({ subject: m.subject, msgID: m.msgID, stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate });
    } catch (e) {
      results.push({ subject: m.subject, msgID: m.msgID, reason: describe(e, { action: `publishing to "${m.subject}"`, subject: m.subject }), error: e });
    }
  }
  return results;
}
