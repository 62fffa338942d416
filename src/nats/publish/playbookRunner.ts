// Runs `.nats` playbook blocks against a session: PUB through JetStream when a stream stores the subject (core
// NATS otherwise), REQ with its timeout, SUB collected for a while; every outcome is data with one-sentence reasons.
import { randomUUID } from 'node:crypto';
import { headers as natsHeaders, PermissionViolationError, RequestError, TimeoutError, type Msg, type MsgHdrs } from '@nats-io/transport-node';
import type { JetStreamClient, JetStreamPublishOptions, StreamConfig } from '@nats-io/jetstream';
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import { CaptureIndex } from '../../core/pattern/captureIndex';
import { evaluateScope, parsePlaybook, parseDuration, resolveVariables, type Builtins, type Playbook, type PlaybookBlock, type Verb } from '../../core/playbook';
import type { Problem } from '../../core/problem';
import { validateSubject } from '../../core/subject/validate';
import { formatCount } from '../../core/text/format';
import type { NatsSession } from '../connection/connect';
import { checkPermission, type UserPermissions } from '../explorer/serverOverview';
import { listStreams } from '../explorer/streamList';

// ---- Results ----

export type SendResult =
  /** A stream acknowledged it; `duplicate` when its Nats-Msg-Id was already in the stream's duplicate window. */
  | { kind: 'stored'; subject: string; stream: string; seq: number; duplicate: boolean; msgID?: string; warning?: string }
  /** No stream captures the subject: the server received it (confirmed by a round trip) and nothing keeps it. */
  | { kind: 'sent-core'; subject: string; warning: string }
  /** Published, but the acknowledgement could not come back (no subscribe permission on the reply inbox): most likely stored. */
  | { kind: 'sent-unacknowledged'; subject: string; msgID?: string; reason: string }
  | { kind: 'reply'; subject: string; headers: Record<string, string[]>; data: string; ms: number }
  /** Not sent, or not known to have arrived: never counted as sent. */
  | { kind: 'failed'; subject?: string; reason: string; error?: unknown };

export interface CollectedMessage {
  subject: string;
  headers?: Record<string, string[]>;
  /** The payload as UTF-8 text, cut at `MAX_COLLECTED_TEXT` characters. */
  data: string;
  truncated?: boolean;
}

export type BlockResult =
  | SendResult
  /** The block has errors (parser, undefined variable, JSON, subject): nothing was sent. */
  | { kind: 'invalid'; reason: string; problems: Problem[] }
  /** `confirm` said no to a production subject or a protected connection. */
  | { kind: 'declined'; subject: string; reason: string }
  /** A SUB block run without `forMs`: tails are someone else's. */
  | { kind: 'skipped-sub'; pattern: string }
  /** A SUB block run for `forMs`: what arrived, at most `maxMessages`; `more` counts the ones left out. */
  | { kind: 'messages'; pattern: string; messages: CollectedMessage[]; more: number }
  | RepeatResult;

export interface RepeatSummary {
  /** New messages a stream acknowledged. */
  stored: number;
  duplicates: number;
  failed: number;
  sentCore: number;
  unacknowledged: number;
  replies: number;
}

export interface RepeatResult {
  kind: 'repeated';
  verb: 'PUB' | 'REQ';
  count: number;
  /** Sends that are known to have reached the server (stored, duplicates, core, unacknowledged, replies). */
  sent: number;
  summary: RepeatSummary;
  /** Why the repeat stopped before `count`, or why it was not clean: one sentence. */
  reason?: string;
  /** The first failure, when there was one; the last result otherwise. */
  last?: SendResult;
}

export interface SendProgress {
  /** Sends finished so far, and the planned number. */
  done: number;
  total: number;
  result: SendResult;
}

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

export interface PlaybookEntry {
  block: PlaybookBlock;
  index: number;
  result: BlockResult;
}

export interface PlaybookRun {
  entries: PlaybookEntry[];
  /** Every selected block ran and every send is confirmed. */
  ok: boolean;
}

/** A block resolved for one send: every variable and built-in worked out once. */
export interface PreparedSend {
  verb: Verb;
  subject: string;
  headers: { name: string; value: string }[];
  body?: string;
  /** Nats-Msg-Id: the block's header, else the subject's event id when its category ends in one. */
  msgID?: string;
  /** REQ's `timeout=`. */
  timeoutMs?: number;
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
const DEFAULT_MAX_MESSAGES = 100;
/** The CLI's and adapter's bound on SUB collection, whatever they ask for. */
const MAX_FOR_MS = 10 * 60_000;
const MAX_REPEAT = 1_000_000;
export const MAX_COLLECTED_TEXT = 16 * 1024;
const POLL_MS = 25;
/** `NATS/1.0\r\n` before the headers and `\r\n` after them. */
const HEADER_FRAME_BYTES = 12;

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

