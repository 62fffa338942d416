// Event types (aggregate › event) of a domain-events stream with exact counts, at a cost bounded by the number of
// types rather than by the number of subjects: every CIM event subject ends in its own id, so per-subject state
// (`streams.info(s, { subjects_filter })`) grows with the messages and is never asked for here.
//
// Pairs are discovered by sampling sequences spread over the stream (`STREAM.MSG.GET` with `next_by_subj`, which
// takes and pins nothing), plus the declared pairs; each is counted exactly by a filtered consumer's `num_pending`,
// created and deleted at once. Types too rare to sample are located by counting from a start sequence (the last
// message that no known type explains), on servers and streams that allow it. Before nats-server 2.10 a filtered
// count reads every message it counts (measured: 80–150 ms per 10,000), so on a large stream there the counts are
// estimates from more samples unless `exact` asks for the slow exact ones.
import { AckPolicy, DeliverPolicy, JetStreamApiError, jetstreamManager, type ConsumerConfig, type MsgRequest, type StreamInfo } from '@nats-io/jetstream';
import { overlap, subset } from '../../core/pattern/lattice';
import { matches } from '../../core/pattern/match';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { apiContext, mapLimit, userError, versionAtLeast, type ApiContext } from './jsApi';
import type { StreamSummary } from './streamList';
import { API } from '../errors/apiCodes';
import { ConsumerLease } from '../read/lease';
import type { EventTypeCount, EventTypeCounts } from '../../core/explorer/eventTypeCounts';

export type { EventTypeCount, EventTypeCounts };


export interface CountEventTypesOptions {
  /** The tokens before the aggregate, e.g. `dev.domain.sales`. */
  prefix: string;
  /** Pairs a domain definition declares: counted even when absent (then 0). */
  declared?: { aggregate: string; event: string }[];
  signal?: AbortSignal;
  /** Sequences sampled to discover pairs (default 32). */
  probes?: number;
  /**
   * Locate types too rare for the samples (default true): about a dozen rounds of counts, each costing the server
   * time in proportion to the stream's messages. False gives a quick first look, with those types in Other.
   */
  findRare?: boolean;
  /** A ceiling on API requests (default 2,000): discovery of rare types stops there. */
  maxRequests?: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /**
   * Exact counts also where they cost the server a read of every message counted (nats-server before 2.10, a
   * stream of more than 20,000 messages); by default such a stream gets estimates from 256 samples.
   */
  exact?: boolean;
}

const DEFAULT_PROBES = 32;
/** Samples for estimated counts: each type comes out within a few percent of the stream (bench: 6.6 % at worst). */
const ESTIMATE_PROBES = 256;
/** How long one exact count may take the server before 2.10 (measured on 2.9.10: about 1.5 s per 100,000 messages). */
const EXACT_COUNT_TIMEOUT_MS = 120_000;
/** Before 2.10, a stream above this many messages gets estimates unless `exact` asks otherwise. */
const OLD_SERVER_EXACT_LIMIT = 20_000;
const DEFAULT_MAX_REQUESTS = 2_000;
const DEFAULT_CONCURRENCY = 8;
const MAX_TYPES = 1_000;
/** A counting consumer the client could not delete (crash, lost reply) leaves by itself after this. */
const SAFETY_INACTIVE_MS = 5_000;
const GALLOP = 4;
/** Messages read one by one once the search has narrowed to them. */
const WINDOW = 128;

/** The server refuses a second consumer over the same subjects of a work-queue stream. */
const WQ_OVERLAP_CODES = new Set<number>([API.WQ_MULTIPLE_UNFILTERED, API.WQ_FILTER_NOT_UNIQUE]);
/** A filter the server does not accept as a subset of the stream's subjects. */

