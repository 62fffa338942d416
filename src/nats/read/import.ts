// Import messages exported as JSON lines again (CIM-Start's restore), saying why messages were not stored, the purge
// trap first of all.
import { randomUUID } from 'node:crypto';
import { JetStreamApiError, type StreamConfig, type StreamInfo } from '@nats-io/jetstream';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { parseJsonLine } from '../../core/message/format';
import type { ViewedMessage } from '../../core/message/types';
import { matches } from '../../core/pattern/match';
import { formatBytes, formatCount, formatNanos } from '../../core/text/format';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { API, apiCode } from '../errors/apiCodes';
import { sendStreamConfig } from '../streams/cimStreams';
import { creatableStreamConfig, parseStreamConfigDocument } from '../streams/configDocument';

export interface ImportOptions {
  /** The stream to store the messages in; by default the config's name, else the stream that stores the first line's subject. */
  stream?: string;
  /** JSON lines as `exportMessages` writes them; blank lines are passed over. */
  lines: AsyncIterable<string> | Iterable<string>;
  /** A stream configuration (object or `.stream.json` text) to create the stream with when it is missing: the caller has confirmed. */
  config?: StreamConfig | string;
  /** A line that is no message: pass over it, or stop there (default). */
  onBrokenLine?: 'skip' | 'stop';
  /** Publish under fresh message ids, the original one kept in `X-Original-Msg-Id`. */
  newIds?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** How the caller's user imports under new ids and skips broken lines (a flag, a button), named in the summary. */
  hints?: { newIds?: string; skipBroken?: string };
}

export interface ImportProgress {
  /** Lines read so far (1-based number of the last one). */
  lines: number;
  stored: number;
  duplicates: number;
  failed: number;
  broken: number;
}

export interface ImportProblem {
  line: number;
  problem: string;
}

export interface ImportResult {
  stream: string;
  /** Present when the import created the stream from the configuration. */
  created?: { notes: string[] };
  /** Lines read, and of them messages (lines that parsed). */
  lines: number;
  messages: number;
  stored: number;
  /** Publishes the stream acknowledged as duplicates (already seen message ids), purge-trap ones included. */
  duplicates: number;
  /** Duplicates the stream does not hold: their ids are remembered by the duplicate window although the messages are gone. */
  notStored?: { count: number; duplicateWindow: string; until: Date; cause: 'purged' | 'consumed' };
  failed: number;
  /** The first failures (up to 100), each with its line. */
  failures: ImportProblem[];
  firstFailure?: string;
  /** Broken lines (the first 1,000), each with its number and what is wrong. */
  broken: ImportProblem[];
  brokenCount: number;
  /** Why the import ended before the last line: a broken line, a failure that would repeat for every message, a cancel. */
  stopped?: { line: number; reason: 'broken' | 'failure' | 'cancelled'; problem?: string };
  /** What happened, in sentences for the user. */
  summary: string[];
  /** Whether everything was stored (or already there): no failure, broken line, stop or message left out by the purge trap. */
  ok: boolean;
}

/** An import into a stream that does not exist, without a configuration to create it from. */
export class StreamMissingError extends NatsUserError {
  constructor(
    message: string,
    readonly stream: string,
  ) {
    super(message);
    this.name = 'StreamMissingError';
  }
}

const MAX_IN_FLIGHT = 256;
const MAX_IN_FLIGHT_BYTES = 16 * 1024 * 1024;
const MAX_BROKEN_KEPT = 1000;
const MAX_FAILURES_KEPT = 100;
/** Broken lines read while looking for the first message, to find the stream that stores it. */
const MAX_LOOKAHEAD = 1000;
const ORIGINAL_ID_HEADER = 'X-Original-Msg-Id';
/** Headers of the original publish that must not go out again: the id is set anew, and expectations were checked then. */
const DROPPED_HEADER = /^(nats-msg-id|nats-expected-.*)$/i;

/**
 * Publishes each line's message again with `js.publish`, in order, up to 256 (and 16 MB) in flight, under its
 * `Nats-Msg-Id` or `<stream>-<seq>`, so that an import repeated inside the duplicate window stores nothing twice.
 * Missing stream: created from `config`, else a `StreamMissingError`. Other failures to start are `NatsUserError`s;
 * what happens to each message (stored, duplicate, failed, broken) is counted and told in `summary`.
 */
