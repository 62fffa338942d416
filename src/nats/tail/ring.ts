// The tail's queue: a bounded ring of messages as the client delivered them, converted only when one is shown.
import { createHash } from 'node:crypto';
import type { JsMsg } from '@nats-io/jetstream';
import type { Msg } from '@nats-io/transport-node';
import type { ViewedMessage } from '../../core/message/types';
import { fromCoreMsg, fromJsMsg } from '../read/viewedMessage';

/** A fixed-capacity FIFO: pushing into a full ring is refused, the caller drops the oldest first. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  size = 0;
  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }
  push(item: T): void {
    this.items[(this.head + this.size) % this.capacity] = item;
    this.size++;
  }
  peek(): T | undefined {
    return this.size ? this.items[this.head] : undefined;
  }
  shift(): T | undefined {
    if (!this.size) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size--;
    return item;
  }
}

/** What the queue holds: the client's message as it came (converted only when it is shown) and when it came. */
export type Entry = { core: Msg; at: number } | { js: JsMsg } | { read: ViewedMessage };

/** The entry as the formatter shows it; a consumer's message names the stream it came from. */
export function viewed(e: Entry, stream: string | undefined): ViewedMessage {
  if ('read' in e) return e.read;
  if ('js' in e) return fromJsMsg(e.js, stream ?? e.js.info.stream);
  return fromCoreMsg(e.core, e.at);
}

/** Subject, size and a hash of the payload: a live copy of a past message has the same key. */
export function contentKey(subject: string, data: Uint8Array): string {
  return `${subject}\n${data.length}\n${createHash('sha1').update(data).digest('base64')}`;
}