/** Event types of a domain-events stream, with message counts, at a bounded cost. */
export async function countEventTypes(session: NatsSession, stream: StreamSummary, options: CountEventTypesOptions): Promise<EventTypeCounts> {
  if (stream.unavailable) throw new NatsUserError(`${capital(stream.unavailable)}: its event types cannot be counted now.`);
  let counter: Counter | undefined;
  try {
    let ctx = await apiContext(session);
    // before 2.10 an exact count reads every message it counts: on a large stream one takes longer than an API timeout
    if (options.exact && !versionAtLeast(session.nc.info?.version, 2, 10)) {
      const domain = session.jetStreamDomain ? { domain: session.jetStreamDomain } : {};
      ctx = { ...ctx, jsm: await jetstreamManager(session.nc, { ...domain, timeout: EXACT_COUNT_TIMEOUT_MS, checkAPI: false }) };
    }
    counter = new Counter(ctx, stream.name, stream.retention === 'workqueue', options, stream.retention === 'interest');
    return await count(counter, session, options);
  } catch (e) {
    throw userError(session, e, { action: `counting the event types of ${stream.name}`, stream: stream.name });
  } finally {
    await counter?.settle();
  }
}

interface Pair {
  aggregate: string;
  event: string;
  declared: boolean;
  sampled: number;
  messages?: number;
}

