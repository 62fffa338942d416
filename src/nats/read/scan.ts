// A stream's messages in order, one at a time, over a sequence or time range: what exports, searches and traces
// read through. Every stream kind, taking nothing away, pinning nothing, a few MB held at most, no consumer left.
import type { StreamInfo } from '@nats-io/jetstream';
import type { ViewedMessage } from '../../core/message/types';
import { meet, overlap } from '../../core/pattern/lattice';
import { isValidPattern } from '../../core/pattern/tokens';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { API, apiCode } from '../errors/apiCodes';
import { ConsumerLease } from './lease';
import { readMessages } from './reader';
import { firstSeqAtOrAfter } from './seqByTime';
import { fromJsMsg } from './viewedMessage';

export interface ScanOptions {
  stream: string;
  /** A subject or pattern; every subject of the stream when absent (or `>`). */
  filter?: string;
  /** Where to start: a sequence or a time; the stream's first message when absent. */
  from?: { seq: number } | { since: Date };
  /** The last sequence to read; the stream's last one when the scan starts, when absent. */
  toSeq?: number;
  /** The last message read is the last one stored at or before this time. */
  until?: Date;
  signal?: AbortSignal;
  /** After each message: how many were read, and about how many the range holds (undefined when unknown). */
  onProgress?: (scanned: number, total: number | undefined) => void;
  /**
   * Called with each message in stream order; returning `false` stops the scan after it. A promise makes the next
   * message wait for it (a synchronous callback costs no await per message).
   */
  onMessage: (message: ViewedMessage) => boolean | void | Promise<boolean | void>;
  /**
   * `auto`: an ordered consumer on limits streams (the fastest), message gets on work-queue and interest streams.
   * `reader`: readMessages pages on every stream (for measuring the two against each other).
   */
  method?: 'auto' | 'reader';
}

export interface ScanResult {
  /** Messages handed to onMessage. */
  scanned: number;
  /** Their payload bytes. */
  bytes: number;
  /** The sequences of the first and last message read; 0 when none was. */
  firstSeq: number;
  lastSeq: number;
  /** The last sequence of the range (what `toSeq` / `until` came to): a scan that goes on stops there too. */
  endSeq: number;
  /** Where to go on from when onMessage stopped the scan before the range's end; absent when the range was read. */
  next?: number;
  /** About how many messages the range held (undefined when unknown). */
  total?: number;
}

/** Bytes of messages held at once (one fetch, one page). */
const WINDOW_BYTES = 32 * 1024 * 1024;
const MAX_BATCH = 32_768;
const READER_MAX_PAGE = 1000;
const FETCH_EXPIRES_MS = 5_000;

/**
 * Hands the stream's messages in the range, in order, to `onMessage`. Limits streams are read by an ordered consumer
 * deleted at the end (also on failure and cancel); work-queue and interest streams through the reader's message gets.
 * Failures are `NatsUserError`s; a cancelled scan rejects with the signal's reason; an error thrown by onMessage passes
 * through as it is.
 */
