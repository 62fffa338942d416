// Export a stream's messages as JSON lines (CIM-Start's backup), on every stream kind, taking nothing away and
// leaving no consumer behind.
import type { StreamInfo } from '@nats-io/jetstream';
import { messageAsJsonLine } from '../../core/message/format';
import type { ViewedMessage } from '../../core/message/types';
import { overlap } from '../../core/pattern/lattice';
import { isValidPattern } from '../../core/pattern/tokens';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { API, apiCode } from '../errors/apiCodes';
import { ConsumerLease } from './lease';
import { readMessages } from './reader';
import { fromJsMsg } from './viewedMessage';

export interface ExportOptions {
  stream: string;
  /** A subject or pattern; every subject of the stream when absent (or `>`). */
  filter?: string;
  /** Where to start: a sequence or a time; the stream's first message when absent. */
  from?: { seq: number } | { since: Date };
  /** The last sequence to export; the stream's last one when the export starts, when absent. */
  toSeq?: number;
  signal?: AbortSignal;
  /** After each message: how many were written, and how many the export expects (an estimate with a filter or bounds). */
  onProgress?: (count: number, total: number | undefined) => void;
  /** Called with each JSON line (no line break), in stream order; the next message waits for its promise. */
  write: (line: string) => Promise<void> | void;
  /**
   * `auto`: an ordered consumer on limits streams (the fastest), message gets on work-queue and interest streams.
   * `reader`: readMessages pages on every stream (for measuring the two against each other).
   */
  method?: 'auto' | 'reader';
}

export interface ExportResult {
  exported: number;
  /** The sequences of the first and last message exported; 0 when none was. */
  firstSeq: number;
  lastSeq: number;
}

/** Bytes of messages held at once while exporting (one fetch, one page). */
const EXPORT_WINDOW_BYTES = 32 * 1024 * 1024;
const EXPORT_MAX_BATCH = 32_768;
const READER_MAX_PAGE = 1000;
const FETCH_EXPIRES_MS = 5_000;

/**
 * Writes the stream's messages, in order, as `messageAsJsonLine` lines through `write`, holding a few MB at most.
 * Limits streams are read by an ordered consumer deleted at the end (also on failure and cancel); work-queue and
 * interest streams through the reader's message gets, which take nothing and pin nothing. Failures are
 * `NatsUserError`s; a cancelled export rejects with the signal's reason; an error thrown by `write` passes through.
 */
export async function exportMessages(session: NatsSession, options: ExportOptions): Promise<ExportResult> {
  const { stream, signal } = options;
  const filter = options.filter && options.filter !== '>' ? options.filter : undefined;
  if (filter && !isValidPattern(filter)) {
    throw new NatsUserError(`"${filter}" is not a subject filter: write tokens separated by single dots, without spaces, with * for one token and > only at the end.`);
  }
  if (options.from && 'seq' in options.from && !(Number.isSafeInteger(options.from.seq) && options.from.seq >= 0)) throw new RangeError(`exportMessages: from.seq must be a whole number from 0, not ${options.from.seq}`);
  if (options.from && 'since' in options.from && Number.isNaN(options.from.since.getTime())) throw new RangeError('exportMessages: from.since is not a valid Date');
  signal?.throwIfAborted();
  const jsm = await session.jetstreamManager();
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(stream);
  } catch (e) {
    throw new NatsUserError(session.describe(e, { action: `exporting messages from ${stream}`, stream }), { cause: e });
  }
  const subjects = info.config.subjects ?? [];
  if (filter && subjects.length > 0 && !subjects.some(s => overlap(s, filter))) {
    throw new NatsUserError(`Stream ${stream} stores none of "${filter}": its subjects are ${subjects.join(', ')}.`);
  }
  const run = new ExportRun(session, info, { ...options, ...(filter ? { filter } : { filter: undefined }) });
  try {
    if (options.method !== 'reader' && info.config.retention === 'limits') {
      try {
        return await run.byConsumer();
      } catch (e) {
        // No consumer left in the account's limit, or (2.9) a filter that is not a subset of the stream's subjects.
        if (run.count > 0 || (apiCode(e) !== API.CONSUMER_LIMIT && apiCode(e) !== API.FILTER_NOT_SUBSET)) throw e;
      }
    }
    return await run.byReader();
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    if (e instanceof NatsUserError || run.writeFailed) throw e;
    throw new NatsUserError(session.describe(e, { action: `exporting messages from ${stream}`, stream }), { cause: e });
  }
}

