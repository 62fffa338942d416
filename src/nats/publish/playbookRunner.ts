// Runs `.nats` playbook blocks against a session: PUB through JetStream when a stream stores the subject (core
// NATS otherwise), REQ with its timeout, SUB collected for a while; every outcome is data with one-sentence reasons.
import { randomUUID } from 'node:crypto';
import { headers as natsHeaders, PermissionViolationError, RequestError, type Msg, type MsgHdrs } from '@nats-io/transport-node';
import type { JetStreamClient, JetStreamPublishOptions, StreamConfig } from '@nats-io/jetstream';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import { CaptureIndex } from '../../core/pattern/captureIndex';
import {
  isMsgIdHeader, isOk, needsConfirmation, notKeptReason, parsePlaybook, prepareBlock, repeatOf,
  type BlockResult, type Builtins, type InvalidBlock, type Playbook, type PlaybookBlock, type PlaybookEntry,
  type PlaybookRun, type PreparedSend, type SendProgress, type SendResult,
} from '../../core/playbook';
import { formatCount } from '../../core/text/format';
import type { NatsSession } from '../connection/connect';
import { checkPermission, type UserPermissions } from '../explorer/serverOverview';
import { listStreams } from '../explorer/streamList';
import { subscribeFor } from './collect';
import { repeatSends } from './repeat';
import {
  formatMs, headerBytes, headersOf, isConnected, isDisconnect, isTimeout, lowerFirst, nothingStores, shallowStacks, sleep, violationOf,
} from './sendHelpers';

// The results and the pure rules live in core/playbook; they are re-exported for the runner's callers.

// ---- Options ----

export interface PlaybookRunnerOptions {
  algebra: CompiledAlgebra;
  /** The value of `{{env}}`: the `cimNats.playbook.defaultEnvironment` setting; the algebra's first environment by default. */
  environment?: string;
  /** Built-ins for tests; `crypto.randomUUID` and the clock by default. */
  uuid?: () => string;
  now?: () => string;
  /** The connection is marked protected: every publish asks `confirm`. */
  protected?: boolean;
  /** The user's permissions when known (`serverOverview`, nats-server 2.10+): a refused subject fails before sending. */
  permissions?: UserPermissions;
  /** How long the stream index (stream subjects → stream) is trusted before it is read again; 10 s by default. */
  streamIndexMaxAgeMs?: number;
  /** How long a send waits for a connection that is reconnecting; 5 s by default. */
  waitForConnectionMs?: number;
}

export interface BlockRunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: SendProgress) => void;
  /** Asked once per block for a production subject or a protected connection; without it the block is sent. */
  confirm?: (sentence: string, subject: string) => boolean | Promise<boolean>;
  /** SUB: collect messages for this long with a core subscription; without it a SUB block is `skipped-sub`. */
  forMs?: number;
  /** SUB: messages kept (the rest are counted); 100 by default. */
  maxMessages?: number;
  /** Repeats without an interval: sends kept in flight at once; 1 by default. */
  inFlight?: number;
}

export interface PlaybookRunOptions extends BlockRunOptions {
  /** Only the blocks this returns true for (e.g. one by title or line). */
  select?: (block: PlaybookBlock, index: number) => boolean;
  /** Each block's result as soon as it is known (SUB blocks when their time is up). */
  onResult?: (entry: PlaybookEntry) => void;
}

/** What `capturingStream` knows about the stream that stores a subject. */
export interface CapturingStream {
  name: string;
  subjects: string[];
  retention: 'limits' | 'interest' | 'workqueue';
  consumerCount: number;
  /** Bytes; -1 or 0 is no limit. */
  maxMsgSize: number;
}

export type CaptureLookup = { known: true; stream?: CapturingStream } | { known: false; reason: string };

// ---- Constants ----

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
const DEFAULT_INDEX_AGE_MS = 10_000;
const DEFAULT_CONNECTION_WAIT_MS = 5_000;
const POLL_MS = 25;

const decoder = new TextDecoder();

// ---- The runner ----

interface StreamIndex {
  at: number;
  index?: CaptureIndex<CapturingStream>;
  /** Why the streams could not be listed (permissions, JetStream off): sends then try JetStream and read its answer. */
  problem?: string;
}

export class PlaybookRunner {
  private readonly algebra: CompiledAlgebra;
  private readonly builtins: Builtins;
  private indexPromise: Promise<StreamIndex> | undefined;
  private indexRead: { promise: Promise<StreamIndex>; value: StreamIndex } | undefined;
  private js: JetStreamClient | undefined;
  /** Publish violations the server reported on the connection (a core publish does not throw on one). */
  private readonly violations: { subject: string; at: number; error: Error }[] = [];
  private readonly statusIter: AsyncIterable<unknown> & { stop?: () => void };

