// Find Messages: the streams that store part of a filter, scanned in parallel over a time or sequence range (narrowed
// on the server by subject and start), each message tested by a compiled CEL filter; bounded by messages scanned and
// matches kept, cancellable, and able to go on where a bound stopped it.
import type { CelFilter } from '../../core/find/celFilter';
import type { ViewedMessage } from '../../core/message/types';
import { overlap } from '../../core/pattern/lattice';
import { isValidPattern } from '../../core/pattern/tokens';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { listStreams } from '../explorer/streamList';
import { scanMessages } from './scan';

export interface FindOptions {
  /** The streams to search; when absent, every stream that stores part of `filter` (every stream without one). */
  streams?: string[];
  filter?: string;
  since?: Date;
  until?: Date;
  fromSeq?: number;
  toSeq?: number;
  /** Tested on each message; every message in the range matches without one. */
  where?: CelFilter;
  /** Stop after this many messages scanned (all streams together)… */
  maxScanned: number;
  /** …or this many matches. */
  maxMatches: number;
  /** Streams read at once. */
  concurrency?: number;
  /** Go on from where an earlier search stopped (its result's `cursor`); the other range options are then ignored. */
  resume?: FindCursor;
  signal?: AbortSignal;
  onProgress?: (progress: FindProgress) => void;
}

export interface FindProgress {
  scanned: number;
  matched: number;
  bytes: number;
  /** About how many messages the ranges hold, once every stream's scan has said (undefined until then). */
  total?: number;
}

/** Where each stream's scan stands: enough to go on with the same range. */
export interface FindCursor {
  filter?: string;
  /** Per stream: the next sequence (or, for one not begun, its start time), and the range's last sequence or time. */
  streams: { stream: string; next?: number; since?: string; end?: number; until?: string }[];
}

export interface StreamOutcome {
  stream: string;
  scanned: number;
  matched: number;
  /** The stream's range was read to its end. */
  complete: boolean;
  /** Why this stream could not be searched (a missing permission, a stream gone): the others still were. */
  problem?: string;
}

export interface FindResult {
  /** By time (then stream and sequence). */
  matches: ViewedMessage[];
  scanned: number;
  bytes: number;
  /** Messages on which the expression could not be evaluated (they do not match), and the first reason. */
  failed: number;
  firstFailure?: { stream: string; seq: number; reason: string };
  /** Which bound stopped the search; absent when every range was read. */
  bound?: 'scanned' | 'matches';
  /** Present when there is more to read: pass it as `resume` to go on. */
  cursor?: FindCursor;
  streams: StreamOutcome[];
}

const DEFAULT_CONCURRENCY = 4;

/** Searches the streams; a filter that no stream stores, or a stream that does not exist, is a `NatsUserError`. */
export async function findMessages(session: NatsSession, options: FindOptions): Promise<FindResult> {
  const filter = options.resume ? options.resume.filter : options.filter && options.filter !== '>' ? options.filter : undefined;
  if (filter && !isValidPattern(filter)) {
    throw new NatsUserError(`"${filter}" is not a subject filter: write tokens separated by single dots, without spaces, with * for one token and > only at the end.`);
  }
  options.signal?.throwIfAborted();
  const plans = options.resume
    ? options.resume.streams.map(s => ({
      stream: s.stream,
      ...(s.next !== undefined ? { from: { seq: s.next } } : s.since ? { from: { since: new Date(s.since) } } : {}),
      ...(s.end !== undefined ? { toSeq: s.end } : {}),
      ...(s.until ? { until: new Date(s.until) } : {}),
    }))
    : (await searchedStreams(session, filter, options.streams)).map(stream => ({
      stream,
      ...(options.fromSeq !== undefined ? { from: { seq: options.fromSeq } } : options.since ? { from: { since: options.since } } : {}),
      ...(options.toSeq !== undefined ? { toSeq: options.toSeq } : {}),
      ...(options.until ? { until: options.until } : {}),
    }));
  const search = new Search(session, options, filter);
  await search.run(plans);
  return search.result();
}

/** The named streams, or those whose subjects overlap the filter (not buckets' and object stores' streams). */
async function searchedStreams(session: NatsSession, filter: string | undefined, named: string[] | undefined): Promise<string[]> {
  if (named && named.length > 0) return named;
  const streams = (await listStreams(session)).filter(s => s.kind === 'stream' && (!filter || s.subjects.some(subject => overlap(subject, filter))));
  if (streams.length === 0) {
    throw new NatsUserError(filter
      ? `No stream stores "${filter}": check the filter against the streams in the explorer, or create the streams with Initialize CIM Streams.`
      : 'This account has no stream to search: create one first (Initialize CIM Streams).');
  }
  return streams.map(s => s.name);
}

interface Plan {
  stream: string;
  from?: { seq: number } | { since: Date };
  toSeq?: number;
  until?: Date;
}

