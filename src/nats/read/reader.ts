// The one reader views, tails and exports share: a stream's messages by last N, sequence or time, on every stream
// kind, taking nothing away, pinning nothing, and leaving no consumer behind (also on failure or cancel).
import type { Consumer, JetStreamManager, StoredMsg, StreamInfo } from '@nats-io/jetstream';
import type { ViewedMessage } from '../../core/message/types';
import { overlap } from '../../core/pattern/lattice';
import { isValidPattern } from '../../core/pattern/tokens';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { API, apiCode } from '../errors/apiCodes';
import { ConsumerLease, type OrderedStart } from './lease';
import { abortable, firstSeqAtOrAfter, nextMessage } from './seqByTime';
import { fromJsMsg, fromStored } from './viewedMessage';

export type ReadFrom = { last: number } | { seq: number } | { since: Date };

export interface ReadOptions {
  stream: string;
  /** A subject or pattern; every subject of the stream when absent (or `>`). */
  filter?: string;
  /** The last N messages, from a sequence, or from a time. */
  from: ReadFrom;
  /** At most this many messages (a view's page). */
  max: number;
  /**
   * `forward` (default): the messages at or after `seq` / `since`. `backward` (paging to older): the ones at or
   * before `seq`, or before `since`. `last` always reads the stream's end.
   */
  direction?: 'forward' | 'backward';
  signal?: AbortSignal;
}

export interface ReadResult {
  /** In stream order. */
  messages: ViewedMessage[];
  /** The sequence of the first and of the last message read; 0 when none was. */
  firstSeq: number;
  lastSeq: number;
  /** Whether the stream holds matching messages before the first and after the last one read (or the start point). */
  more: { older: boolean; newer: boolean };
  /** A sentence for the view when the read holds less than asked: an empty stream, nothing matching, fewer messages. */
  note?: string;
}

/** Message gets in flight at once when reading by sequence, and the bytes they may bring together. */
const GET_WINDOW = 64;
const GET_WINDOW_BYTES = 8 * 1024 * 1024;
/** How long one pull waits on the server; a read stops earlier once the consumer has nothing pending. */
const FETCH_EXPIRES_MS = 5_000;
/** Consumers tried while looking for where the last N filtered messages start. */
const MAX_PROBES = 8;
/** Messages (as bytes) fetched beyond the last N rather than probing again for a closer start. */
const SLACK_BYTES = 2 * 1024 * 1024;

/**
 * Reads messages from `stream` without changing it. Limits streams: an ordered ephemeral consumer, deleted when done.
 * Work-queue and interest streams: message gets by sequence, which need no consumer at all. Failures are
 * `NatsUserError`s in the user's terms; a cancelled read rejects with the signal's reason.
 */
export async function readMessages(session: NatsSession, options: ReadOptions): Promise<ReadResult> {
  const { stream, signal } = options;
  checkOptions(options);
  if (options.filter && !isValidPattern(options.filter)) {
    throw new NatsUserError(`"${options.filter}" is not a subject filter: write tokens separated by single dots, without spaces, with * for one token and > only at the end.`);
  }
  signal?.throwIfAborted();
  const jsm = await session.jetstreamManager();
  try {
    const info = await abortable(jsm.streams.info(stream), signal);
    return await new StreamRead(new ConsumerLease(session, stream, 'read'), jsm, info, options).run();
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    if (e instanceof NatsUserError) throw e;
    const cause = await vanishedStream(jsm, stream, e);
    throw new NatsUserError(session.describe(cause, { action: `reading messages from ${stream}`, stream }), { cause: e });
  }
}

function checkOptions({ from, max }: ReadOptions): void {
  const whole = (n: unknown, min: number) => typeof n === 'number' && Number.isSafeInteger(n) && n >= min;
  if (!whole(max, 1)) throw new RangeError(`readMessages: max must be a whole number from 1, not ${max}`);
  if ('last' in from ? !whole(from.last, 1) : 'seq' in from ? !whole(from.seq, 0) : !(from.since instanceof Date && !Number.isNaN(from.since.getTime()))) {
    throw new RangeError(`readMessages: from must be { last: N >= 1 }, { seq: N >= 0 } or { since: a valid Date }, not ${JSON.stringify(from)}`);
  }
}