  constructor(readonly session: NatsSession, private readonly options: PlaybookRunnerOptions) {
    this.algebra = options.algebra;
    this.builtins = {
      env: options.environment ?? options.algebra.spec.environments[0] ?? 'dev',
      uuid: options.uuid ?? randomUUID,
      now: options.now ?? (() => new Date().toISOString()),
    };
    const iter = session.nc.status();
    this.statusIter = iter as typeof this.statusIter;
    void (async () => {
      for await (const s of iter) {
        if (s.type === 'error' && s.error instanceof PermissionViolationError && s.error.operation === 'publish') {
          this.violations.push({ subject: s.error.subject, at: Date.now(), error: s.error });
          if (this.violations.length > 100) this.violations.shift();
        }
      }
    })();
  }

  /** Stops listening to the connection's status; the session stays open (it is the caller's). */
  dispose(): void {
    this.statusIter.stop?.();
  }

  /** Forget the stream index, e.g. after creating or deleting a stream. */
  invalidateStreams(): void {
    this.indexPromise = undefined;
  }

  /** The stream that stores the subject, from an index of every stream's subjects (read at most every 10 s). */
  async capturingStream(subject: string): Promise<CaptureLookup> {
    return this.lookupIn(this.freshIndex() ?? (await this.streamIndex()), subject);
  }

  private lookupIn(idx: StreamIndex, subject: string): CaptureLookup {
    if (!idx.index) return { known: false, reason: idx.problem ?? 'the streams could not be listed' };
    const stream = idx.index.first(subject);
    return stream ? { known: true, stream } : { known: true };
  }

  /** The index when it is read and young enough: a send in a repeat looks a subject up without waiting. */
  private freshIndex(): StreamIndex | undefined {
    const idx = this.indexRead;
    return idx && this.indexPromise === idx.promise && Date.now() - idx.value.at <= (this.options.streamIndexMaxAgeMs ?? DEFAULT_INDEX_AGE_MS) ? idx.value : undefined;
  }

  /** The block's first problem that stops it from being sent, or the message resolved once for a send (the lens asks the same). */
  prepare(playbook: Playbook, block: PlaybookBlock): PreparedSend | InvalidBlock {
    return prepareBlock(playbook, block, this.algebra, this.builtins);
  }

  /** Runs one block: PUB and REQ (repeated with `repeat=N interval=D`), SUB for `forMs` or skipped. */
  async runBlock(playbook: Playbook, block: PlaybookBlock, options: BlockRunOptions = {}): Promise<BlockResult> {
    const first = this.prepare(playbook, block);
    if ('kind' in first) return first;
    if (block.verb === 'SUB') {
      if (options.forMs === undefined) return { kind: 'skipped-sub', pattern: first.subject };
      return this.collect(first.subject, options);
    }
    const repeat = repeatOf(block);
    if ('reason' in repeat) return { kind: 'invalid', reason: repeat.reason, problems: [] };
    const ask = needsConfirmation(first.subject, this.algebra, this.options.protected ?? false, this.session.server);
    if (ask && options.confirm && !(await options.confirm(ask, first.subject))) {
      return { kind: 'declined', subject: first.subject, reason: `Not sent: ${ask.replace(/: publish\?$/, '')}, and publishing was declined.` };
    }
    if (repeat.count === 1 && !repeat.given) {
      const result = await this.send(first, options);
      options.onProgress?.({ done: 1, total: 1, result });
      return result;
    }
    return repeatSends(this, playbook, block, first, repeat, options);
  }

  /** Every selected block in order; SUB blocks collect in the background while the blocks after them run. */
  async runPlaybook(source: string | Playbook, options: PlaybookRunOptions = {}): Promise<PlaybookRun> {
    const playbook = typeof source === 'string' ? parsePlaybook(source) : source;
    const entries: PlaybookEntry[] = [];
    const background: Promise<void>[] = [];
    const done = (entry: PlaybookEntry) => {
      entries.push(entry);
      options.onResult?.(entry);
    };
    for (const [index, block] of playbook.blocks.entries()) {
      if (options.select && !options.select(block, index)) continue;
      if (options.signal?.aborted) break;
      if (block.verb === 'SUB' && options.forMs !== undefined) {
        // Subscribed before the next block runs, so that a SUB above a PUB sees it.
        const started = this.startCollecting(playbook, block, options);
        background.push(started.then(result => done({ block, index, result })));
        await started.subscribed;
        continue;
      }
      done({ block, index, result: await this.runBlock(playbook, block, options) });
    }
    await Promise.all(background);
    entries.sort((a, b) => a.index - b.index);
    return { entries, ok: entries.every(e => isOk(e.result)) };
  }