class ExportRun {
  count = 0;
  writeFailed = false;
  private firstSeq = 0;
  private lastSeq = 0;
  /** The last sequence to export: what the stream held when the export started, or `toSeq`. */
  private readonly end: number;
  private readonly start: number;
  private readonly batch: number;

  constructor(
    private readonly session: NatsSession,
    private readonly info: StreamInfo,
    private readonly o: ExportOptions,
  ) {
    const { state } = info;
    this.end = Math.min(state.last_seq, o.toSeq ?? Infinity);
    this.start = Math.max(state.first_seq, o.from && 'seq' in o.from ? o.from.seq : 0);
    const average = Math.max(1, state.bytes / Math.max(1, state.messages));
    this.batch = Math.max(1, Math.min(EXPORT_MAX_BATCH, Math.floor(EXPORT_WINDOW_BYTES / average)));
  }

  private get empty(): boolean {
    return this.info.state.messages === 0 || this.start > this.end;
  }

  /** Without a filter and a time, the messages between the bounds (exact without holes); otherwise unknown. */
  private estimate(): number | undefined {
    if (this.o.filter || (this.o.from && 'since' in this.o.from)) return undefined;
    const { first_seq, last_seq, messages } = this.info.state;
    if (this.start <= first_seq && this.end >= last_seq) return messages;
    return Math.max(0, this.end - this.start + 1);
  }

  private result(): ExportResult {
    return { exported: this.count, firstSeq: this.firstSeq, lastSeq: this.lastSeq };
  }

  /** Writes one line; a promise only when `write` returned one (a synchronous writer costs no await per message). */
  private emit(m: ViewedMessage, total: number | undefined): Promise<void> | undefined {
    const line = messageAsJsonLine(m);
    let written: Promise<void> | void;
    try {
      written = this.o.write(line);
    } catch (e) {
      this.writeFailed = true;
      throw e;
    }
    if (written instanceof Promise) {
      return written.then(() => this.emitted(m, total), (e: unknown) => {
        this.writeFailed = true;
        throw e;
      });
    }
    this.emitted(m, total);
    return undefined;
  }

  private emitted(m: ViewedMessage, total: number | undefined): void {
    this.count++;
    if (this.firstSeq === 0) this.firstSeq = m.seq!;
    this.lastSeq = m.seq!;
    this.o.onProgress?.(this.count, total);
  }

  /** One ordered consumer, fetched a few MB at a time: the next fetch waits until the last one is written. */
  async byConsumer(): Promise<ExportResult> {
    if (this.empty) return this.result();
    const { stream, signal, from } = this.o;
    signal?.throwIfAborted();
    const lease = new ConsumerLease(this.session, stream, 'read');
    try {
      const start = from && 'since' in from ? { opt_start_time: from.since.toISOString() } : { opt_start_seq: this.start };
      const leased = await lease.ordered(start, this.o.filter);
      const consumer = leased.consumer;
      let pending = leased.pending;
      const total = this.o.filter && this.o.toSeq === undefined ? pending : this.estimate();
      let done = pending === 0;
      while (!done) {
        signal?.throwIfAborted();
        const iter = await consumer.fetch({ max_messages: Math.min(pending, this.batch), expires: FETCH_EXPIRES_MS });
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
            const written = this.emit(fromJsMsg(m, stream), total);
            if (written) await written;
            pending = m.info.pending;
            if (m.seq === this.end || pending === 0) {
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

  /** readMessages pages, each at most a few MB, each written before the next is read. */
  async byReader(): Promise<ExportResult> {
    if (this.empty) return this.result();
    const { stream, signal, filter } = this.o;
    const total = this.estimate();
    const max = Math.min(READER_MAX_PAGE, this.batch);
    let from: { seq: number } | { since: Date } = this.o.from && 'since' in this.o.from ? this.o.from : { seq: this.start };
    for (;;) {
      const page = await readMessages(this.session, { stream, from, max, ...(filter ? { filter } : {}), ...(signal ? { signal } : {}) });
      for (const m of page.messages) {
        if (m.seq! > this.end) return this.result();
        const written = this.emit(m, total);
        if (written) await written;
        signal?.throwIfAborted();
      }
      if (page.messages.length === 0 || page.lastSeq >= this.end || !page.more.newer) return this.result();
      from = { seq: page.lastSeq + 1 };
    }
  }
}

