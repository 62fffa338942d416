// A message as the views, tails and exports read it, from each of the client's three kinds of message.
import type { JsMsg, StoredMsg } from '@nats-io/jetstream';
import type { Msg, MsgHdrs } from '@nats-io/transport-node';
import type { ViewedMessage } from '../../core/message/types';

/** A message a consumer delivered. */
export function fromJsMsg(m: JsMsg, stream: string): ViewedMessage {
  return { seq: m.seq, time: m.time, subject: m.subject, headers: headerPairs(m.headers), data: m.data, size: m.data.length, stream };
}

/** A message read by sequence (a message get). */
export function fromStored(m: StoredMsg, stream: string): ViewedMessage {
  return { seq: m.seq, time: m.time, subject: m.subject, headers: headerPairs(m.header), data: m.data, size: m.data.length, stream };
}

/** A core message (a live subscription), stamped with when it arrived. */
export function fromCoreMsg(m: Msg, at: number): ViewedMessage {
  return { time: new Date(at), subject: m.subject, headers: headerPairs(m.headers), data: m.data, size: m.data.length };
}

/** Every header as a name and value pair, a repeated header once per value. */
export function headerPairs(h: MsgHdrs | undefined): [string, string][] {
  const pairs: [string, string][] = [];
  if (!h) return pairs;
  for (const name of h.keys()) for (const value of h.values(name)) pairs.push([name, value]);
  return pairs;
}
