// The headers that travel with a sample: Nats-Msg-Id for JetStream's dedupe, X-* for cim-subject's identity rules.
import type { EnvelopeKind } from '../algebra/schema';
import type { ParsedSubject } from '../subject/parse';
import type { SampleEnvelope } from './types';

export type EnvelopeHeaders = Record<string, string>;

/** Where each envelope keeps its own message id. */
const ID_FIELD: Record<Exclude<EnvelopeKind, 'snapshot'>, string> = {
  'domain-event': 'event_id',
  command: 'command_id',
  query: 'query_id',
  projection: 'projection_id',
  saga: 'saga_id',
  none: 'id',
};

const ANY_ID_FIELDS = ['event_id', 'command_id', 'query_id', 'projection_id', 'saga_id', 'id'];

/** An envelope as built here, or as a person edited it before publishing (any JSON object). */
export type EnvelopeLike = SampleEnvelope | Readonly<Record<string, unknown>>;

/** The envelope's own message id: event_id for an event, command_id for a command, metadata.message_id for a snapshot. */
export function messageIdOf(envelope: EnvelopeLike, kind: EnvelopeKind = 'none'): string | undefined {
  const env = envelope as Readonly<Record<string, unknown>>;
  const meta = metadataOf(env);
  const byKind = kind === 'snapshot' ? meta.message_id : env[ID_FIELD[kind]];
  if (nonEmpty(byKind)) return byKind;
  // An envelope of another kind than the subject's (edited by hand) still names its id somewhere.
  for (const f of ANY_ID_FIELDS) if (nonEmpty(env[f])) return env[f];
  return nonEmpty(meta.message_id) ? meta.message_id : undefined;
}

/** Headers for publishing the envelope; a value the envelope lacks is left out rather than invented. */
export function envelopeHeaders(envelope: EnvelopeLike, parsed: ParsedSubject): EnvelopeHeaders {
  const env = envelope as Readonly<Record<string, unknown>>;
  const id = messageIdOf(envelope, parsed.category?.envelope ?? 'none');
  const meta = metadataOf(env);
  const headers: EnvelopeHeaders = {};
  if (id) {
    headers['Nats-Msg-Id'] = id;
    headers['X-Message-ID'] = id;
  }
  // Without metadata the message is a root: it correlates with and is caused by itself.
  const correlation = nonEmpty(meta.correlation_id) ? meta.correlation_id : id;
  const causation = nonEmpty(meta.causation_id) ? meta.causation_id : id;
  if (correlation) headers['X-Correlation-ID'] = correlation;
  if (causation) headers['X-Causation-ID'] = causation;
  return headers;
}

function metadataOf(env: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const m = env.metadata;
  return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}
