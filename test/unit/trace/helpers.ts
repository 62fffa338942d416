import type { ViewedMessage } from '../../../src/core/message';

const enc = new TextEncoder();
const T0 = Date.parse('2026-12-08T10:00:00Z');

export interface Sent {
  /** Seconds after 10:00:00. */
  at: number;
  seq: number;
  subject: string;
  body?: unknown;
  headers?: [string, string][];
  stream?: string;
}

export function stored(s: Sent): ViewedMessage {
  const data = s.body === undefined ? new Uint8Array() : enc.encode(typeof s.body === 'string' ? s.body : JSON.stringify(s.body));
  return { seq: s.seq, time: new Date(T0 + s.at * 1000), subject: s.subject, headers: s.headers ?? [], data, size: data.length, stream: s.stream ?? 'EVENTS' };
}

export function meta(correlation: string, causation?: string): { correlation_id: string; causation_id?: string; source: string } {
  return causation === undefined ? { correlation_id: correlation, source: 'test' } : { correlation_id: correlation, causation_id: causation, source: 'test' };
}

export function command(id: string, at: number, seq: number, correlation: string, causation: string): ViewedMessage {
  return stored({ at, seq, subject: `dev.orders.order.cmd.place.${id}`, stream: 'COMMANDS', body: { command_id: id, command_type: 'PlaceOrder', data: {}, metadata: meta(correlation, causation) } });
}

export function event(id: string, at: number, seq: number, correlation: string, causation: string, extra: Record<string, unknown> = {}): ViewedMessage {
  return stored({ at, seq, subject: `dev.orders.order.placed.${id}`, stream: 'EVENTS', body: { event_id: id, event_type: 'OrderPlaced', data: {}, metadata: meta(correlation, causation), ...extra } });
}

export function saga(id: string, at: number, seq: number, correlation: string, causation: string): ViewedMessage {
  return stored({ at, seq, subject: `dev.saga.fulfilment.${id}`, stream: 'SAGAS', body: { saga_id: id, process_name: 'Fulfilment', data: {}, metadata: meta(correlation, causation) } });
}