class Search {
  private scanned = 0;
  private bytes = 0;
  private matched = 0;
  private failed = 0;
  private firstFailure: FindResult['firstFailure'];
  private bound: FindResult['bound'];
  private readonly matches: ViewedMessage[] = [];
  private readonly outcomes: StreamOutcome[] = [];
  private readonly cursor: FindCursor['streams'] = [];
  private readonly totals = new Map<string, number | undefined>();

  constructor(
    private readonly session: NatsSession,
    private readonly o: FindOptions,
    private readonly filter: string | undefined,
  ) {}

  async run(plans: Plan[]): Promise<void> {
    const queue = [...plans];
    const worker = async () => {
      for (let plan = queue.shift(); plan; plan = queue.shift()) await this.scanOne(plan);
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency ?? DEFAULT_CONCURRENCY, plans.length) }, worker));
    this.o.signal?.throwIfAborted();
  }

  private get stopped(): boolean {
    return this.bound !== undefined;
  }

  private async scanOne(plan: Plan): Promise<void> {
    const outcome: StreamOutcome = { stream: plan.stream, scanned: 0, matched: 0, complete: false };
    this.outcomes.push(outcome);
    if (this.stopped) {
      // A bound was reached before this stream's turn: it is searched when the search goes on.
      this.cursor.push({
        stream: plan.stream,
        ...(plan.from && 'seq' in plan.from ? { next: plan.from.seq } : plan.from ? { since: plan.from.since.toISOString() } : {}),
        ...(plan.toSeq !== undefined ? { end: plan.toSeq } : {}),
        ...(plan.until ? { until: plan.until.toISOString() } : {}),
      });
      return;
    }
    const where = this.o.where;
    try {
      const r = await scanMessages(this.session, {
        stream: plan.stream,
        ...(this.filter ? { filter: this.filter } : {}),
        ...(plan.from ? { from: plan.from } : {}),
        ...(plan.toSeq !== undefined ? { toSeq: plan.toSeq } : {}),
        ...(plan.until ? { until: plan.until } : {}),
        ...(this.o.signal ? { signal: this.o.signal } : {}),
        onProgress: (_n, total) => {
          if (!this.totals.has(plan.stream)) this.totals.set(plan.stream, total);
        },
        onMessage: m => {
          this.scanned++;
          this.bytes += m.size;
          outcome.scanned++;
          const match = where ? where.evaluate(m) : { matched: true };
          if (match.error !== undefined) {
            this.failed++;
            this.firstFailure ??= { stream: plan.stream, seq: m.seq ?? 0, reason: match.error };
          }
          if (match.matched) {
            this.matched++;
            outcome.matched++;
            this.matches.push(m);
          }
          if ((this.scanned & 63) === 0 || match.matched) this.progress();
          if (this.matched >= this.o.maxMatches) this.bound ??= 'matches';
          else if (this.scanned >= this.o.maxScanned) this.bound ??= 'scanned';
          return !this.stopped;
        },
      });
      if (!this.totals.has(plan.stream)) this.totals.set(plan.stream, r.total ?? r.scanned);
      outcome.complete = r.next === undefined;
      if (r.next !== undefined) this.cursor.push({ stream: plan.stream, next: r.next, end: r.endSeq });
    } catch (e) {
      if (this.o.signal?.aborted) throw this.o.signal.reason;
      if (!(e instanceof NatsUserError)) throw e;
      outcome.problem = e.message;
    }
  }

  private progress(): void {
    const totals = [...this.totals.values()];
    const known = totals.length === this.outcomes.length && totals.every(t => t !== undefined);
    this.o.onProgress?.({ scanned: this.scanned, matched: this.matched, bytes: this.bytes, ...(known ? { total: totals.reduce((a, b) => a! + b!, 0) } : {}) });
  }

  result(): FindResult {
    this.progress();
    const matches = this.matches.sort((a, b) => (a.time?.getTime() ?? 0) - (b.time?.getTime() ?? 0) || (a.stream ?? '').localeCompare(b.stream ?? '') || (a.seq ?? 0) - (b.seq ?? 0));
    const result: FindResult = { matches, scanned: this.scanned, bytes: this.bytes, failed: this.failed, streams: this.outcomes.sort((a, b) => a.stream.localeCompare(b.stream)) };
    if (this.firstFailure) result.firstFailure = this.firstFailure;
    // a bound reached on the very last message of every range stopped nothing
    if (this.bound && this.cursor.length > 0) result.bound = this.bound;
    if (this.cursor.length > 0) result.cursor = { ...(this.filter ? { filter: this.filter } : {}), streams: this.cursor };
    if (this.outcomes.length > 0 && this.outcomes.every(o => o.problem)) {
      throw new NatsUserError(this.outcomes.length === 1 ? this.outcomes[0]!.problem! : `No stream could be searched: ${this.outcomes.map(o => `${o.stream}: ${o.problem}`).join(' ')}`);
    }
    return result;
  }
}
