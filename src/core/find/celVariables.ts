// What a CEL expression in Find Messages sees of a message: the variables, their types, and their values.
import { CelScalar, celUint, listType, mapType, type CelInput, type CelType } from '@bufbuild/cel';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { utf8Text } from '../message/payload';
import type { ViewedMessage } from '../message/types';

export interface CelVariable {
  name: string;
  /** The CEL type as a person writes it. */
  type: string;
  /** One sentence for completion and the README. */
  description: string;
  example: string;
}

/** Every variable an expression may use, in the order completion offers them. */
export const CEL_VARIABLES: readonly CelVariable[] = [
  { name: 'event', type: 'dyn', description: 'The payload parsed as JSON, or null when the payload is not JSON.', example: 'event.data.customer_id == "123"' },
  { name: 'subject', type: 'string', description: 'The message subject.', example: 'subject.endsWith(".placed." + event.event_id)' },
  { name: 'tokens', type: 'list(string)', description: "The subject's tokens, split at each dot.", example: 'tokens[1] == "orders"' },
  { name: 'headers', type: 'map(string, string)', description: 'The headers by name; a repeated header gives its first value.', example: 'headers["Nats-Msg-Id"] == "8e7e…"' },
  { name: 'time', type: 'timestamp', description: 'When the stream stored the message.', example: 'time > timestamp("2026-12-01T00:00:00Z")' },
  { name: 'seq', type: 'uint', description: 'The stream sequence number.', example: 'seq > 1000u' },
  { name: 'size', type: 'int', description: 'The size of the payload in bytes.', example: 'size > 1024' },
  { name: 'stream', type: 'string', description: 'The name of the stream that holds the message.', example: 'stream == "DOMAIN_EVENTS"' },
];

/** The declarations for the CEL environment; seq, time and event are dyn because they may be null. */
export const CEL_DECLARATIONS: Record<string, CelType> = {
  subject: CelScalar.STRING,
  tokens: listType(CelScalar.STRING),
  seq: CelScalar.DYN,
  time: CelScalar.DYN,
  headers: mapType(CelScalar.STRING, CelScalar.STRING),
  size: CelScalar.INT,
  event: CelScalar.DYN,
  stream: CelScalar.STRING,
};

/** Why `event` is null for a payload, or undefined when it parsed. */
export type PayloadProblem = string | undefined;

export interface ParsedPayload {
  event: unknown;
  /** Set when event is null because the payload is not JSON. */
  problem: PayloadProblem;
}

/** The payload as JSON; null with the reason when it is none (empty, cut short, not UTF-8, not JSON). */
export function parsePayload(message: ViewedMessage): ParsedPayload {
  const { data, size } = message;
  if (size === 0 || data.length === 0) return { event: null, problem: 'the payload is empty, so event is null' };
  if (data.length < size) return { event: null, problem: `only the first ${data.length} of ${size} bytes were read, so event is null` };
  const text = utf8Text(data);
  if (text === undefined) return { event: null, problem: 'the payload is binary, not JSON, so event is null' };
  try {
    return { event: JSON.parse(text) as unknown, problem: undefined };
  } catch {
    return { event: null, problem: 'the payload is not JSON, so event is null' };
  }
}

/** The values of the variables the expression `uses` for one message (building the others would cost per message). */
export function celBindings(message: ViewedMessage, payload: ParsedPayload | undefined, uses: ReadonlySet<string>): Record<string, CelInput> {
  const b: Record<string, CelInput> = {};
  if (uses.has('subject')) b.subject = message.subject;
  if (uses.has('tokens')) b.tokens = message.subject.split('.');
  if (uses.has('seq')) b.seq = message.seq === undefined ? null : celUint(BigInt(message.seq));
  if (uses.has('time')) b.time = message.time === undefined ? null : timestampFromDate(message.time);
  if (uses.has('headers')) {
    const headers = new Map<string, string>();
    for (const [name, value] of message.headers) if (!headers.has(name)) headers.set(name, value);
    b.headers = headers;
  }
  if (uses.has('size')) b.size = BigInt(message.size);
  if (uses.has('event')) b.event = payload ? (payload.event as CelInput) : null;
  if (uses.has('stream')) b.stream = message.stream ?? '';
  return b;
}