export async function importMessages(session: NatsSession, options: ImportOptions): Promise<ImportResult> {
  const config = typeof options.config === 'string' ? configFromText(options.config) : options.config;
  const lines = lookahead(options.lines);
  try {
    return await importInto(session, options, config, lines);
  } finally {
    lines.close();
  }
}

async function importInto(session: NatsSession, options: ImportOptions, config: StreamConfig | undefined, lines: ReturnType<typeof lookahead>): Promise<ImportResult> {
  const jsm = await session.jetstreamManager();
  let stream = options.stream ?? config?.name;
  if (!stream) {
    const first = await lines.firstMessage();
    if (!first) throw new NatsUserError('The import holds no message: every line is empty or broken, and no stream was given.');
    try {
      stream = await jsm.streams.find(first.message.subject);
    } catch (e) {
      throw new NatsUserError(`No stream on ${session.server} stores "${first.message.subject}" (line ${first.line}): name the stream to import into, or give its configuration to create it.`, { cause: e });
    }
  }
  let info: StreamInfo | undefined;
  try {
    info = await jsm.streams.info(stream);
  } catch (e) {
    if (apiCode(e) !== API.STREAM_NOT_FOUND) throw new NatsUserError(session.describe(e, { action: `reading stream ${stream}`, stream }), { cause: e });
  }
  let created: ImportResult['created'];
  if (!info) {
    if (!config) throw new StreamMissingError(`Stream ${stream} does not exist on ${session.server}: create it first, or give its configuration (the export's .stream.json) to create it.`, stream);
    if (config.mirror) throw new NatsUserError(`The configuration describes a mirror of ${config.mirror.name}, which takes no publishes: import into ${config.mirror.name} instead.`);
    const { config: creatable, notes } = creatableStreamConfig(config, stream);
    const result = await sendStreamConfig(jsm, creatable, false, { describe: (e, c) => session.describe(e, c), serverVersion: session.nc.info?.version ?? '' });
    if (result.action === 'failed') throw new NatsUserError(result.reason!, { cause: result.error });
    created = { notes };
    info = await jsm.streams.info(stream);
  }
  if ((info.config.subjects ?? []).length === 0) {
    throw new NatsUserError(`Stream ${stream} has no subjects of its own (a mirror or a stream of sources): publishes cannot reach it, so there is nothing to import into.`);
  }
  const result = await new ImportRun(session, info, options, lines).run();
  if (created) result.created = created;
  if (created) result.summary.unshift(`Created stream ${stream} from its configuration${created.notes.length ? ` (${created.notes.join('; ')})` : ''}.`);
  return result;
}

function configFromText(text: string): StreamConfig {
  const parsed = parseStreamConfigDocument(text);
  if (!parsed.ok) throw new NatsUserError(`The stream configuration cannot be used: ${parsed.problem}`);
  return parsed.config;
}

type Parsed = { line: number; message: ViewedMessage };

/** The lines with their numbers, able to look ahead to the first message (to find its stream) without losing a line. */
function lookahead(source: AsyncIterable<string> | Iterable<string>) {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<string>)[Symbol.iterator]();
  const head: string[] = [];
  return {
    async firstMessage(): Promise<Parsed | undefined> {
      for (let n = 0; n < MAX_LOOKAHEAD; n++) {
        const next = await iterator.next();
        if (next.done) return undefined;
        head.push(next.value);
        if (!next.value.trim()) continue;
        const p = parseJsonLine(next.value, head.length);
        if (p.ok) return { line: head.length, message: p.message };
      }
      return undefined;
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<string> {
      yield* head;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    },
    close() {
      void iterator.return?.();
    },
  };
}

/** Publishes in flight, bounded by count and bytes; one producer waits, every settled publish wakes it. */
class InFlight {
  private count = 0;
  private bytes = 0;
  private waiters: (() => void)[] = [];

  async acquire(size: number): Promise<void> {
    while (this.count >= MAX_IN_FLIGHT || (this.count > 0 && this.bytes + size > MAX_IN_FLIGHT_BYTES)) await new Promise<void>(r => this.waiters.push(r));
    this.count++;
    this.bytes += size;
  }

