// A tail of a subject pattern for an output channel: live through a core subscription, or from a stream's past through
// an ordered consumer that then follows live. Messages are queued (bounded) and formatted into batches at a steady
// rate, so a firehose costs the host a bounded queue and a bounded batch per tick, and what was dropped is said.
import { JetStreamApiError, type Consumer, type ConsumerMessages, type JsMsg, type StreamInfo } from '@nats-io/jetstream';
import type { Status, Subscription } from '@nats-io/transport-node';
import { formatMessage, messageAsJsonLine } from '../../core/message/format';
import type { ViewedMessage } from '../../core/message/types';
import { subset } from '../../core/pattern/lattice';
import { isValidPattern } from '../../core/pattern/tokens';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { ConsumerLease } from '../read/lease';
import { readMessages, type ReadResult } from '../read/reader';
import { API } from '../errors/apiCodes';
import { contentKey, Ring, viewed, type Entry } from './ring';
import { checkFrom, findStream } from './source';
import type { TailFrom, TailOptions, TailSession, TailStats } from './types';

export type { TailFormatOptions, TailFrom, TailOptions, TailSession, TailStats } from './types';

const DEFAULTS = { batchIntervalMs: 100, maxBatchLines: 1000, maxBatchMessages: 250, maxQueuedMessages: 10_000 };
/** Messages a pull asks for at once, and the bytes they may bring. */
const PULL_BYTES = 4 * 1024 * 1024;
/** Messages a page of the work-queue reader brings. */
const PAGE = 256;

/** Starts a tail; rejects with a `NatsUserError` (an invalid pattern, no stream for a tail from the past). */
export async function startTail(session: NatsSession, options: TailOptions): Promise<TailSession> {
  const { pattern, from } = options;
  if (!isValidPattern(pattern)) {
    throw new NatsUserError(`"${pattern}" is not a subject pattern: write tokens separated by single dots, without spaces, with * for one token and > only at the end.`);
  }
  if (from) checkFrom(from);
  const tail = new Tail(session, options);
  try {
    await tail.start();
  } catch (e) {
    await tail.discard();
    if (e instanceof NatsUserError) throw e;
    throw new NatsUserError(session.describe(e, { action: `tailing "${pattern}"`, ...(tail.stream ? { stream: tail.stream } : {}) }), { cause: e });
  }
  return tail;
}

class Tail implements TailSession {
  readonly pattern: string;
  streamBacked = false;
  stream: string | undefined;
  readonly closed: Promise<string>;