  /** The block's first problem that stops it from being sent, or the message resolved once for a send. */
  prepare(playbook: Playbook, block: PlaybookBlock): PreparedSend | { kind: 'invalid'; reason: string; problems: Problem[] } {
    const problems = blockErrors(playbook, block);
    if (problems.length) return { kind: 'invalid', reason: problems[0]!.message, problems };
    // resolveBlock's steps, kept apart: the evaluated values also tell whether the JSON body needs parsing again.
    const values = evaluateScope(block.variablesInScope, this.builtins);
    const unresolved: string[] = [];
    const fill = (text: string): string => {
      const r = resolveVariables(text, values, this.builtins);
      for (const n of r.unresolved) if (!unresolved.includes(n)) unresolved.push(n);
      return r.value;
    };
    const resolved = {
      subject: fill(block.subject),
      headers: block.headers.map(h => ({ name: h.name, value: fill(h.value) })),
      body: block.body ? fill(block.body.text) : undefined,
    };
    if (unresolved.length) {
      const names = unresolved.map(n => `{{${n}}}`).join(', ');
      return invalid(`${names} ${unresolved.length > 1 ? 'are' : 'is'} not defined: add "@${unresolved[0]} = value" above the request.`);
    }
    const pattern = block.verb === 'SUB';
    const subjectError = validateSubject(this.algebra, resolved.subject, { pattern, style: false }).find(p => p.severity === 'error');
    if (subjectError) return invalid(`"${resolved.subject}" is not a valid ${pattern ? 'pattern' : 'subject'}: ${subjectError.message}`);
    const body = resolved.body;
    if (body !== undefined && /^\s*[{[]/.test(body) && !stillValidJson(block, values, this.builtins.env)) {
      try {
        JSON.parse(body);
      } catch (e) {
        return invalid(`The JSON body is invalid once its variables are filled in (${(e as Error).message}): fix the JSON or the variable's value.`);
      }
    }
    const out: PreparedSend = { verb: block.verb, subject: resolved.subject, headers: resolved.headers };
    if (body !== undefined) out.body = body;
    const msgID = resolved.headers.find(isMsgIdHeader)?.value || eventIdOf(this.algebra, resolved.subject);
    if (msgID) out.msgID = msgID;
    if (block.timeoutMs !== undefined) out.timeoutMs = block.timeoutMs;
    return out;
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
    if ('reason' in repeat) return invalid(repeat.reason);
    const ask = needsConfirmation(first.subject, this.algebra, this.options.protected ?? false, this.session.server);
    if (ask && options.confirm && !(await options.confirm(ask, first.subject))) {
      return { kind: 'declined', subject: first.subject, reason: `Not sent: ${ask.replace(/: publish\?$/, '')}, and publishing was declined.` };
    }
    if (repeat.count === 1 && !repeat.given) {
      const result = await this.send(first, options);
      options.onProgress?.({ done: 1, total: 1, result });
      return result;
    }
    return this.repeat(playbook, block, first, repeat, options);
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
      if (into && into.retention === 'interest' && into.consumerCount === 0) {
        result.warning = `Stream ${ack.stream} keeps a message only while a consumer is interested, and it has none: the server acknowledged the message but kept nothing.`;
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

  // ---- repeat=N interval=D ----

  private async repeat(playbook: Playbook, block: PlaybookBlock, first: PreparedSend, repeat: { count: number; intervalMs: number }, options: BlockRunOptions): Promise<RepeatResult> {
    const total = repeat.count;
    const summary: RepeatSummary = { stored: 0, duplicates: 0, failed: 0, sentCore: 0, unacknowledged: 0, replies: 0 };
    const inFlight = repeat.intervalMs > 0 ? 1 : Math.max(1, Math.min(options.inFlight ?? 1, 4096));
    // A window of sends in flight: a slot freed wakes the loop (Promise.race over the window would cost O(window) per send).
    let pending = 0;
    let wake: (() => void) | undefined;
    const freed = () => {
      pending--;
      const w = wake;
      wake = undefined;
      w?.();
    };
    let done = 0;
    let stop: string | undefined;
    let firstFailure: SendResult | undefined;
    let last: SendResult | undefined;
    const sentSoFar = () => summary.stored + summary.duplicates + summary.sentCore + summary.unacknowledged + summary.replies;
    const tally = (r: SendResult) => {
      done++;
      last = r;
      switch (r.kind) {
        case 'stored':
          if (r.duplicate) summary.duplicates++;
          else summary.stored++;
          break;
        case 'sent-core': summary.sentCore++; break;
        case 'sent-unacknowledged': summary.unacknowledged++; break;
        case 'reply': summary.replies++; break;
        case 'failed':
          summary.failed++;
          firstFailure ??= r;
          break;
      }
      try {
        options.onProgress?.({ done, total, result: r });
      } catch {
        // a failing progress callback (a closed view) must not lose the count of what was sent
      }
    };
    const sendOptions = { ...(options.signal ? { signal: options.signal } : {}), waitForConnectionMs: 0 };
    const gone = () => `${this.session.server} went away after ${formatCount(sentSoFar())} of ${formatCount(total)} sends: the rest were not sent.`;
    for (let i = 0; i < total; i++) {
      if (options.signal?.aborted) {
        stop = `Cancelled after ${formatCount(sentSoFar())} of ${formatCount(total)} sends: the rest were not sent.`;
        break;
      }
      if (firstFailure) break;
      if (!this.isConnected()) {
        stop = gone();
        break;
      }
      // Fresh built-ins for every send: a new {{uuid}}, so a new event id and Nats-Msg-Id.
      const prepared = i === 0 ? first : this.prepare(playbook, block);
      if ('kind' in prepared) {
        tally({ kind: 'failed', reason: prepared.reason });
        break;
      }
      pending++;
      void this.send(prepared, sendOptions).then(
        r => {
          freed();
          tally(r);
        },
        (e: unknown) => {
          freed();
          tally({ kind: 'failed', subject: prepared.subject, reason: this.session.describe(e), error: e });
        });
      while (pending >= inFlight) await new Promise<void>(resolve => (wake = resolve));
      if (repeat.intervalMs > 0 && i < total - 1 && !firstFailure) await sleep(repeat.intervalMs, options.signal);
    }
    while (pending > 0) await new Promise<void>(resolve => (wake = resolve));
    if (!stop && firstFailure) {
      const f = firstFailure as Extract<SendResult, { kind: 'failed' }>;
      stop = !this.isConnected() ? gone() : `Stopped after ${formatCount(sentSoFar())} of ${formatCount(total)} sends: ${f.reason}`;
    }
    const result: RepeatResult = { kind: 'repeated', verb: block.verb === 'REQ' ? 'REQ' : 'PUB', count: total, sent: sentSoFar(), summary };
    if (stop) result.reason = stop;
    const shown = firstFailure ?? last;
    if (shown) result.last = shown;
    return result;
  }

  // ---- SUB ----

  private collect(pattern: string, options: BlockRunOptions): Promise<BlockResult> {
    return this.subscribeFor(pattern, options).done;
  }

  private startCollecting(playbook: Playbook, block: PlaybookBlock, options: BlockRunOptions): Promise<BlockResult> & { subscribed: Promise<void> } {
    const prepared = this.prepare(playbook, block);
    if ('kind' in prepared) return Object.assign(Promise.resolve<BlockResult>(prepared), { subscribed: Promise.resolve() });
    const { done, subscribed } = this.subscribeFor(prepared.subject, options);
    return Object.assign(done, { subscribed });
  }

  private subscribeFor(pattern: string, options: BlockRunOptions): { done: Promise<BlockResult>; subscribed: Promise<void> } {
    const forMs = Math.max(0, Math.min(options.forMs ?? 0, MAX_FOR_MS));
    const max = Math.max(0, options.maxMessages ?? DEFAULT_MAX_MESSAGES);
    const messages: CollectedMessage[] = [];
    let more = 0;
    let refused: unknown;
    const nc = this.session.nc;
    let markSubscribed!: () => void;
    const subscribed = new Promise<void>(resolve => (markSubscribed = resolve));
    const done = (async (): Promise<BlockResult> => {
      const down = await this.waitForConnection(this.options.waitForConnectionMs ?? DEFAULT_CONNECTION_WAIT_MS, options.signal);
      if (down) {
        markSubscribed();
        return { kind: 'failed', subject: pattern, reason: down };
      }
      let sub;
      try {
        sub = nc.subscribe(pattern, {
          callback: (err, m) => {
            if (err) {
              refused ??= err;
              return;
            }
            if (messages.length >= max) {
              more++;
              return;
            }
            const text = decoder.decode(m.data);
            const cut = text.length > MAX_COLLECTED_TEXT;
            messages.push({
              subject: m.subject, data: cut ? text.slice(0, MAX_COLLECTED_TEXT) : text,
              ...(m.headers ? { headers: headersOf(m.headers) } : {}), ...(cut ? { truncated: true } : {}),
            });
          },
        });
        await nc.flush();
      } catch (e) {
        markSubscribed();
        sub?.unsubscribe();
        return { kind: 'failed', subject: pattern, reason: this.session.describe(e, { subject: pattern, action: `subscribing to "${pattern}"` }), error: e };
      }
      markSubscribed();
      const closed = sub.closed.then(e => (e instanceof Error ? (refused ??= e) : undefined));
      await Promise.race([sleep(forMs, options.signal), closed]);
      if (!sub.isClosed()) sub.unsubscribe();
      if (refused) return { kind: 'failed', subject: pattern, reason: this.session.describe(refused, { subject: pattern }), error: refused };
      return { kind: 'messages', pattern, messages, more };
    })();
    return { done, subscribed };
  }

  // ---- Connection and streams ----

  private isConnected(): boolean {
    return isConnected(this.session);
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

// ---- Helpers, exported for the adapter and the CLI ----

/**
 * A sentence to confirm before publishing to a production environment's subject or through a protected connection,
 * or undefined when no confirmation is due.
 */
export function needsConfirmation(subject: string, algebra: CompiledAlgebra, connectionProtected: boolean, server = 'the server'): string | undefined {
  const env = algebra.environmentIndex >= 0 ? subject.split('.')[algebra.environmentIndex] : undefined;
  if (env !== undefined && algebra.productionEnvironments.has(env)) return `"${subject}" is a production subject (${env}) on ${server}: publish?`;
  if (connectionProtected) return `${server} is a protected connection: publish to "${subject}"?`;
  return undefined;
}

/** `repeat=N interval=D` from the verb line's options (the parser keeps options it does not know). */
export function repeatOf(block: PlaybookBlock): { count: number; intervalMs: number; given: boolean } | { reason: string } {
  const opt = (name: string) => block.options.find(o => o.name === name)?.value;
  const r = opt('repeat');
  const iv = opt('interval');
  let count = 1;
  if (r !== undefined) {
    if (!/^\d{1,7}$/.test(r) || Number(r) < 1 || Number(r) > MAX_REPEAT) return { reason: `repeat takes a number of sends from 1 to ${formatCount(MAX_REPEAT)}, not "${r}".` };
    count = Number(r);
  }
  let intervalMs = 0;
  if (iv !== undefined) {
    const ms = parseDuration(iv);
    if (ms === undefined) return { reason: `interval takes a positive duration such as 250ms, 2s or 1m, not "${iv}".` };
    intervalMs = ms;
  }
  return { count, intervalMs, given: r !== undefined };
}

/** Error problems of the parse that stop this block: inside it, or in a variable definition it uses. */
export function blockErrors(playbook: Playbook, block: PlaybookBlock): Problem[] {
  // A parsed playbook does not change: a repeat asks for the same block's errors at every send.
  let byBlock = blockErrorCache.get(playbook);
  if (!byBlock) blockErrorCache.set(playbook, (byBlock = new WeakMap()));
  let errors = byBlock.get(block);
  if (!errors) byBlock.set(block, (errors = findBlockErrors(playbook, block)));
  return errors;
}

const blockErrorCache = new WeakMap<Playbook, WeakMap<PlaybookBlock, Problem[]>>();

function findBlockErrors(playbook: Playbook, block: PlaybookBlock): Problem[] {
  const spans = [block.range, ...block.variablesInScope.filter(d => !within(d.range, block.range)).map(d => d.range)];
  return playbook.problems.filter(p => p.severity === 'error' && spans.some(s => p.start >= s.start && p.start < Math.max(s.end, s.start + 1)));
}

/** True when a block's result means everything was sent and confirmed (a SUB that collected counts). */
export function isOk(result: BlockResult): boolean {
  switch (result.kind) {
    case 'stored':
    case 'sent-core':
    case 'reply':
    case 'messages':
    case 'skipped-sub':
      return true;
    case 'repeated':
      return result.reason === undefined && result.summary.failed === 0 && result.summary.unacknowledged === 0;
    default:
      return false;
  }
}

/** Connected right now: the client's own flag, since a publish made while it is down is silently dropped. */
export function isConnected(session: NatsSession): boolean {
  const nc = session.nc;
  if (nc.isClosed()) return false;
  const connected = (nc as unknown as { protocol?: { connected?: unknown } }).protocol?.connected;
  return typeof connected === 'boolean' ? connected : true;
}

/** Per block: whether every {{use}} in its JSON body sits inside a JSON string. */
const usesQuoted = new WeakMap<PlaybookBlock, boolean>();

/**
 * True when the resolved body is valid JSON without parsing it again: the parser passed the template, each use sits
 * inside a string, and no value puts a quote, backslash or control character there ({{uuid}} and {{now}} never do).
 */
function stillValidJson(block: PlaybookBlock, values: ReadonlyMap<string, string>, env: string): boolean {
  let quoted = usesQuoted.get(block);
  if (quoted === undefined) usesQuoted.set(block, (quoted = usesInsideStrings(block.body?.text ?? '')));
  if (!quoted || hasJsonSpecial(env)) return false;
  for (const v of values.values()) if (hasJsonSpecial(v)) return false;
  return true;
}

function hasJsonSpecial(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92 || c < 32) return true;
  }
  return false;
}

function usesInsideStrings(text: string): boolean {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString && c === 92) i++;
    else if (c === 34) inString = !inString;
    else if (!inString && c === 123 && text.charCodeAt(i + 1) === 123) return false;
  }
  return true;
}

/**
 * Calls `start` with short stack traces. The client builds a RequestError and a TimeoutError for every request, in
 * case it fails, and V8 walks the whole (async) stack for each: from the runner's depth that was a third of a
 * publish's CPU. Their traces show only client internals, and failures reach the user as sentences anyway.
 */
function shallowStacks<T>(start: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 2;
  try {
    return start();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function failed(subject: string, reason: string): SendResult {
  return { kind: 'failed', subject, reason };
}

function invalid(reason: string): { kind: 'invalid'; reason: string; problems: Problem[] } {
  return { kind: 'invalid', reason, problems: [] };
}

function within(inner: { start: number; end: number }, outer: { start: number; end: number }): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** The subject's own message id: the last token when its category ends in a UUID (a snapshot's names its aggregate). */
function eventIdOf(algebra: CompiledAlgebra, subject: string): string | undefined {
  // Called once per send on a subject the validator passed: the category token and the token count are enough.
  let start = 0;
  for (let i = 0; i < algebra.categoryIndex && start >= 0; i++) start = subject.indexOf('.', start) + 1 || -1;
  if (start < 0) return undefined;
  const end = subject.indexOf('.', start);
  const category = algebra.categories.get(subject.slice(start, end < 0 ? subject.length : end));
  const last = category?.tokens[category.tokens.length - 1];
  if (!category || !last || last.rule !== 'uuid' || category.envelope === 'snapshot') return undefined;
  let dots = 0;
  for (let i = subject.indexOf('.'); i >= 0; i = subject.indexOf('.', i + 1)) dots++;
  return dots === algebra.categoryIndex + category.tokens.length ? subject.slice(subject.lastIndexOf('.') + 1) : undefined;
}

function isMsgIdHeader(h: { name: string }): boolean {
  return h.name.length === 11 && h.name.toLowerCase() === 'nats-msg-id';
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

function nothingStores(subject: string, why?: string): string {
  return `Nothing stores it: no stream captures "${subject}"${why ? ` (${why})` : ''}, so it went out on core NATS to whoever listens right now.`;
}

function headerBytes(list: readonly { name: string; value: string }[], msgID: string | undefined): number {
  if (!list.length && !msgID) return 0;
  let n = HEADER_FRAME_BYTES;
  for (const { name, value } of list) n += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
  if (msgID) n += 'Nats-Msg-Id'.length + Buffer.byteLength(msgID) + 4;
  return n;
}

function headersOf(h: MsgHdrs | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!h) return out;
  for (const k of h.keys()) out[k] = h.values(k);
  return out;
}

function violationOf(e: unknown): { operation: 'publish' | 'subscription'; subject: string } | undefined {
  for (let x: unknown = e; x instanceof Error; x = x.cause) {
    if (x instanceof PermissionViolationError) return x;
    const parsed = PermissionViolationError.parse(x.message);
    if (parsed) return parsed;
  }
  return undefined;
}

function isTimeout(e: unknown): boolean {
  for (let x: unknown = e; x instanceof Error; x = x.cause) if (x instanceof TimeoutError || x.name === 'TimeoutError') return true;
  return false;
}

function isDisconnect(e: unknown): boolean {
  for (let x: unknown = e; x instanceof Error; x = x.cause) if (/connection (disconnected|closed)/i.test(x.message)) return true;
  return false;
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