  release(size: number): void {
    this.count--;
    this.bytes -= size;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  async drain(): Promise<void> {
    while (this.count > 0) await new Promise<void>(r => this.waiters.push(r));
  }
}

class ImportRun {
  private readonly stream: string;
  private readonly window = new InFlight();
  private readonly maxPayload: number;
  private readonly subjects: string[];
  private readonly startFirst: number;
  private readonly startLast: number;
  /** Store time of the stream's last message when the import started: no remembered id is younger. */
  private readonly startLastTs: number;
  private lines = 0;
  private messages = 0;
  private stored = 0;
  private duplicates = 0;
  private failed = 0;
  private brokenCount = 0;
  private readonly broken: ImportProblem[] = [];
  private readonly failures: ImportProblem[] = [];
  private firstFailure: string | undefined;
  private stopped: ImportResult['stopped'];
  /** Duplicates acknowledged with a sequence the stream no longer holds, and the newest time their ids can have been stored. */
  private ghosts = 0;
  private ghostStoredBy = 0;
  /** Duplicates whose sequence lies inside the stream's range at the start, which holds deleted messages: checked at the end. */
  private readonly maybeGone: { seq: number; storedAt: number }[] = [];

  constructor(
    private readonly session: NatsSession,
    private readonly info: StreamInfo,
    private readonly o: ImportOptions,
    private readonly source: ReturnType<typeof lookahead>,
  ) {
    this.stream = info.config.name;
    this.maxPayload = session.nc.info?.max_payload ?? 1024 * 1024;
    this.subjects = info.config.subjects ?? [];
    this.startFirst = info.state.first_seq;
    this.startLast = info.state.last_seq;
    const lastTs = Date.parse(info.state.last_ts);
    this.startLastTs = Number.isFinite(lastTs) && lastTs > 0 ? lastTs : Date.now();
  }

  async run(): Promise<ImportResult> {
    const js = this.session.jetstream();
    const { signal } = this.o;
    try {
      for await (const text of this.source) {
        if (this.stopped) break;
        if (signal?.aborted) {
          this.stopped = { line: this.lines, reason: 'cancelled' };
          break;
        }
        const lineNo = ++this.lines;
        if (!text.trim()) continue;
        const parsed = parseJsonLine(text, lineNo);
        if (!parsed.ok) {
          this.brokenCount++;
          if (this.broken.length < MAX_BROKEN_KEPT) this.broken.push({ line: lineNo, problem: parsed.problem });
          this.progress();
          if (this.o.onBrokenLine === 'skip') continue;
          this.stopped = { line: lineNo, reason: 'broken', problem: parsed.problem };
          break;
        }
        this.messages++;
        const message = parsed.message;
        const prepared = this.prepare(message, lineNo);
        if (typeof prepared === 'string') {
          this.fail(lineNo, prepared);
          continue;
        }
        await this.window.acquire(prepared.size);
        js.publish(message.subject, message.data, prepared.headers.keys().length ? { headers: prepared.headers } : {})
          .then(ack => this.acknowledged(ack, message))
          .catch((e: unknown) => this.publishFailed(e, message, lineNo, prepared.size))
          .finally(() => this.window.release(prepared.size));
      }
    } finally {
      await this.window.drain();
    }
    await this.checkMaybeGone();
    return this.result();
  }

  private progress(): void {
    this.o.onProgress?.({ lines: this.lines, stored: this.stored, duplicates: this.duplicates, failed: this.failed, broken: this.brokenCount });
  }

