// One poll of a connection's live figures for health and dashboards, at a bounded cost: the paged stream list once,
// the paged consumer list only of streams that have consumers, and one message read per watched consumer with
// messages waiting (the oldest unacknowledged one, for lag in time). Read-only: it makes no consumer and takes nothing.
import type { ConsumerInfo, StreamInfo } from '@nats-io/jetstream';
import type { ConsumerSample, PollSample, StreamSample } from '../../core/metrics/history';
import type { NatsSession } from '../connection/connect';
import { API, apiCode } from '../errors/apiCodes';
import { toConsumerSummary, type ConsumerSummary } from '../explorer/consumerList';
import { apiContext, apiRequest, mapLimit, pagedList, userError, type ApiContext } from '../explorer/jsApi';
import { toSummary, type StreamSummary } from '../explorer/streamList';
import { isEditorConsumer } from '../read/lease';

export interface PollOptions {
  /** Consumers whose lag in time is read (what an open dashboard shows): `stream` → consumer names, or `'*'` for all. */
  lagOf?: ReadonlyMap<string, ReadonlySet<string> | '*'>;
  /**
   * The streams as just listed (the explorer's catalogue): the stream list is then not asked for again. Their creation
   * time is not in a summary, so a stream made again shows as a reset only when its sequences went down.
   */
  streams?: readonly StreamSummary[];
  /** Consumer lists in flight at once (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  /** The clock (tests and the bench pass their own). */
  now?: () => number;
}

export interface PollResult {
  sample: PollSample;
  /** The streams as the explorer shows them (unavailable ones included). */
  streams: StreamSummary[];
  /** The user's consumers (this editor's own left out), by stream. */
  consumers: Map<string, ConsumerSummary[]>;
  /** Streams whose consumers could not be listed, with the sentence why. */
  problems: Map<string, string>;
}