async function count(counter: Counter, session: NatsSession, options: CountEventTypesOptions): Promise<EventTypeCounts> {
  const prefix = options.prefix.replace(/\.+$/, '');
  const prefixTokens = prefix.split('.').length;
  const all = `${prefix}.>`;
  const si = await counter.info();
  const subjects = si.config.subjects ?? [];
  const { first_seq: first, last_seq: last, messages } = si.state;
  const version = session.nc.info?.version;
  if (!options.exact && !versionAtLeast(version, 2, 10) && messages > OLD_SERVER_EXACT_LIMIT) {
    counter.samplesOnly = `On nats-server ${version ?? 'before 2.10'} an exact count reads every message of ${counter.stream} it counts (2.10 and newer count from their subject index)`;
  }

  const pairs = new Map<string, Pair>();
  const addPair = (aggregate: string, event: string, declared: boolean) => {
    const key = `${aggregate}.${event}`;
    let p = pairs.get(key);
    if (!p) pairs.set(key, (p = { aggregate, event, declared, sampled: 0 }));
    p.declared ||= declared;
    return p;
  };
  for (const d of options.declared ?? []) addPair(d.aggregate, d.event, true);
  const result = (total: number, notes: string[], estimated = false): EventTypeCounts => {
    const types = [...pairs.values()]
      .map(p => ({ aggregate: p.aggregate, event: p.event, messages: p.messages ?? 0, declared: p.declared, ...(estimated ? { estimated: true } : {}) }))
      .sort((a, b) => cmp(a.aggregate, b.aggregate) || cmp(a.event, b.event));
    const sum = types.reduce((n, t) => n + t.messages, 0);
    return {
      types,
      other: Math.max(0, total - sum),
      total,
      requests: counter.requests,
      ...(estimated ? { estimated: true } : {}),
      ...(notes.length ? { note: notes.join(' ') } : {}),
    };
  };

  if (messages === 0 || !subjects.some(s => overlap(s, all))) return result(0, []);
  // Every message the stream can hold is under the prefix: its message count is the total, for free.
  const wholeStream = subjects.length > 0 && subjects.every(s => subset(s, all));
  const pairOf = (subject: string): { aggregate: string; event: string } | undefined => {
    const t = subject.split('.');
    return t.length >= prefixTokens + 2 ? { aggregate: t[prefixTokens]!, event: t[prefixTokens + 1]! } : undefined;
  };
  const pairFilter = (p: { aggregate: string; event: string }) => `${prefix}.${p.aggregate}.${p.event}.>`;
  const countable = (filter: string) => subjects.some(s => overlap(s, filter));

  // Discovery: spread probes, each the message at its sequence, or the next one of the prefix from there (a gap, or
  // another subject). By sequence first: on 2.11+ next_by_subj with a wildcard costs the server a walk of all subjects.
  const probes = Math.max(1, options.probes ?? (counter.samplesOnly ? ESTIMATE_PROBES : DEFAULT_PROBES));
  const span = last - first + 1;
  const seqs = [...new Set(Array.from({ length: Math.min(probes, span) }, (_, i) => first + Math.floor((i * span) / Math.min(probes, span))))];
  const sample = async (seq: number) => {
    const at = await counter.get(seq);
    return { seq, msg: at && matches(all, at.subject) ? at : await counter.next(all, seq) };
  };
  let hits = 0;
  let exactHits = 0;
  let absorbed = false;
  const absorb = (samples: { seq: number; msg: { seq: number; subject: string } | null }[]) => {
    if (absorbed) return;
    absorbed = true;
    for (const { seq, msg } of samples) {
      if (!msg) continue;
      hits++;
      if (msg.seq === seq) exactHits++;
      const p = pairOf(msg.subject);
      if (p) addPair(p.aggregate, p.event, false).sampled++;
    }
  };
  const notes: string[] = [];
  const countPair = async (p: Pair) => {
    if (p.messages === undefined) p.messages = countable(pairFilter(p)) ? await counter.countOrZero([pairFilter(p)], notes) : 0;
  };

  // Declared pairs need no sample: they are counted while the probes run.
  const sampling = mapLimit(seqs, counter.concurrency, sample);
  sampling.catch(() => undefined); // awaited below; a counting error may come first
  try {
    const counting = (async () => {
      const t = wholeStream ? messages : await counter.count([all]);
      await mapLimit([...pairs.values()], counter.concurrency, countPair);
      return t;
    })();
    const [samples, total] = await Promise.all([sampling, counting]);
    absorb(samples);
    await mapLimit([...pairs.values()], counter.concurrency, countPair);
    const known = () => [...pairs.values()].reduce((n, p) => n + (p.messages ?? 0), 0);
    if (total - known() <= 0) return result(total, notes);

    // Messages of subjects that are no type (too few tokens): located once, then left in Other.
    let irregular = 0;
    const unexplained = () => total - known() - irregular;
    if (options.findRare === false) {
      notes.push(`Event types too rare for ${seqs.length} samples are in Other: count again to find them.`);
    } else if (counter.workQueue) {
      notes.push(`${counter.stream} is a work-queue stream, which allows no consumer that starts mid-stream, so event types too rare for ${seqs.length} samples stay in Other.`);
    } else if (!versionAtLeast(version, 2, 10)) {
      notes.push(`Finding event types too rare for ${seqs.length} samples needs nats-server 2.10 or newer: on ${version ?? 'this server'} every count scans all subjects of the stream.`);
    } else {
      // Locate the last messages no known type explains, read their subjects, count their types; repeat below them.
      const literals: string[] = [];
      let ceiling = last;
      while (unexplained() > 0 && pairs.size < MAX_TYPES) {
        if (counter.requests >= counter.maxRequests) {
          notes.push(`Discovery stopped at ${counter.maxRequests.toLocaleString('en')} requests: some rare event types stay in Other.`);
          break;
        }
        const knownFilters = [...[...pairs.values()].filter(p => (p.messages ?? 0) > 0).map(pairFilter), ...literals];
        const explained = (subject: string) => !matches(all, subject) || knownFilters.some(f => matches(f, subject));
        const found = await locateUnexplained(counter, wholeStream ? undefined : all, knownFilters, explained, first, ceiling);
        if (!found) break;
        ceiling = found.below;
        let progress = false;
        for (const subject of found.subjects) {
          const p = pairOf(subject);
          if (p && !pairs.has(`${p.aggregate}.${p.event}`) && matches(pairFilter(p), subject)) {
            const pair = addPair(p.aggregate, p.event, false);
            pair.messages = await counter.count([pairFilter(pair)]);
            progress ||= pair.messages > 0;
          } else if (!literals.includes(subject)) {
            // A subject that is no type (too few tokens): keep it out of the search, leave it in Other.
            literals.push(subject);
            irregular += await counter.count([subject]);
            progress = true;
          }
        }
        // Messages that changed under the search (new ones, removed ones): stop rather than loop.
        if (!progress) break;
      }
    }
    return result(total, notes);
  } catch (e) {
    if (!(e instanceof SamplesOnly)) throw e;
    // Estimates from the samples: a pair's share of the probes that found a message of the prefix.
    absorb(await sampling);
    // the probes spread over the sequences, holes included: the share that hit a message of the prefix, of the span
    const total = wholeStream ? messages : Math.min(messages, Math.round((span * exactHits) / seqs.length));
    for (const p of pairs.values()) p.messages = hits > 0 ? Math.round((total * p.sampled) / hits) : 0;
    const why = e instanceof WorkQueueRefusal
      ? `${counter.stream} is a work-queue stream and a consumer already claims these subjects, so the server allows no counting consumer`
      : e.message;
    const exactly = counter.samplesOnly ? ' Count them exactly from the Event types row (it takes the server longer).' : '';
    return result(total, [`${why}: the counts are estimates from ${seqs.length} samples.${exactly}`], true);
  }
}