  /** The headers to publish with and the size the client checks against max_payload; or why the message cannot go. */
  private prepare(m: ViewedMessage, lineNo: number): { headers: MsgHdrs; size: number } | string {
    const where = `line ${lineNo} (${m.subject})`;
    if (!this.subjects.some(s => matches(s, m.subject))) return `${where}: ${this.stream} does not store this subject (its subjects are ${this.subjects.join(', ')}).`;
    const h = natsHeaders();
    let originalId: string | undefined;
    try {
      for (const [name, value] of m.headers) {
        if (/^nats-msg-id$/i.test(name)) originalId ??= value;
        if (DROPPED_HEADER.test(name) || (this.o.newIds && name.toLowerCase() === ORIGINAL_ID_HEADER.toLowerCase())) continue;
        h.append(name, value);
      }
    } catch (e) {
      return `${where}: a header cannot be sent as it is (${e instanceof Error ? e.message : String(e)}).`;
    }
    originalId ??= m.seq !== undefined ? `${this.stream}-${m.seq}` : undefined;
    if (this.o.newIds) {
      if (originalId !== undefined) h.set(ORIGINAL_ID_HEADER, originalId);
      h.set('Nats-Msg-Id', randomUUID());
    } else if (originalId !== undefined) {
      h.set('Nats-Msg-Id', originalId);
    }
    const size = m.data.length + headerBytes(h);
    if (size > this.maxPayload) {
      return `${where}: the message is ${sizeText(size)} with its headers, over the server's max payload of ${sizeText(this.maxPayload)}: it cannot be published (raise max_payload on the server to import it).`;
    }
    return { headers: h, size };
  }

  private acknowledged(ack: { seq: number; duplicate: boolean }, m: ViewedMessage): void {
    if (!ack.duplicate) {
      this.stored++;
    } else {
      this.duplicates++;
      // The stored time of the original is known when the export came from this very stream; otherwise bounded by the stream's last message.
      const storedAt = m.seq === ack.seq && m.time ? m.time.getTime() : this.startLastTs;
      if (ack.seq < this.startFirst) this.ghost(storedAt);
      else if (ack.seq <= this.startLast && (this.info.state.num_deleted ?? 0) > 0) this.maybeGone.push({ seq: ack.seq, storedAt });
    }
    this.progress();
  }

  private ghost(storedAt: number): void {
    this.ghosts++;
    this.ghostStoredBy = Math.max(this.ghostStoredBy, storedAt);
  }