interface Selection {
  messages: ViewedMessage[];
  /** Where the read started (forward) or ended + 1 (backward): what "older" and "newer" are measured from when nothing was read. */
  edge: number;
}

class StreamRead {
  private readonly first: number;
  private readonly last: number;
  private readonly filter: string | undefined;
  private readonly signal: AbortSignal | undefined;

  constructor(
    /** Every consumer of this read comes from it; closed at the end whatever happens. */
    private readonly lease: ConsumerLease,
    private readonly jsm: JetStreamManager,
    private readonly info: StreamInfo,
    private readonly o: ReadOptions,
  ) {
    this.first = info.state.first_seq;
    this.last = info.state.last_seq;
    this.filter = o.filter && o.filter !== '>' ? o.filter : undefined;
    this.signal = o.signal;
  }

  async run(): Promise<ReadResult> {
    const { stream } = this.o;
    if (this.info.state.messages === 0) return { messages: [], firstSeq: 0, lastSeq: 0, more: { older: false, newer: false }, note: `Stream ${stream} holds no messages.` };
    const subjects = this.info.config.subjects ?? [];
    if (this.filter && subjects.length > 0 && !subjects.some(s => overlap(s, this.filter!))) {
      return { messages: [], firstSeq: 0, lastSeq: 0, more: { older: false, newer: false }, note: `Stream ${stream} stores none of "${this.filter}": its subjects are ${subjects.join(', ')}.` };
    }
    let selection: Selection;
    try {
      // Gets by sequence on work-queue (they refuse ordered consumers) and interest streams (a consumer pins; a get does not).
      const useConsumer = this.info.config.retention === 'limits';
      try {
        selection = await this.select(useConsumer);
      } catch (e) {
        // No consumer left in the account's limit, or (2.9) a filter that is not a subset of the stream's subjects.
        if (!useConsumer || (apiCode(e) !== API.CONSUMER_LIMIT && apiCode(e) !== API.FILTER_NOT_SUBSET)) throw e;
        selection = await this.select(false);
      }
    } finally {
      await this.lease.close();
    }
    this.signal?.throwIfAborted();
    return this.result(selection);
  }

  private async result({ messages, edge }: Selection): Promise<ReadResult> {
    const firstSeq = messages[0]?.seq ?? 0;
    const lastSeq = messages.at(-1)?.seq ?? 0;
    const [older, newer] = await Promise.all([
      this.existsBefore(messages.length ? firstSeq : edge),
      this.existsFrom(messages.length ? lastSeq + 1 : edge),
    ]);
    const result: ReadResult = { messages, firstSeq, lastSeq, more: { older, newer } };
    const note = this.note(messages.length);
    if (note) result.note = note;
    return result;
  }

  private note(count: number): string | undefined {
    const { stream, from } = this.o;
    const on = this.filter ? ` on "${this.filter}"` : '';
    const backward = this.o.direction === 'backward';
    if (count === 0) {
      if ('since' in from) return `No message${on} in stream ${stream} ${backward ? 'before' : 'since'} ${from.since.toISOString()}.`;
      if ('seq' in from) return `No message${on} in stream ${stream} ${backward ? 'up to' : 'from'} sequence ${from.seq}.`;
      return `No message${on} in stream ${stream}.`;
    }
    if ('last' in from && count < Math.min(from.last, this.o.max)) return `Stream ${stream} holds only ${count} message${count === 1 ? '' : 's'}${on}.`;
    return undefined;
  }