  /** Sends one prepared message: what PUB and REQ do once. Smoke tests publish samples through it too. */
  send(message: PreparedSend, options: { signal?: AbortSignal; waitForConnectionMs?: number } = {}): Promise<SendResult> {
    // The common case (connected, stream index read) goes straight on: a repeat sends thousands of these.
    const idx = message.verb === 'PUB' ? this.freshIndex() : undefined;
    if (!options.signal?.aborted && this.isConnected() && (idx || message.verb !== 'PUB')) return this.dispatch(message, idx);
    return this.sendWhenReady(message, options);
  }

  private async sendWhenReady(message: PreparedSend, options: { signal?: AbortSignal; waitForConnectionMs?: number }): Promise<SendResult> {
    if (options.signal?.aborted) return failed(message.subject, `Sending to "${message.subject}" was cancelled: nothing was sent.`);
    if (!this.isConnected()) {
      const down = await this.waitForConnection(options.waitForConnectionMs ?? this.options.waitForConnectionMs ?? DEFAULT_CONNECTION_WAIT_MS, options.signal);
      if (down) return failed(message.subject, down);
    }
    return this.dispatch(message, message.verb === 'PUB' ? this.freshIndex() ?? (await this.streamIndex()) : undefined);
  }

  private dispatch(message: PreparedSend, idx: StreamIndex | undefined): Promise<SendResult> {
    const { subject } = message;
    // The client encodes a string payload itself; the size check needs only its length in bytes.
    const data: string | Uint8Array = message.body ?? new Uint8Array(0);
    // A PUB's Nats-Msg-Id travels as js.publish's msgID; a copy in the headers would be sent twice.
    const headerList = message.verb === 'PUB' && message.headers.some(isMsgIdHeader) ? message.headers.filter(h => !isMsgIdHeader(h)) : message.headers;
    const size = (message.body === undefined ? 0 : Buffer.byteLength(message.body)) + headerBytes(headerList, message.verb === 'PUB' ? message.msgID : undefined);
    const maxPayload = this.session.nc.info?.max_payload;
    if (maxPayload !== undefined && size > maxPayload) {
      return Promise.resolve(failed(subject, `${formatCount(size)} bytes is over the server's max payload of ${formatCount(maxPayload)} bytes (${this.session.server}): nothing was sent; make the message smaller or raise max_payload in the server config.`));
    }
    const refused = checkPermission(this.options.permissions, 'publish', subject);
    if (refused) return Promise.resolve(failed(subject, `${refused} Nothing was sent.`));
    const h = headerList.length ? natsHeaders() : undefined;
    for (const { name, value } of headerList) h!.append(name, value);
    if (message.verb === 'REQ' || !idx) return message.verb === 'REQ' ? this.request(message, data, h) : this.publishStored(message, data, h, undefined);

    const lookup = this.lookupIn(idx, subject);
    if (lookup.known && !lookup.stream) {
      // No stream deduplicates a core message, but the id still tells a consumer which message it is.
      const core = h ?? (message.msgID ? natsHeaders() : undefined);
      if (message.msgID) core!.set('Nats-Msg-Id', message.msgID);
      return this.publishCore(subject, data, core);
    }
    const stream = lookup.known ? lookup.stream : undefined;
    if (stream && stream.maxMsgSize > 0 && size > stream.maxMsgSize) {
      return Promise.resolve(failed(subject, `${formatCount(size)} bytes is over stream ${stream.name}'s max message size of ${formatCount(stream.maxMsgSize)} bytes: nothing was sent; make the message smaller or raise the stream's max_msg_size.`));
    }
    return this.publishStored(message, data, h, stream);
  }

  // ---- PUB ----