/**
 * The last messages at or below `ceiling` that the known filters do not explain. U(s) = C(F from s) − Σ C(k from s)
 * counts the unexplained messages at or after s; it gallops back from the ceiling (rare types spread over the stream
 * leave their last message near the end), bisects until a window of WINDOW messages holds where U drops to 0, and
 * reads that window. `below` is the ceiling for the next search: nothing above the window is unexplained.
 */
async function locateUnexplained(
  counter: Counter,
  all: string | undefined,
  known: string[],
  explained: (subject: string) => boolean,
  first: number,
  ceiling: number,
): Promise<{ subjects: string[]; below: number } | undefined> {
  const unexplained = async (s: number) => {
    // Separate single-filter consumers: on 2.11+ a multi-filter count started mid-stream is several times slower.
    const counts = await mapLimit([all, ...known], counter.concurrency, f => counter.count(f === undefined ? undefined : [f], s));
    return counts[0]! - counts.slice(1).reduce((a, b) => a + b, 0);
  };
  if (ceiling < first) return undefined;
  let hi = ceiling;
  let lo = first;
  for (let step = WINDOW; ; step *= GALLOP) {
    const s = Math.max(first, ceiling - step + 1);
    if ((await unexplained(s)) > 0) {
      lo = s;
      break;
    }
    if (s === first) return undefined;
    hi = s - 1;
  }
  // U(lo) > 0 and nothing above hi is unexplained.
  while (hi - lo + 1 > WINDOW) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if ((await unexplained(mid)) > 0) lo = mid;
    else hi = mid - 1;
  }
  const seqs = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  const msgs = await mapLimit(seqs, counter.concurrency, seq => counter.get(seq));
  const subjects = [...new Set(msgs.filter((m): m is { seq: number; subject: string } => !!m && !explained(m.subject)).map(m => m.subject))];
  return subjects.length ? { subjects, below: lo - 1 } : undefined;
}

/** Counting consumers are not to be used on this stream: the counts come from the samples, and the message says why. */
class SamplesOnly extends Error {}
class WorkQueueRefusal extends SamplesOnly {}

/** Counting consumers and message reads on one stream; counts every request and deletes what it creates. */
class Counter {
  requests = 0;
  /** Why no counting consumer is made at all (the counts are estimates from samples), when none may be. */
  samplesOnly: string | undefined;
  readonly concurrency: number;
  readonly maxRequests: number;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly signal: AbortSignal | undefined;
  /** Every counting consumer comes from it, under this editor's name, and is deleted at once. */
  private readonly lease: ConsumerLease;