  private publishFailed(e: unknown, m: ViewedMessage, lineNo: number, size: number): void {
    const where = `line ${lineNo} (${m.subject})`;
    if (e instanceof JetStreamApiError) {
      // The stream refused this message; the next one may well pass.
      const limit = this.info.config.max_msg_size;
      this.fail(lineNo, e.code === API.MSG_SIZE_EXCEEDED
        ? `${where}: the message is ${sizeText(size)} with its headers, over ${this.stream}'s max message size of ${sizeText(limit)}: it was not stored.`
        : `${where}: ${this.session.describe(e, { action: `storing ${where} in ${this.stream}`, stream: this.stream, subject: m.subject })}`);
      return;
    }
    if (e instanceof Error && e.name === 'InvalidArgumentError') {
      this.fail(lineNo, `${where}: ${/max_payload/.test(e.message) ? `the message is ${sizeText(size)} with its headers, over the server's max payload of ${sizeText(this.maxPayload)}: it cannot be published` : e.message}.`);
      return;
    }
    // A timeout, a lost connection, a permission: every following publish would fail the same way. The message may
    // still have been stored (only its acknowledgement lost), so it is counted as failed, never as "not sent".
    const sentence = `${where}: ${this.session.describe(e, { action: `storing ${where} in ${this.stream}`, stream: this.stream, subject: m.subject })}`;
    this.fail(lineNo, sentence);
    this.stopped ??= { line: lineNo, reason: 'failure', problem: sentence };
  }

  private fail(lineNo: number, problem: string): void {
    this.failed++;
    this.firstFailure ??= problem;
    if (this.failures.length < MAX_FAILURES_KEPT) this.failures.push({ line: lineNo, problem });
    this.progress();
  }

  private async checkMaybeGone(): Promise<void> {
    if (this.maybeGone.length === 0) return;
    const jsm = await this.session.jetstreamManager();
    for (let i = 0; i < this.maybeGone.length; i += 64) {
      const chunk = this.maybeGone.slice(i, i + 64);
      const held = await Promise.all(chunk.map(d => jsm.streams.getMessage(this.stream, { seq: d.seq }).then(m => m !== null, () => true)));
      chunk.forEach((d, k) => !held[k] && this.ghost(d.storedAt));
    }
  }

  private result(): ImportResult {
    const result: ImportResult = {
      stream: this.stream, lines: this.lines, messages: this.messages, stored: this.stored, duplicates: this.duplicates,
      failed: this.failed, failures: this.failures, broken: this.broken, brokenCount: this.brokenCount, summary: [], ok: false,
    };
    if (this.firstFailure) result.firstFailure = this.firstFailure;
    if (this.stopped) result.stopped = this.stopped;
    const window = this.info.config.duplicate_window ?? 0;
    if (this.ghosts > 0) {
      const until = new Date(Math.max(this.ghostStoredBy + window / 1e6, Date.now()));
      result.notStored = { count: this.ghosts, duplicateWindow: formatNanos(window), until, cause: this.info.config.retention === 'limits' ? 'purged' : 'consumed' };
    }
    result.ok = this.failed === 0 && this.brokenCount === 0 && !this.stopped && this.ghosts === 0;
    result.summary = importSummary(result, this.info, this.o.hints ?? {});
    return result;
  }
}

function importSummary(r: ImportResult, info: StreamInfo, hints: NonNullable<ImportOptions['hints']>): string[] {
  const hint = (h: string | undefined) => (h ? ` (${h})` : '');
  const s: string[] = [];
  const stream = r.stream;
  const msgs = (n: number) => `${formatCount(n)} message${n === 1 ? '' : 's'}`;
  const were = (n: number) => (n === 1 ? 'was' : 'were');
  s.push(`Stored ${formatCount(r.stored)} of ${msgs(r.messages)} in ${stream}.`);
  const held = r.duplicates - (r.notStored?.count ?? 0);
  if (held > 0) {
    s.push(`${msgs(held)} ${were(held)} already in ${stream}: their message ids are within its ${formatNanos(info.config.duplicate_window ?? 0)} duplicate window, so they were not stored again.`);
  }
  if (r.notStored) {
    const { count, duplicateWindow, until, cause } = r.notStored;
    const what = cause === 'purged' ? `${stream} was purged` : `${stream}'s consumers removed them`;
    s.push(`${msgs(count)} ${were(count)} not stored: ${what} within its ${duplicateWindow} duplicate window, which still remembers their message ids until ${clock(until)}. Wait until then, or import under new ids${hint(hints.newIds)}.`);
  }
  if (info.config.retention === 'interest' && info.state.consumer_count === 0 && r.stored > 0) {
    s.push(`${stream} is an interest stream with no consumer: it keeps no message, so the ${msgs(r.stored)} acknowledged ${r.stored === 1 ? 'is' : 'are'} not held (add its consumers first, then import again under new ids${hints.newIds ? `: ${hints.newIds}` : ''}).`);
  }
  if (r.failed > 0) s.push(`${msgs(r.failed)} failed; the first: ${r.firstFailure}`);
  if (r.brokenCount > 0 && r.stopped?.reason !== 'broken') {
    s.push(`${formatCount(r.brokenCount)} broken line${r.brokenCount === 1 ? ' was' : 's were'} skipped; the first: ${r.broken[0]!.problem}`);
  }
  if (r.stopped?.reason === 'broken') s.push(`The import stopped at a broken line, ${r.stopped.problem} The lines after it were not read: fix the line, or skip broken lines${hint(hints.skipBroken)}.`);
  if (r.stopped?.reason === 'failure') s.push(`The import stopped at line ${r.stopped.line}: what failed there would fail for every message after it.`);
  if (r.stopped?.reason === 'cancelled') s.push(`The import was cancelled after line ${r.stopped.line}.`);
  return s;
}

/** `21:34:10` today, `2026-12-02 21:34:10` on another day: local time, as a clock shows it. */
function clock(t: Date, now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  if (t.toDateString() === now.toDateString()) return time;
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${time}`;
}

/** The headers' size on the wire (`NATS/1.0`, `\r\nName: value` each, `\r\n\r\n`), which counts against max_payload. */
function headerBytes(h: MsgHdrs): number {
  if (h.keys().length === 0) return 0;
  let n = 'NATS/1.0'.length + 4;
  for (const name of h.keys()) for (const value of h.values(name)) n += 4 + Buffer.byteLength(name) + Buffer.byteLength(value);
  return n;
}

function sizeText(bytes: number): string {
  return bytes < 1000 ? `${formatCount(bytes)} bytes` : `${formatBytes(bytes)} (${formatCount(bytes)} bytes)`;
}