  private async select(useConsumer: boolean): Promise<Selection> {
    const { from, max } = this.o;
    const backward = this.o.direction === 'backward';
    if ('last' in from) return { messages: await this.backward(this.last, Math.min(Math.max(1, from.last), max), useConsumer), edge: this.last + 1 };
    if ('seq' in from) {
      const seq = Math.max(1, Math.floor(from.seq));
      return backward
        ? { messages: await this.backward(Math.min(seq, this.last), max, useConsumer), edge: seq + 1 }
        : { messages: await this.forward(seq, max, useConsumer), edge: seq };
    }
    if (!backward && useConsumer) {
      const messages = await this.consumerForward({ opt_start_time: from.since.toISOString() }, max);
      return { messages, edge: messages[0]?.seq ?? this.last + 1 };
    }
    const at = await this.firstSeqAtOrAfter(from.since);
    return backward ? { messages: await this.backward(at - 1, max, useConsumer), edge: at } : { messages: await this.forward(at, max, useConsumer), edge: at };
  }

  private forward(lo: number, count: number, useConsumer: boolean): Promise<ViewedMessage[]> {
    if (lo > this.last) return Promise.resolve([]);
    return useConsumer ? this.consumerForward({ opt_start_seq: Math.max(lo, this.first) }, count) : this.getForward(Math.max(lo, this.first), count);
  }

  private backward(hi: number, count: number, useConsumer: boolean): Promise<ViewedMessage[]> {
    if (hi < this.first) return Promise.resolve([]);
    return useConsumer ? this.consumerBackward(Math.min(hi, this.last), count) : this.getBackward(Math.min(hi, this.last), count);
  }

  // ---- Limits streams: an ordered consumer ----

  private openConsumer(start: OrderedStart): Promise<{ consumer: Consumer; pending: number }> {
    this.signal?.throwIfAborted();
    return this.lease.ordered(start, this.filter);
  }

  private drop(consumer: Consumer): Promise<void> {
    return this.lease.release(consumer);
  }

  private async consumerForward(start: OrderedStart, count: number): Promise<ViewedMessage[]> {
    const { consumer, pending } = await this.openConsumer(start);
    return this.fetch(consumer, Math.min(pending, count), Infinity);
  }

  /**
   * The last `count` matches at or before `hi`. Without a filter (and no holes) the start is `hi - count + 1`; with one,
   * consumers' num_pending count the matches from a start, and a few probes find one that overshoots by little.
   */
  private async consumerBackward(hi: number, count: number): Promise<ViewedMessage[]> {
    let after = 0;
    if (hi < this.last) {
      const probe = await this.openConsumer({ opt_start_seq: hi + 1 });
      after = probe.pending;
      await this.drop(probe.consumer);
    }
    // Fetching a few MB more is cheaper than another probe (a consumer created and deleted).
    const slack = Math.max(16, Math.ceil(count / 4), Math.floor(SLACK_BYTES / this.averageSize));
    let s = Math.max(this.first, hi - count + 1);
    let current = await this.openConsumer({ opt_start_seq: s });
    let g = current.pending - after;
    /** The nearest start known to hold fewer than `count` matches, and the one with the fewest at or above `count`. */
    let short: { s: number; g: number } | undefined;
    let best: { s: number; g: number; consumer: Consumer } | undefined;
    /** Which end the last two probes moved: the same one twice means interpolation is creeping, so halve instead. */
    const moved: ('short' | 'best')[] = [];
    for (let probes = 1; ; probes++) {
      if (g >= count || s === this.first) {
        if (best) await this.drop(best.consumer);
        best = { s, g, consumer: current.consumer };
        moved.unshift('best');
        // Close enough, or (at the stream's first message) all there is.
        if (g <= count + slack || g < count) break;
      } else {
        short = { s, g };
        moved.unshift('short');
        await this.drop(current.consumer);
      }
      if (probes >= MAX_PROBES) break;
      const creeping = moved.length > 1 && moved[0] === moved[1];
      const next = !best ? widen(short!, hi, count, this.first) : short ? between(best, short, count + slack / 2, creeping) : undefined;
      if (next === undefined || next === s) break;
      s = next;
      current = await this.openConsumer({ opt_start_seq: s });
      g = current.pending - after;
    }
    if (!best) return [];
    return this.fetch(best.consumer, best.g, hi, count);
  }