export async function scanMessages(session: NatsSession, options: ScanOptions): Promise<ScanResult> {
  const { stream, signal } = options;
  const filter = options.filter && options.filter !== '>' ? options.filter : undefined;
  if (filter && !isValidPattern(filter)) {
    throw new NatsUserError(`"${filter}" is not a subject filter: write tokens separated by single dots, without spaces, with * for one token and > only at the end.`);
  }
  if (options.from && 'seq' in options.from && !(Number.isSafeInteger(options.from.seq) && options.from.seq >= 0)) throw new RangeError(`scanMessages: from.seq must be a whole number from 0, not ${options.from.seq}`);
  if (options.from && 'since' in options.from && Number.isNaN(options.from.since.getTime())) throw new RangeError('scanMessages: from.since is not a valid Date');
  if (options.until && Number.isNaN(options.until.getTime())) throw new RangeError('scanMessages: until is not a valid Date');
  signal?.throwIfAborted();
  const action = `reading messages from ${stream}`;
  const jsm = await session.jetstreamManager();
  let info: StreamInfo;
  let end: number;
  let from = options.from;
  try {
    info = await jsm.streams.info(stream);
    const { state } = info;
    end = Math.min(state.last_seq, options.toSeq ?? Infinity);
    if (state.messages > 0) {
      // Times as sequences (both at once), so the range is known at both ends and no fetch reads past its end.
      const bounds = { first: state.first_seq, last: end };
      const known = { first: new Date(state.first_ts), ...(end === state.last_seq ? { last: new Date(state.last_ts) } : {}) };
      const since = options.from && 'since' in options.from ? options.from.since : undefined;
      const [last, start] = await Promise.all([
        options.until ? firstSeqAtOrAfter(jsm, stream, bounds, new Date(options.until.getTime() + 1), signal, known).then(s => s - 1) : end,
        since ? firstSeqAtOrAfter(jsm, stream, bounds, since, signal, known) : undefined,
      ]);
      end = last;
      if (start !== undefined) from = { seq: start };
    }
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw new NatsUserError(session.describe(e, { action, stream }), { cause: e });
  }
  const subjects = info.config.subjects ?? [];
  if (filter && subjects.length > 0 && !subjects.some(s => overlap(s, filter))) {
    throw new NatsUserError(`Stream ${stream} stores none of "${filter}": its subjects are ${subjects.join(', ')}.`);
  }
  const run = new ScanRun(session, info, end, { ...options, ...(from ? { from } : {}), filter: narrowed(filter, subjects) });
  try {
    if (options.method !== 'reader' && info.config.retention === 'limits') {
      try {
        return await run.byConsumer();
      } catch (e) {
        // No consumer left in the account's limit, or (2.9) a filter that is not a subset of the stream's subjects.
        if (run.scanned > 0 || (apiCode(e) !== API.CONSUMER_LIMIT && apiCode(e) !== API.FILTER_NOT_SUBSET)) throw e;
      }
    }
    return await run.byReader();
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    if (e instanceof NatsUserError || run.callbackFailed) throw e;
    throw new NatsUserError(session.describe(e, { action, stream }), { cause: e });
  }
}

/** A filter wider than the stream (`dev.domain.>` on `dev.domain.sales.>`) as the part the stream stores: 2.9 refuses the rest. */
function narrowed(filter: string | undefined, subjects: readonly string[]): string | undefined {
  if (!filter) return undefined;
  const meets = [...new Set(subjects.map(s => meet(s, filter)).filter((m): m is string => m !== null))];
  return meets.length === 1 ? meets[0] : filter;
}

class ScanRun {
  scanned = 0;
  bytes = 0;
  callbackFailed = false;
  private firstSeq = 0;
  private lastSeq = 0;
  private next: number | undefined;
  private total: number | undefined;
  private readonly start: number;
  private readonly batch: number;

  constructor(
    private readonly session: NatsSession,
    private readonly info: StreamInfo,
    private readonly end: number,
    private readonly o: ScanOptions & { filter: string | undefined },
  ) {
    const { state } = info;
    this.start = Math.max(state.first_seq, o.from && 'seq' in o.from ? o.from.seq : 0);
    const average = Math.max(1, state.bytes / Math.max(1, state.messages));
    this.batch = Math.max(1, Math.min(MAX_BATCH, Math.floor(WINDOW_BYTES / average)));
  }

  private get empty(): boolean {
    return this.info.state.messages === 0 || this.start > this.end;
  }

  /** Without a filter and a start time, the messages between the bounds (exact without holes); otherwise unknown. */
  private estimate(): number | undefined {
    if (this.o.filter || (this.o.from && 'since' in this.o.from)) return undefined;
    const { first_seq, last_seq, messages } = this.info.state;
    if (this.start <= first_seq && this.end >= last_seq) return messages;
    const span = Math.max(1, last_seq - first_seq + 1);
    return Math.max(0, Math.round((this.end - this.start + 1) * Math.min(1, messages / span)));
  }

  private result(): ScanResult {
    const r: ScanResult = { scanned: this.scanned, bytes: this.bytes, firstSeq: this.firstSeq, lastSeq: this.lastSeq, endSeq: this.end };
    if (this.next !== undefined && this.next <= this.end) r.next = this.next;
    if (this.total !== undefined) r.total = this.total;
    return r;
  }