/** Counts the JetStream API requests a context makes. */
export function countingContext(ctx: ApiContext): { ctx: ApiContext; count: () => number } {
  let n = 0;
  const nc = ctx.session.nc;
  const counted = new Proxy(nc, {
    get(target, prop, receiver) {
      if (prop === 'request') return (...args: Parameters<typeof nc.request>) => (n++, target.request(...args));
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const session = new Proxy(ctx.session, { get: (target, prop, receiver) => (prop === 'nc' ? counted : Reflect.get(target, prop, receiver)) });
  return { ctx: { ...ctx, session }, count: () => n };
}

/** One poll of the connection: the sample for `MetricsHistory.add` and what the rows show. */
export async function pollMetrics(session: NatsSession, options: PollOptions = {}): Promise<PollResult> {
  const now = options.now ?? Date.now;
  let ctx: ApiContext;
  try {
    ctx = await apiContext(session);
  } catch (e) {
    throw userError(session, e, { action: 'reading live figures' });
  }
  const { ctx: counted, count } = countingContext(ctx);
  let list: { items: StreamInfo[]; missing: string[] };
  if (options.streams) {
    const known = options.streams.filter(s => s.config && s.state);
    list = {
      items: known.map(s => ({ config: s.config, state: s.state, created: '', ts: '' }) as unknown as StreamInfo),
      missing: options.streams.filter(s => !s.config || !s.state).map(s => s.name),
    };
  } else {
    try {
      list = await pagedList<StreamInfo>(counted, `${ctx.prefix}.STREAM.LIST`, 'streams', {}, options.signal);
    } catch (e) {
      throw userError(session, e, { action: 'listing streams' });
    }
  }
  const t = now();
  const streams: StreamSummary[] = options.streams ? [...options.streams] : list.items.map(toSummary);
  const summaryOf = new Map(streams.map(s => [s.name, s]));
  const samples: StreamSample[] = list.items.map(si => streamSample(si, summaryOf.get(si.config.name)?.unavailable));
  for (const name of list.missing) {
    const unavailable = summaryOf.get(name)?.unavailable ?? `no leader for ${name} yet: the cluster is electing one (or every server that holds it is down)`;
    samples.push({ name, messages: 0, bytes: 0, firstSeq: 0, lastSeq: 0, consumerCount: 0, maxMsgs: -1, maxBytes: -1, maxAgeNs: 0, discard: 'old', unavailable });
  }
  const consumers = new Map<string, ConsumerSummary[]>();
  const problems = new Map<string, string>();
  const consumerSamples: ConsumerSample[] = [];
  const withConsumers = list.items.filter(si => si.state.consumer_count > 0 && !summaryOf.get(si.config.name)?.unavailable);
  const infos = await mapLimit(withConsumers, options.concurrency ?? 8, async si => {
    const stream = si.config.name;
    try {
      return (await pagedList<ConsumerInfo>(counted, `${ctx.prefix}.CONSUMER.LIST.${stream}`, 'consumers', {}, options.signal)).items;
    } catch (e) {
      problems.set(stream, userError(session, e, { action: `listing the consumers of ${stream}`, stream }).message);
      return [];
    }
  });
  const lagReads: { sample: ConsumerSample; info: ConsumerInfo; firstSeq: number }[] = [];
  withConsumers.forEach((si, i) => {
    const stream = si.config.name;
    // this editor's own (a tail's, a read's) are not the user's: no health, no figures
    const own = infos[i]!.filter(ci => !isEditorConsumer(ci.name));
    consumers.set(stream, own.map(toConsumerSummary));
    const watched = options.lagOf?.get(stream);
    for (const ci of own) {
      const sample = consumerSample(ci);
      consumerSamples.push(sample);
      if (watched && (watched === '*' || watched.has(ci.name))) {
        sample.lagRead = true;
        if (sample.pending + sample.ackPending > 0) lagReads.push({ sample, info: ci, firstSeq: si.state.first_seq });
      }
    }
  });
  await mapLimit(lagReads, options.concurrency ?? 8, async ({ sample, info, firstSeq }) => {
    const at = await oldestUnacked(counted, info, firstSeq).catch(() => undefined);
    if (at !== undefined) sample.oldestUnackedAt = at;
  });
  return { sample: { t, streams: samples, consumers: consumerSamples, requests: count() }, streams, consumers, problems };
}

function streamSample(si: StreamInfo, unavailable: string | undefined): StreamSample {
  const { config, state } = si;
  const time = (s: string | undefined) => {
    const ms = s ? Date.parse(s) : Number.NaN;
    return Number.isFinite(ms) && ms > 0 ? ms : undefined;
  };
  const first = state.messages > 0 ? time(state.first_ts) : undefined;
  const last = state.last_seq > 0 ? time(state.last_ts) : undefined;
  return {
    name: config.name,
    ...(si.created ? { created: si.created } : {}),
    messages: state.messages,
    bytes: state.bytes,
    firstSeq: state.first_seq,
    lastSeq: state.last_seq,
    ...(first !== undefined ? { firstStoredAt: first } : {}),
    ...(last !== undefined ? { lastStoredAt: last } : {}),
    consumerCount: state.consumer_count,
    maxMsgs: config.max_msgs ?? -1,
    maxBytes: config.max_bytes ?? -1,
    maxAgeNs: config.max_age ?? 0,
    discard: config.discard === 'new' ? 'new' : 'old',
    ...(unavailable ? { unavailable } : {}),
  };
}

function consumerSample(ci: ConsumerInfo): ConsumerSample {
  return {
    stream: ci.stream_name,
    name: ci.name,
    ...(ci.created ? { created: ci.created } : {}),
    pending: ci.num_pending,
    ackPending: ci.num_ack_pending,
    redelivered: ci.num_redelivered,
    deliveredCount: ci.delivered?.consumer_seq ?? 0,
    ackedCount: ci.ack_floor?.consumer_seq ?? 0,
    ackFloor: ci.ack_floor?.stream_seq ?? 0,
  };
}

interface MsgGetReply {
  message?: { seq: number; time: string; subject: string };
}

/**
 * The stored time of the oldest message the consumer has not had acknowledged: the first message at or after its
 * ack floor + 1 that its filter takes (a message get by sequence with next_by_subj: no consumer, nothing pinned).
 * One request per filter subject; undefined when none is found.
 */
export async function oldestUnacked(ctx: ApiContext, ci: ConsumerInfo, firstSeq: number): Promise<number | undefined> {
  const config = ci.config;
  const filters = config.filter_subjects?.length ? config.filter_subjects : [config.filter_subject || '>'];
  const seq = Math.max((ci.ack_floor?.stream_seq ?? 0) + 1, firstSeq, 1);
  let best: { seq: number; time: number } | undefined;
  for (const subject of filters) {
    try {
      const reply = await apiRequest<MsgGetReply>(ctx, `${ctx.prefix}.STREAM.MSG.GET.${ci.stream_name}`, { seq, next_by_subj: subject });
      const m = reply.message;
      const time = m ? Date.parse(m.time) : Number.NaN;
      if (m && Number.isFinite(time) && (!best || m.seq < best.seq)) best = { seq: m.seq, time };
    } catch (e) {
      if (apiCode(e) !== API.MESSAGE_NOT_FOUND) throw e;
    }
  }
  return best?.time;
}