  private async publishStored(message: PreparedSend, data: string | Uint8Array, h: MsgHdrs | undefined, stream: CapturingStream | undefined): Promise<SendResult> {
    const { subject, msgID } = message;
    this.js ??= this.session.jetstream();
    const since = Date.now();
    try {
      const opts: Partial<JetStreamPublishOptions> = {};
      if (msgID) opts.msgID = msgID;
      if (h) opts.headers = h;
      const js = this.js;
      const ack = await shallowStacks(() => js.publish(subject, data, opts));
      const result: SendResult = { kind: 'stored', subject, stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
      if (msgID) result.msgID = msgID;
      const into = stream?.name === ack.stream ? stream : undefined;
      if (into?.retention === 'interest' && into.consumerCount === 0 && !(await this.interestNow(into.name))) {
        return { kind: 'not-kept', subject, stream: ack.stream, seq: ack.seq, ...(msgID ? { msgID } : {}), reason: notKeptReason(ack.stream, ack.seq) };
      }
      return result;
    } catch (e) {
      const violation = violationOf(e);
      if (violation?.operation === 'subscription' && violation.subject.startsWith('_INBOX.')) {
        // The server refused the reply subscription, then handled the PUB: a refusal of the PUB itself arrives before the PONG.
        const refused = await this.publishRefusal(subject, since);
        if (refused) return { kind: 'failed', subject, reason: `${this.session.describe(refused, { subject })} Nothing was stored.`, error: refused };
        return {
          kind: 'sent-unacknowledged', subject, ...(msgID ? { msgID } : {}),
          reason: `Sent, but the server's acknowledgement could not reach you: ${lowerFirst(this.session.describe(e, { subject }))}`,
        };
      }
      if (violation) return { kind: 'failed', subject, reason: `${this.session.describe(e, { subject })} Nothing was stored.`, error: e };
      if ((e as Error).name === 'JetStreamNotEnabled') {
        // No responders: the server took the message and no stream holds the subject (any more).
        if (stream) this.invalidateStreams();
        return { kind: 'sent-core', subject, warning: nothingStores(subject, stream ? `stream ${stream.name} no longer stores it` : undefined) };
      }
      if (isTimeout(e) || isDisconnect(e)) {
        const gone = !this.isConnected();
        const why = gone ? `the connection to ${this.session.server} dropped before the acknowledgement came` : `no acknowledgement came from ${this.session.server} in time`;
        return {
          kind: 'failed', subject, error: e,
          reason: `Not confirmed: ${why}, so "${subject}" may or may not be stored${msgID ? `; sending it again with the same Nats-Msg-Id (${msgID}) inside the duplicate window stores it at most once` : ''}.`,
        };
      }
      return { kind: 'failed', subject, reason: this.session.describe(e, { subject, action: `publishing to "${subject}"`, ...(stream ? { stream: stream.name } : {}) }), error: e };
    }
  }

  /** Whether an interest stream the index read with no consumer has one now: the index may be seconds old. */
  private async interestNow(stream: string): Promise<boolean> {
    try {
      const info = await (await this.session.jetstreamManager()).streams.info(stream);
      if (info.state.consumer_count === 0) return false;
      this.invalidateStreams();
      return true;
    } catch {
      // the stream could not be read again: the index is the best knowledge there is
      return false;
    }
  }

  private async publishCore(subject: string, data: string | Uint8Array, h: MsgHdrs | undefined): Promise<SendResult> {
    const nc = this.session.nc;
    const since = Date.now();
    try {
      nc.publish(subject, data, h ? { headers: h } : undefined);
      // The client drops what it cannot send while disconnected: only the server's PONG proves the PUB arrived.
      await nc.flush();
    } catch (e) {
      if (isDisconnect(e) || !this.isConnected()) {
        return { kind: 'failed', subject, reason: `The connection to ${this.session.server} dropped before the server confirmed "${subject}": it may not have arrived; send it again.`, error: e };
      }
      return { kind: 'failed', subject, reason: this.session.describe(e, { subject, action: `publishing to "${subject}"` }), error: e };
    }
    // A refused core publish does not throw: the server's -ERR arrives (before its PONG) as a status event.
    const refused = await this.publishRefusal(subject, since, false);
    if (refused) return { kind: 'failed', subject, reason: `${this.session.describe(refused, { subject })} The server dropped the message.`, error: refused };
    return { kind: 'sent-core', subject, warning: nothingStores(subject) };
  }

  /** A publish violation for the subject reported since `since`; `flush` first makes sure the server's answer is in. */
  private async publishRefusal(subject: string, since: number, flush = true): Promise<Error | undefined> {
    if (flush) await this.session.nc.flush().catch(() => undefined);
    await new Promise(resolve => setImmediate(resolve));
    return this.violations.find(x => x.subject === subject && x.at >= since - 5)?.error;
  }

  // ---- REQ ----

  private async request(message: PreparedSend, data: string | Uint8Array, h: MsgHdrs | undefined): Promise<SendResult> {
    const { subject } = message;
    const timeout = message.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const t0 = performance.now();
    const since = Date.now();
    try {
      const m: Msg = await this.session.nc.request(subject, data, { timeout, ...(h ? { headers: h } : {}) });
      return { kind: 'reply', subject, headers: headersOf(m.headers), data: decoder.decode(m.data), ms: Math.round(performance.now() - t0) };
    } catch (e) {
      const fail = (reason: string): SendResult => ({ kind: 'failed', subject, reason, error: e });
      const violation = violationOf(e);
      if (violation?.operation === 'subscription' && violation.subject.startsWith('_INBOX.')) {
        const refused = await this.publishRefusal(subject, since);
        if (refused) return fail(this.session.describe(refused, { subject }));
        return fail(`Sent, but no reply can reach you: ${lowerFirst(this.session.describe(e, { subject }))}`);
      }
      if (violation) return fail(this.session.describe(e, { subject }));
      if (e instanceof RequestError && e.isNoResponders()) {
        return fail(`Nothing on ${this.session.server} answers on "${subject}": start the service that should reply, or check the subject.`);
      }
      if (isTimeout(e)) {
        if (!this.isConnected()) return fail(`The connection to ${this.session.server} dropped before a reply on "${subject}" came.`);
        return fail(`No reply on "${subject}" from ${this.session.server} within ${formatMs(timeout)}: a service listens there but did not answer; raise timeout= or check the service.`);
      }
      return fail(this.session.describe(e, { subject, action: `requesting "${subject}"` }));
    }
  }

  // ---- SUB ----

  private collect(pattern: string, options: BlockRunOptions): Promise<BlockResult> {
    return subscribeFor(this.session, pattern, options, signal => this.waitForConnection(this.connectionWaitMs(), signal)).done;
  }

  private startCollecting(playbook: Playbook, block: PlaybookBlock, options: BlockRunOptions): Promise<BlockResult> & { subscribed: Promise<void> } {
    const prepared = this.prepare(playbook, block);
    if ('kind' in prepared) return Object.assign(Promise.resolve<BlockResult>(prepared), { subscribed: Promise.resolve() });
    const { done, subscribed } = subscribeFor(this.session, prepared.subject, options, signal => this.waitForConnection(this.connectionWaitMs(), signal));
    return Object.assign(done, { subscribed });
  }

  // ---- Connection and streams ----

  /** Connected right now (a repeat stops when not). */
  isConnected(): boolean {
    return isConnected(this.session);
  }

  private connectionWaitMs(): number {
    return this.options.waitForConnectionMs ?? DEFAULT_CONNECTION_WAIT_MS;
  }

  /** Undefined when connected (at once or within `ms`), else why nothing can be sent. */
  private async waitForConnection(ms: number, signal?: AbortSignal): Promise<string | undefined> {
    const nc = this.session.nc;
    if (this.isConnected()) return undefined;
    const deadline = Date.now() + ms;
    while (!nc.isClosed() && !this.isConnected() && Date.now() < deadline && !signal?.aborted) await sleep(POLL_MS, signal);
    if (this.isConnected()) return undefined;
    if (nc.isClosed()) return `The connection to ${this.session.server} is closed: nothing was sent; connect again.`;
    if (signal?.aborted) return 'Cancelled while waiting for the connection: nothing was sent.';
    return `Not connected to ${this.session.server}${ms > 0 ? ` (still reconnecting after ${formatMs(ms)})` : ''}: nothing was sent, since the client drops what it publishes while disconnected; send again when the server is back.`;
  }

  private streamIndex(): Promise<StreamIndex> {
    const maxAge = this.options.streamIndexMaxAgeMs ?? DEFAULT_INDEX_AGE_MS;
    const current = this.indexPromise;
    if (current) {
      return current.then(idx => {
        if (Date.now() - idx.at <= maxAge || this.indexPromise !== current) return idx;
        this.indexPromise = undefined;
        return this.streamIndex();
      });
    }
    const next = buildIndex(this.session);
    this.indexPromise = next;
    void next.then(value => (this.indexRead = { promise: next, value }));
    return next;
  }
}

function failed(subject: string, reason: string): SendResult {
  return { kind: 'failed', subject, reason };
}

async function buildIndex(session: NatsSession): Promise<StreamIndex> {
  const at = Date.now();
  try {
    const streams = await listStreams(session);
    const index = new CaptureIndex<CapturingStream>();
    for (const s of streams) {
      if (s.unavailable) continue;
      const config = s.config as Partial<StreamConfig> | undefined;
      const entry: CapturingStream = {
        name: s.name, subjects: s.subjects, retention: s.retention, consumerCount: s.consumerCount, maxMsgSize: config?.max_msg_size ?? -1,
      };
      for (const subject of s.subjects) index.add(subject, entry);
    }
    return { at, index };
  } catch (e) {
    return { at, problem: e instanceof Error ? e.message : String(e) };
  }
}