  /**
   * Hands one message on; `false` when the scan stops after it. A promise only when onMessage returned one (a
   * synchronous callback costs no await per message).
   */
  private emit(m: ViewedMessage): boolean | Promise<boolean> {
    let answer: boolean | void | Promise<boolean | void>;
    this.count(m);
    try {
      answer = this.o.onMessage(m);
    } catch (e) {
      this.callbackFailed = true;
      throw e;
    }
    if (answer instanceof Promise) {
      return answer.then(a => this.goOn(a, m), (e: unknown) => {
        this.callbackFailed = true;
        throw e;
      });
    }
    return this.goOn(answer, m);
  }

  private count(m: ViewedMessage): void {
    this.scanned++;
    this.bytes += m.size;
    if (this.firstSeq === 0) this.firstSeq = m.seq!;
    this.lastSeq = m.seq!;
    this.o.onProgress?.(this.scanned, this.total);
  }

  private goOn(answer: boolean | void, m: ViewedMessage): boolean {
    if (answer !== false) return true;
    this.next = m.seq! + 1;
    return false;
  }

  /** One ordered consumer, fetched a few MB at a time: the next fetch waits until the last one is handed on. */
  async byConsumer(): Promise<ScanResult> {
    this.total = this.estimate();
    if (this.empty) return this.result();
    const { stream, signal, from } = this.o;
    signal?.throwIfAborted();
    const lease = new ConsumerLease(this.session, stream, 'read');
    try {
      const start = from && 'since' in from ? { opt_start_time: from.since.toISOString() } : { opt_start_seq: this.start };
      const leased = await lease.ordered(start, this.o.filter);
      const consumer = leased.consumer;
      let pending = leased.pending;
      // With a filter, what the consumer has pending from the start: all of the range when it reaches the stream's end.
      if (this.total === undefined && this.end >= this.info.state.last_seq) this.total = pending;
      let done = pending === 0;
      while (!done) {
        signal?.throwIfAborted();
        // Never more than the range holds: a scan bounded by a time or sequence reads little past its end.
        const left = this.end - Math.max(this.lastSeq + 1, this.start) + 1;
        const iter = await consumer.fetch({ max_messages: Math.max(1, Math.min(pending, this.batch, left)), expires: FETCH_EXPIRES_MS });
        const stop = () => iter.stop();
        signal?.addEventListener('abort', stop, { once: true });
        let got = 0;
        try {
          for await (const m of iter) {
            got++;
            if (m.seq > this.end) {
              done = true;
              break;
            }
            let goOn = this.emit(fromJsMsg(m, stream));
            if (goOn instanceof Promise) goOn = await goOn;
            pending = m.info.pending;
            if (!goOn || m.seq === this.end || pending === 0) {
              done = true;
              break;
            }
            signal?.throwIfAborted();
          }
        } finally {
          signal?.removeEventListener('abort', stop);
          iter.stop();
        }
        // Messages aged out or deleted meanwhile: the fetch ran dry.
        if (got === 0) done = true;
      }
      signal?.throwIfAborted();
      return this.result();
    } finally {
      await lease.close();
    }
  }

  /** readMessages pages, each at most a few MB, each handed on before the next is read. */
  async byReader(): Promise<ScanResult> {
    this.total = this.estimate();
    if (this.empty) return this.result();
    const { stream, signal, filter } = this.o;
    let from: { seq: number } | { since: Date } = this.o.from && 'since' in this.o.from ? this.o.from : { seq: this.start };
    for (;;) {
      // A page reads no further than the range's end.
      const max = Math.max(1, Math.min(READER_MAX_PAGE, this.batch, 'seq' in from ? this.end - from.seq + 1 : Infinity));
      const page = await readMessages(this.session, { stream, from, max, ...(filter ? { filter } : {}), ...(signal ? { signal } : {}) });
      for (const m of page.messages) {
        if (m.seq! > this.end) return this.result();
        let goOn = this.emit(m);
        if (goOn instanceof Promise) goOn = await goOn;
        if (!goOn) return this.result();
        signal?.throwIfAborted();
      }
      if (page.messages.length === 0 || page.lastSeq >= this.end || !page.more.newer) return this.result();
      from = { seq: page.lastSeq + 1 };
    }
  }
}
