// cim-subject's message identity rules as a reader applies them to a stored message (spec: subject-algebra.md):
// the id is the X-Message-ID header, else the envelope's own id, else Nats-Msg-Id; correlation and causation come
// from the envelope's metadata, else from the X-Correlation-ID / X-Causation-ID headers; a root has no causation
// id or its own id as causation id.
import { utf8Text } from '../message/payload';
import type { ViewedMessage } from '../message/types';

export type TraceCategory = 'command' | 'event' | 'saga' | 'projection' | 'snapshot' | 'other';

export type IdSource = 'X-Message-ID' | 'event_id' | 'command_id' | 'saga_id' | 'projection_id' | 'metadata.message_id' | 'Nats-Msg-Id';

export interface MessageIdentity {
  messageId?: string;
  /** Where the id was read, for a person checking why two messages did not join. */
  idSource?: IdSource;
  correlationId?: string;
  causationId?: string;
  /** No causation id, or its own id as causation id. */
  isRoot: boolean;
  /** From the envelope's own id field; 'other' when the payload names none. */
  category: TraceCategory;
}

/** The envelope id fields in the order the rules name them, with the category each marks. */
const ENVELOPE_IDS: [Extract<IdSource, `${string}_id`>, TraceCategory][] = [
  ['event_id', 'event'],
  ['command_id', 'command'],
  ['saga_id', 'saga'],
  ['projection_id', 'projection'],
];

/** The message's identity; `envelope` when the caller has parsed the payload already. */
export function messageIdentity(message: ViewedMessage, envelope: unknown = parseObject(message.data)): MessageIdentity {
  const env = isObject(envelope) ? envelope : {};
  const meta = isObject(env.metadata) ? env.metadata : {};
  let category: TraceCategory = 'other';
  let envelopeId: [string, IdSource] | undefined;
  for (const [field, kind] of ENVELOPE_IDS) {
    const v = env[field];
    if (nonEmpty(v)) {
      envelopeId = [v, field];
      category = kind;
      break;
    }
  }
  // A snapshot's subject ends in its aggregate's id, so its own id travels in metadata.
  if (!envelopeId && nonEmpty(env.aggregate_id) && isObject(env.state)) {
    category = 'snapshot';
    if (nonEmpty(meta.message_id)) envelopeId = [meta.message_id, 'metadata.message_id'];
  }
  const headerId = header(message, 'X-Message-ID');
  const natsId = header(message, 'Nats-Msg-Id');
  const [messageId, idSource]: [string | undefined, IdSource | undefined] = headerId
    ? [headerId, 'X-Message-ID']
    : envelopeId ?? (natsId ? [natsId, 'Nats-Msg-Id'] : [undefined, undefined]);
  const correlationId = nonEmpty(meta.correlation_id) ? meta.correlation_id : header(message, 'X-Correlation-ID');
  const causationId = nonEmpty(meta.causation_id) ? meta.causation_id : header(message, 'X-Causation-ID');
  const isRoot = causationId === undefined || causationId === messageId;
  return { messageId, idSource, correlationId, causationId, isRoot, category };
}

/** The first value of a header, its name compared without case (clients differ in how they spell it). */
export function header(message: ViewedMessage, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of message.headers) if (n.toLowerCase() === lower && v !== '') return v;
  return undefined;
}

/** The payload as a JSON object, or undefined when it is none. */
export function parseObject(data: Uint8Array): Record<string, unknown> | undefined {
  const text = utf8Text(data);
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}