  /**
   * Up to `count` messages at or before `hi` from the consumer, of which the last `keep` are kept; stops as soon as
   * the consumer has none pending.
   */
  private async fetch(consumer: Consumer, count: number, hi: number, keep = count): Promise<ViewedMessage[]> {
    let out: ViewedMessage[] = [];
    let received = 0;
    let done = count <= 0;
    while (!done) {
      this.signal?.throwIfAborted();
      const iter = await consumer.fetch({ max_messages: count - received, expires: FETCH_EXPIRES_MS });
      const stop = () => iter.stop();
      this.signal?.addEventListener('abort', stop, { once: true });
      let got = 0;
      try {
        for await (const m of iter) {
          got++;
          if (m.seq > hi) {
            done = true;
            break;
          }
          received++;
          out.push(fromJsMsg(m, this.o.stream));
          if (out.length >= 2 * keep) out = out.slice(-keep);
          if (received >= count || m.seq === hi || m.info.pending === 0) {
            done = true;
            break;
          }
        }
      } finally {
        this.signal?.removeEventListener('abort', stop);
        iter.stop();
      }
      if (got === 0) done = true;
    }
    return out.slice(-keep);
  }

  // ---- Any stream: message gets by sequence, no consumer ----

  /** Gets in flight at once: fewer for large messages (by the stream's average size), so a window stays a few MB. */
  private get window(): number {
    return Math.max(1, Math.min(GET_WINDOW, Math.floor(GET_WINDOW_BYTES / this.averageSize)));
  }

  private get averageSize(): number {
    const { bytes, messages } = this.info.state;
    return Math.max(1, bytes / Math.max(1, messages));
  }

  private get holeRatio(): number {
    const span = this.last - this.first + 1;
    return span > 0 ? 1 - this.info.state.messages / span : 0;
  }

  /** Without a filter and with few holes, sequences are fetched many at once; otherwise one next-by-subject after the other. */
  private get bySequence(): boolean {
    return !this.filter && this.holeRatio < 0.5;
  }

  private async getSeq(seq: number): Promise<StoredMsg | null> {
    return abortable(this.jsm.streams.getMessage(this.o.stream, { seq }), this.signal);
  }

  /** The first message at or after `seq` on the filter (every subject without one). */
  private async next(seq: number): Promise<StoredMsg | null> {
    return abortable(nextMessage(this.jsm, this.o.stream, seq, this.filter ?? '>'), this.signal);
  }

  private async getForward(lo: number, count: number): Promise<ViewedMessage[]> {
    const out: ViewedMessage[] = [];
    if (this.bySequence) {
      for (let seq = lo; seq <= this.last && out.length < count;) {
        const n = Math.min(this.window, this.last - seq + 1, Math.ceil((count - out.length) / (1 - this.holeRatio)));
        const got = await Promise.all(Array.from({ length: n }, (_, k) => this.getSeq(seq + k)));
        for (const m of got) if (m && out.length < count) out.push(fromStored(m, this.o.stream));
        seq += n;
      }
      return out;
    }
    for (let seq = lo; out.length < count;) {
      const m = await this.next(seq);
      if (!m || m.seq > this.last) break;
      out.push(fromStored(m, this.o.stream));
      seq = m.seq + 1;
    }
    return out;
  }

  private async getBackward(hi: number, count: number): Promise<ViewedMessage[]> {
    if (this.bySequence) {
      const out: ViewedMessage[] = [];
      for (let seq = hi; seq >= this.first && out.length < count;) {
        const n = Math.min(this.window, seq - this.first + 1, Math.ceil((count - out.length) / (1 - this.holeRatio)));
        const got = await Promise.all(Array.from({ length: n }, (_, k) => this.getSeq(seq - k)));
        for (const m of got) if (m && out.length < count) out.push(fromStored(m, this.o.stream));
        seq -= n;
      }
      return out.reverse();
    }
    return this.lastMatches(hi, count);
  }

