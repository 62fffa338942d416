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

/**
 * One correlation (`C`), out of time order: a command answered by two events and a saga, a command the saga sent and
 * nothing answered, an event whose cause is nowhere, and an event with no cause.
 */
export const C = 'k-1';
export const CONVERSATION = [
  event('e-2', 2, 11, C, 'k-1'),
  command('k-1', 0, 5, C, 'k-1'),
  saga('s-1', 3.5, 3, C, 'e-1'),
  event('e-1', 1.25, 10, C, 'k-1'),
  command('k-2', 4, 6, C, 's-1'),
  event('e-3', 5, 12, C, 'k-3'),
  stored({ at: 6, seq: 13, subject: 'dev.orders.order.placed.o-1', body: { event_id: 'o-1', metadata: { correlation_id: C, source: 'x' } } }),
];