  constructor(
    private readonly ctx: ApiContext,
    readonly stream: string,
    /** A work-queue stream refuses overlapping consumers: wait for each delete before the next create. */
    readonly workQueue: boolean,
    options: CountEventTypesOptions,
    /** An interest stream: no counting consumer at all, only message gets. */
    readonly interest = false,
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.maxRequests = options.maxRequests ?? DEFAULT_MAX_REQUESTS;
    this.signal = options.signal;
    const { session, jsm } = ctx;
    this.lease = new ConsumerLease({ nc: session.nc, jetstream: () => session.jetstream(), jetstreamManager: async () => jsm }, stream, 'count', { inactiveThresholdMs: SAFETY_INACTIVE_MS });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  private request<T>(fn: () => Promise<T>): Promise<T> {
    this.signal?.throwIfAborted();
    this.requests++;
    return this.track(fn());
  }

  info(): Promise<StreamInfo> {
    return this.request(() => this.ctx.jsm.streams.info(this.stream));
  }

  async next(filter: string, seq: number): Promise<{ seq: number; subject: string } | null> {
    // STREAM.MSG.GET takes next_by_subj on 2.9.10 too; the client's type only lists seq and last_by_subj.
    const query = { next_by_subj: filter, seq } as unknown as MsgRequest;
    const m = await this.request(() => this.ctx.jsm.streams.getMessage(this.stream, query));
    return m ? { seq: m.seq, subject: m.subject } : null;
  }

  async get(seq: number): Promise<{ seq: number; subject: string } | null> {
    const m = await this.request(() => this.ctx.jsm.streams.getMessage(this.stream, { seq }));
    return m ? { seq: m.seq, subject: m.subject } : null;
  }

  /** Messages matching the filters (none: every message) from `startSeq` on, by a consumer that lives one request. */
  async count(filters: string[] | undefined, startSeq?: number): Promise<number> {
    // measured on nats-server 2.15.1 under load: deleting such a consumer from an interest stream once dropped every
    // message its real consumer still had pending — a count must never risk that
    if (this.interest) throw new SamplesOnly(`${this.stream} is an interest stream, where a counting consumer can make the server drop messages that other consumers still need`);
    if (this.samplesOnly) throw new SamplesOnly(this.samplesOnly);
    const config: Partial<ConsumerConfig> = {
      // Explicit ack (work-queue streams refuse ack none); nothing is ever fetched, so nothing is taken.
      ack_policy: AckPolicy.Explicit,
      ...(startSeq !== undefined ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSeq } : { deliver_policy: DeliverPolicy.All }),
      ...(filters && filters.length === 1 ? { filter_subject: filters[0] } : {}),
      ...(filters && filters.length > 1 ? { filter_subjects: filters } : {}),
    };
    let probe: Awaited<ReturnType<ConsumerLease['probe']>>;
    try {
      probe = await this.request(() => this.lease.probe(config));
    } catch (e) {
      if (e instanceof JetStreamApiError && WQ_OVERLAP_CODES.has(e.code)) throw new WorkQueueRefusal(e.message, { cause: e });
      // The reply may be lost after the server created it: the lease deletes it by name, quietly.
      if (!(e instanceof JetStreamApiError)) this.requests++;
      throw e;
    }
    // The lease deletes it at once; a work-queue stream refuses the next one until it is gone.
    this.requests++;
    const removed = this.track(probe.removed);
    if (this.workQueue) await removed;
    return probe.info.num_pending;
  }

  /** As count, but a filter the server refuses as not a subset of the stream's subjects is noted and counted 0. */
  async countOrZero(filters: string[], notes: string[]): Promise<number> {
    try {
      return await this.count(filters);
    } catch (e) {
      if (e instanceof JetStreamApiError && e.code === API.FILTER_NOT_SUBSET) {
        notes.push(`The server does not count "${filters.join('", "')}" on ${this.stream} (${e.message}).`);
        return 0;
      }
      throw e;
    }
  }

  /** Waits until every request, deletes included, has finished (also after an error or a cancellation). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.lease.close();
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