  private readonly o: Required<Pick<TailOptions, 'batchIntervalMs' | 'maxBatchLines' | 'maxBatchMessages' | 'maxQueuedMessages'>>;
  private readonly queue: Ring<Entry>;
  /** Live messages that arrived while a work-queue stream's past is still being read: they follow it. */
  private held: Ring<Entry> | undefined;
  private received = 0;
  private shown = 0;
  private skipped = 0;
  /** Dropped since the last batch: the next one says so. */
  private unsaid = 0;
  private lastSeq = 0;
  private readonly samples: { t: number; received: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sub: Subscription | undefined;
  private messages: ConsumerMessages | undefined;
  private consumer: Consumer | undefined;
  /** Every consumer of the tail comes from it (once the stream is known); closed, awaited, when the tail stops. */
  private lease: ConsumerLease | undefined;
  /** Each consumer the tail opens has its own; what an older one still delivers or reports is ignored. */
  private generation = 0;
  private consumerFilter: string | undefined;
  private gone = false;
  private ended = false;
  private stopping: Promise<void> | undefined;
  private statusIter: AsyncIterable<Status> & { stop(): void } | undefined;
  private endWith!: (why: string) => void;
  private batchFailed = false;

  constructor(private readonly session: NatsSession, private readonly options: TailOptions) {
    this.pattern = options.pattern;
    this.o = {
      batchIntervalMs: positive(options.batchIntervalMs, DEFAULTS.batchIntervalMs),
      maxBatchLines: positive(options.maxBatchLines, DEFAULTS.maxBatchLines),
      maxBatchMessages: positive(options.maxBatchMessages, DEFAULTS.maxBatchMessages),
      maxQueuedMessages: positive(options.maxQueuedMessages, DEFAULTS.maxQueuedMessages),
    };
    this.queue = new Ring<Entry>(this.o.maxQueuedMessages);
    this.closed = new Promise<string>(resolve => (this.endWith = resolve));
  }

  // ---- Starting ----

  async start(): Promise<void> {
    const { nc } = this.session;
    this.watchConnection();
    this.timer = setInterval(() => this.tick(), this.o.batchIntervalMs);
    this.timer.unref?.();
    const from = this.options.from;
    if (!from) {
      this.subscribeLive();
      await nc.flush();
      return;
    }
    const jsm = await this.session.jetstreamManager();
    const info = await findStream(jsm, this.pattern, this.session.server);
    this.stream = info.config.name;
    this.lease = new ConsumerLease(this.session, this.stream, 'tail', { sweep: 'always' });
    if (info.config.retention === 'workqueue') {
      await this.startWorkQueue(info, from);
      return;
    }
    if (info.config.retention === 'interest') {
      this.status(`${this.stream} is an interest stream: this tail's consumer changes what it keeps (messages wait until the tail has been sent them, and may then be removed).`);
    }
    const startSeq = await this.readPast(info, from);
    this.streamBacked = true;
    await this.follow(info, startSeq);
  }

  /** Last N: read with the reader (it knows filters and holes) and queued; since: where it starts. The consumer's first sequence. */
  private async readPast(info: StreamInfo, from: TailFrom): Promise<number> {
    const stream = info.config.name;
    const before = info.state.last_seq;
    if ('seq' in from) return from.seq;
    const filter = this.filter(info);
    if ('since' in from) {
      const r = await readMessages(this.session, { stream, ...(filter ? { filter } : {}), from: { since: from.since }, max: 1 });
      return r.messages[0]?.seq ?? before + 1;
    }
    const n = Math.min(from.last, this.o.maxQueuedMessages);
    if (n < from.last) this.status(`This tail keeps at most ${grouped(n)} messages waiting: it starts with the last ${grouped(n)} of the ${grouped(from.last)} asked for.`);
    const r: ReadResult = await readMessages(this.session, { stream, ...(filter ? { filter } : {}), from: { last: n }, max: n });
    for (const m of r.messages) this.take({ read: m }, m.seq);
    return r.lastSeq ? r.lastSeq + 1 : before + 1;
  }

  /** The consumer filter: none when the pattern is all the stream stores. */
  private filter(info: StreamInfo): string | undefined {
    const subjects = info.config.subjects ?? [];
    return subjects.length === 1 && subset(subjects[0]!, this.pattern) ? undefined : this.pattern;
  }

  /** An ordered consumer from `startSeq` that follows live. */
  private async follow(info: StreamInfo, startSeq: number): Promise<void> {
    this.consumerFilter = this.filter(info);
    await this.openConsumer(++this.generation, startSeq);
  }

  private async openConsumer(gen: number, startSeq: number): Promise<void> {
    const stream = this.stream!;
    const lease = this.lease!;
    // Not raced against stop(): the lease deletes what it made, also when the tail stops meanwhile.
    const { consumer } = await lease.ordered({ opt_start_seq: Math.max(1, startSeq) }, this.consumerFilter);
    if (this.ended || gen !== this.generation) {
      await lease.release(consumer);
      return;
    }
    this.consumer = consumer;
    const messages = await consumer.consume({
      max_bytes: PULL_BYTES,
      callback: (m: JsMsg) => {
        if (gen !== this.generation) return;
        // Order is kept across re-creations; a message delivered twice is not taken twice.
        const seq = m.seq;
        if (seq > this.lastSeq) this.take({ js: m }, seq);
      },
    });
    this.messages = messages;
    void (async () => {
      for await (const s of messages.status()) {
        if (gen !== this.generation) return;
        if (s.type === 'ordered_consumer_recreated' || s.type === 'reset') lease.noteRecreated();
        if (s.type === 'stream_not_found') {
          this.end(`Stream ${stream} was deleted: the tail of "${this.pattern}" stops.`);
          return;
        }
        // Deleted under the tail (by someone else, or lost with a restarted server): the tail goes on from where it was.
        if (s.type === 'consumer_deleted' || s.type === 'consumer_not_found') void this.resume();
      }
    })().catch(() => undefined);
    void messages.closed().then(
      () => {
        if (gen === this.generation) this.end(`The tail of "${this.pattern}" stopped: its consumer on ${stream} ended.`);
      },
      (e: unknown) => {
        if (gen === this.generation) this.end(`The tail of "${this.pattern}" stopped: ${this.session.describe(e, { action: `following ${stream}`, stream })}`);
      },
    );
  }

  /**
   * After an outage the client re-creates its ordered consumer only once it finds it gone, and after a failed look
   * (JetStream not ready yet behind a restarted server) it waits 30 s: the tail re-creates it at once, from the
   * sequence after the last one it took, until that works.
   */
  private async resume(): Promise<void> {
    if (this.ended || !this.streamBacked) return;
    const gen = ++this.generation;
    this.lease?.noteRecreated();
    this.messages?.stop();
    this.messages = undefined;
    const old = this.consumer;
    this.consumer = undefined;
    if (old) void this.lease?.release(old);
    for (let wait = 250; !this.ended && gen === this.generation && !this.gone; wait = Math.min(2_000, wait * 2)) {
      try {
        await this.openConsumer(gen, this.lastSeq + 1);
        return;
      } catch (e) {
        if (e instanceof JetStreamApiError && e.code === API.STREAM_NOT_FOUND) {
          this.end(`Stream ${this.stream} was deleted: the tail of "${this.pattern}" stops.`);
          return;
        }
        await sleep(wait);
      }
    }
  }

  private subscribeLive(): void {
    this.sub = this.session.nc.subscribe(this.pattern, {
      callback: (err, m) => {
        if (err) {
          this.end(`The tail of "${this.pattern}" stopped: ${this.session.describe(err, { action: `subscribing to "${this.pattern}"`, subject: this.pattern })}`);
          return;
        }
        if (this.held) this.hold({ core: m, at: Date.now() });
        else this.take({ core: m, at: Date.now() });
      },
    });
  }

  /**
   * Work-queue streams refuse ordered consumers: the past is read with message gets (which take nothing away), then
   * the tail goes on live. Live messages held meanwhile that the past already showed are not shown again.
   */
  private async startWorkQueue(info: StreamInfo, from: TailFrom): Promise<void> {
    this.held = new Ring<Entry>(this.o.maxQueuedMessages);
    this.subscribeLive();
    await this.session.nc.flush();
    const stream = info.config.name;
    const jsm = await this.session.jetstreamManager();
    const top = (await jsm.streams.info(stream)).state.last_seq;
    const filter = this.filter(info);
    /** The past messages near `top`, by content, that a live copy held meanwhile may repeat. */
    const recent: { seq: number; key: string }[] = [];
    const keep = (m: ViewedMessage) => {
      recent.push({ seq: m.seq!, key: contentKey(m.subject, m.data) });
      if (recent.length > this.o.maxQueuedMessages + PAGE) recent.shift();
    };
    const base = { stream, ...(filter ? { filter } : {}) };
    let r: ReadResult;
    if ('last' in from) {
      const n = Math.min(from.last, this.o.maxQueuedMessages);
      r = await readMessages(this.session, { ...base, from: { last: n }, max: n });
      for (const m of r.messages) if (m.seq! <= top) this.takePast(m, keep);
    } else {
      let next: { seq: number } | { since: Date } = 'seq' in from ? { seq: from.seq } : { since: from.since };
      for (;;) {
        if (this.ended) return;
        r = await readMessages(this.session, { ...base, from: next, max: PAGE });
        const inRange = r.messages.filter(m => m.seq! <= top);
        for (const m of inRange) this.takePast(m, keep);
        if (inRange.length < r.messages.length || !r.more.newer || r.messages.length === 0) break;
        next = { seq: r.lastSeq + 1 };
      }
    }
    const heldCount = this.held.size;
    this.release(recent.filter(x => x.seq > top - heldCount - PAGE).map(x => x.key));
  }

  private takePast(m: ViewedMessage, keep: (m: ViewedMessage) => void): void {
    keep(m);
    this.take({ read: m }, m.seq);
  }

  /** Moves the held live messages behind the past, leaving out one live copy per past message of the same content. */
  private release(pastKeys: string[]): void {
    const held = this.held!;
    this.held = undefined;
    const counts = new Map<string, number>();
    for (const k of pastKeys) counts.set(k, (counts.get(k) ?? 0) + 1);
    while (held.size) {
      const e = held.shift()!;
      if (counts.size && 'core' in e) {
        const k = contentKey(e.core.subject, e.core.data);
        const c = counts.get(k);
        if (c) {
          if (c === 1) counts.delete(k);
          else counts.set(k, c - 1);
          this.received--; // it was counted when held; it is the same message as a past one
          continue;
        }
      }
      this.queue.push(e);
    }
  }

  // ---- The queue ----

  private take(e: Entry, seq?: number): void {
    if (this.ended) return;
    if (seq !== undefined && seq > this.lastSeq) this.lastSeq = seq;
    this.received++;
    if (this.queue.size + (this.held?.size ?? 0) >= this.o.maxQueuedMessages) this.dropOldest();
    this.queue.push(e);
  }

  private hold(e: Entry): void {
    if (this.ended) return;
    this.received++;
    if (this.queue.size + this.held!.size >= this.o.maxQueuedMessages) this.dropOldest();
    this.held!.push(e);
  }

  private dropOldest(): void {
    if (this.queue.size) this.queue.shift();
    else this.held?.shift();
    this.skipped++;
    this.unsaid++;
  }

  // ---- Batches ----

  private tick(): void {
    const now = Date.now();
    this.samples.push({ t: now, received: this.received });
    while (this.samples.length > 2 && now - this.samples[1]!.t >= 1000) this.samples.shift();
    if (!this.queue.size && !this.unsaid) return;
    const lines: string[] = [];
    if (this.unsaid) {
      lines.push(skippedLine(this.unsaid, this.rate()));
      this.unsaid = 0;
    }
    const { maxBatchLines, maxBatchMessages } = this.o;
    for (let n = 0; n < maxBatchMessages && this.queue.size && lines.length < maxBatchLines; n++) {
      const m = viewed(this.queue.peek()!, this.stream);
      const block = this.formatEntry(m);
      if (n > 0 && lines.length + block.length > maxBatchLines) break;
      this.queue.shift();
      this.shown++;
      try {
        this.options.onMessage?.(m);
      } catch {
        // what a caller keeps of a message is not the tail's concern
      }
      const room = maxBatchLines - lines.length;
      if (block.length <= room) for (const l of block) lines.push(l);
      else {
        for (let i = 0; i < room - 1; i++) lines.push(block[i]!);
        lines.push(`… (${grouped(block.length - room + 1)} more lines of this message not shown)`);
      }
    }
    this.emit(lines);
  }

  private emit(lines: string[]): void {
    if (lines.length === 0) return;
    try {
      this.options.onBatch(lines, this.stats());
    } catch (e) {
      if (!this.batchFailed) this.status(`The tail's output failed: ${e instanceof Error ? e.message : String(e)}`);
      this.batchFailed = true;
    }
  }

  private formatEntry(m: ViewedMessage): string[] {
    const { style = 'block', ...format } = this.options.format ?? {};
    if (style === 'jsonl') return [messageAsJsonLine(m)];
    const lines = formatMessage(m, format).split('\n');
    const check = this.options.checkEnvelopes;
    if (check) {
      try {
        for (const w of check(m.subject, m.data)) lines.push(`⚠ ${w}`);
      } catch {
        // a checker that fails says nothing about this message
      }
    }
    lines.push('');
    return lines;
  }

  private rate(): number {
    const first = this.samples[0];
    if (!first) return 0;
    const now = Date.now();
    const dt = (now - first.t) / 1000;
    return dt > 0 ? Math.round((this.received - first.received) / dt) : 0;
  }

  stats(): TailStats {
    const s: TailStats = {
      received: this.received,
      shown: this.shown,
      skipped: this.skipped,
      queued: this.queue.size + (this.held?.size ?? 0),
      ratePerSec: this.rate(),
    };
    if (this.lastSeq) s.lastSeq = this.lastSeq;
    return s;
  }

  // ---- Connection and end ----

  private watchConnection(): void {
    const { nc } = this.session;
    const iter = nc.status() as AsyncIterable<Status> & { stop(): void };
    this.statusIter = iter;
    void (async () => {
      for await (const s of iter) {
        if (s.type === 'disconnect' && !this.gone) {
          this.gone = true;
          this.status(`${this.session.server} is gone: the tail of "${this.pattern}" waits for it.`);
        } else if (s.type === 'reconnect' && this.gone) {
          this.gone = false;
          void this.resume();
          this.status(this.streamBacked
            ? `${this.session.server} is back: the tail of "${this.pattern}" goes on from ${this.stream} sequence ${grouped(this.lastSeq + 1)}.`
            : `${this.session.server} is back: the tail of "${this.pattern}" goes on (messages sent while it was gone are not shown).`);
        }
      }
    })().catch(() => undefined);
    void nc.closed().then(() => this.end(`The connection to ${this.session.server} closed: the tail of "${this.pattern}" stops.`));
  }

  private status(sentence: string): void {
    try {
      this.options.onStatus?.(sentence);
    } catch {
      // the caller's status line is not the tail's concern
    }
  }

  /** The tail ends (by itself or by stop): everything created is removed; the sentence goes to onStatus and `closed`. */
  private end(why: string): void {
    if (this.ended) return;
    void this.stop(why);
  }

  stop(why = `The tail of "${this.pattern}" stopped.`): Promise<void> {
    this.stopping ??= this.teardown(why);
    return this.stopping;
  }

  /** A tail that failed to start: removed without a word, the caller gets the error. */
  discard(): Promise<void> {
    this.stopping ??= this.teardown(undefined);
    return this.stopping;
  }

  private async teardown(why: string | undefined): Promise<void> {
    this.ended = true;
    if (this.timer) clearInterval(this.timer);
    this.statusIter?.stop();
    this.sub?.unsubscribe();
    this.messages?.stop();
    // Deleted before stop() resolves; with the server gone a delete could only time out (the server drops it idle).
    await this.lease?.close({ serverGone: this.gone });
    // What was still waiting is not formatted now (it could be a whole queue): it is counted and said.
    const left = this.queue.size + (this.held?.size ?? 0);
    while (this.queue.size) this.queue.shift();
    while (this.held?.size) this.held.shift();
    this.skipped += left;
    this.unsaid += left;
    if (this.unsaid) {
      this.emit([skippedLine(this.unsaid, this.rate())]);
      this.unsaid = 0;
    }
    if (why === undefined) return;
    this.status(why);
    this.endWith(why);
  }

}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms).unref());
}

export function skippedLine(count: number, ratePerSec: number): string {
  return `… skipped ${grouped(count)} message${count === 1 ? '' : 's'} (${grouped(ratePerSec)} msgs/s)`;
}

/** 12345 -> 12,345, without Intl: its first use costs tens of milliseconds, too much for a tail's first batch. */
function grouped(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function positive(n: number | undefined, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.floor(n) : fallback;
}