  /**
   * The last `count` matches at or before `hi`, walking next-by-subject forward through windows below `hi` that double
   * until they hold enough, then halving one that holds too many: O(count · log(range)) gets at worst, no consumer.
   */
  private async lastMatches(hi: number, count: number): Promise<ViewedMessage[]> {
    const chunks: StoredMsg[][] = [];
    let need = count;
    let top = hi;
    let width = count;
    /** `low`..`top` is known to hold at least `need` matches. */
    let low: number | undefined;
    while (need > 0 && top >= this.first) {
      if (low !== undefined && top - low + 1 <= Math.max(2 * need, GET_WINDOW)) {
        chunks.unshift((await this.walk(low, top, Infinity)).found.slice(-need));
        break;
      }
      const lo = low !== undefined ? low + Math.floor((top - low + 1) / 2) : Math.max(this.first, top - width + 1);
      const { found, complete } = await this.walk(lo, top, need);
      if (!complete) {
        low = lo;
        continue;
      }
      chunks.unshift(found);
      need -= found.length;
      top = lo - 1;
      if (low === undefined) width = found.length > 0 ? Math.max(2 * width, Math.ceil((1.5 * need * width) / found.length)) : width * 8;
    }
    return chunks.flat().map(m => fromStored(m, this.o.stream));
  }

  /** The matches in [lo, top]: all of them (`complete`) or, when there are more than `limit`, the first `limit` + 1. */
  private async walk(lo: number, top: number, limit: number): Promise<{ found: StoredMsg[]; complete: boolean }> {
    const found: StoredMsg[] = [];
    for (let seq = lo; ;) {
      const m = await this.next(seq);
      if (!m || m.seq > top) return { found, complete: true };
      found.push(m);
      if (found.length > limit) return { found, complete: false };
      seq = m.seq + 1;
    }
  }

  private firstSeqAtOrAfter(t: Date): Promise<number> {
    return firstSeqAtOrAfter(this.jsm, this.o.stream, { first: this.first, last: this.last }, t, this.signal);
  }

  private async existsBefore(seq: number): Promise<boolean> {
    if (seq <= this.first) return false;
    if (!this.filter) return true;
    const m = await this.next(this.first);
    return m !== null && m.seq < seq;
  }

  private async existsFrom(seq: number): Promise<boolean> {
    return (await this.next(Math.max(seq, 1))) !== null;
  }
}

/**
 * A start between one that holds too many matches and one that holds too few: interpolated by their counts (kept in
 * the middle half), or halfway when `halve`, so matches bunched at one end still close the gap quickly.
 */
function between(many: { s: number; g: number }, few: { s: number; g: number }, target: number, halve: boolean): number | undefined {
  const gap = few.s - many.s;
  if (gap <= 1) return undefined;
  const f = halve ? 0.5 : Math.min(0.75, Math.max(0.25, (many.g - target) / Math.max(1, many.g - few.g)));
  return Math.min(few.s - 1, Math.max(many.s + 1, Math.round(many.s + f * gap)));
}

/** A start further back, sized by the density of matches seen so far. */
function widen(short: { s: number; g: number }, hi: number, count: number, first: number): number {
  const span = hi - short.s + 1;
  const estimate = short.g > 0 ? Math.ceil((count * span * 1.2) / short.g) : span * 8;
  return Math.max(first, hi - Math.min(Math.max(estimate, 2 * span), span * 64) + 1);
}


/** A failure caused by the stream being deleted meanwhile is told as "the stream does not exist". */
async function vanishedStream(jsm: JetStreamManager, stream: string, e: unknown): Promise<unknown> {
  // A server that did not answer in time would not answer the check either.
  if (apiCode(e) === API.STREAM_NOT_FOUND || (e instanceof Error && (e.name === 'TimeoutError' || (e.cause as Error | undefined)?.name === 'TimeoutError'))) return e;
  try {
    await jsm.streams.info(stream);
  } catch (gone) {
    if (apiCode(gone) === API.STREAM_NOT_FOUND) return gone;
  }
  return e;
}
