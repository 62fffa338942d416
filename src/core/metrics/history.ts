// One connection's figures over time: each poll's sample goes in, bounded series and health come out. Plain data in,
// plain data out: the NATS side (src/nats/metrics) fills the samples, the tree and the dashboards read the results.
import type { EventTypeCounts } from '../explorer/eventTypeCounts';
import { eventTypeRates, type TimedCounts } from './eventTypeRates';
import { growingFor, lagMs, trend, type TrendResult } from './lag';
import { limitSentence, nearLimits, type LimitUse } from './limits';
import { counterRate, inRate, removedRate, type StreamCounters } from './rates';
import { SeriesSet, type Point, type SeriesOptions } from './series';

export interface StreamSample {
  name: string;
  /** The stream's creation time: one made again starts its counters over. */
  created?: string;
  messages: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  /** Stored times (ms) of the first and last message, when the stream holds any. */
  firstStoredAt?: number;
  lastStoredAt?: number;
  consumerCount: number;
  /** -1 or 0: no limit. */
  maxMsgs: number;
  maxBytes: number;
  maxAgeNs: number;
  discard: 'old' | 'new';
  /** One sentence when the stream cannot be read now (no leader in a cluster). */
  unavailable?: string;
}

export interface ConsumerSample {
  stream: string;
  name: string;
  created?: string;
  pending: number;
  ackPending: number;
  redelivered: number;
  /** Consumer sequences: deliveries (redeliveries included) and acknowledgements so far. */
  deliveredCount: number;
  ackedCount: number;
  /** Stream sequence of the ack floor. */
  ackFloor: number;
  /** Whether the oldest unacknowledged message was looked for (only for what a dashboard shows): lag is known. */
  lagRead?: boolean;
  /** Its stored time (ms), when there is one. */
  oldestUnackedAt?: number;
  unavailable?: string;
}

export interface PollSample {
  /** Milliseconds since the epoch. */
  t: number;
  streams: StreamSample[];
  consumers: ConsumerSample[];
  /** Event-type counts of domain-event streams a dashboard shows. */
  eventTypes?: ReadonlyMap<string, EventTypeCounts>;
  /** JetStream API requests this poll made. */
  requests: number;
}

export interface HealthSettings {
  /** A consumer whose ack floor stood still this long with messages waiting is stalled. */
  stallSeconds: number;
  /** Falling behind: the messages waiting grew on this many polls in a row. */
  growingIntervals: number;
  /** Near a limit from this share of it (0.9 = 90 %). */
  limitThreshold: number;
}

export const DEFAULT_HEALTH: HealthSettings = { stallSeconds: 60, growingIntervals: 5, limitThreshold: 0.9 };

export type ProblemKind = 'noLeader' | 'nearLimit' | 'stalled' | 'behind';

export interface HealthProblem {
  kind: ProblemKind;
  /** One sentence for the tooltip, the status bar and the notification. */
  sentence: string;
}

export interface ConsumerHealth {
  stream: string;
  name: string;
  problems: HealthProblem[];
  stalledSince?: number;
  /** Ms; undefined unless the oldest unacknowledged message was read. */
  lag?: number | null;
  lagTrend?: TrendResult;
  waitingTrend: TrendResult;
}

export interface StreamHealth {
  name: string;
  problems: HealthProblem[];
  limits: LimitUse[];
}

export interface HealthReport {
  t: number;
  streams: Map<string, StreamHealth>;
  consumers: Map<string, ConsumerHealth>;
  /** Every problem, streams first, for the status bar. */
  problems: (HealthProblem & { stream: string; consumer?: string })[];
}

const SEP = '\u0000';

export function streamKey(stream: string, metric: string): string {
  return `s${SEP}${stream}${SEP}${metric}`;
}

export function consumerKey(stream: string, consumer: string, metric?: string): string {
  return `c${SEP}${stream}${SEP}${consumer}${metric ? `${SEP}${metric}` : ''}`;
}

interface ConsumerState {
  t: number;
  epoch: string;
  deliveredCount: number;
  ackedCount: number;
  ackFloor: number;
  /** Since when the ack floor stood still with messages waiting. */
  stillSince?: number;
}

/** Figures over time for one connection; bounded whatever the number of polls. */
export class MetricsHistory {
  readonly series: SeriesSet;
  private readonly streams = new Map<string, StreamCounters>();
  private readonly consumers = new Map<string, ConsumerState>();
  private readonly eventCounts = new Map<string, TimedCounts>();
  private lastSample: PollSample | undefined;

  constructor(options: SeriesOptions = {}) {
    this.series = new SeriesSet(options);
  }

  /** The last sample taken, as the server told it. */
  get last(): PollSample | undefined {
    return this.lastSample;
  }

  add(sample: PollSample): void {
    const { t } = sample;
    const s = this.series;
    s.begin(t);
    const seenStreams = new Set<string>();
    for (const st of sample.streams) {
      seenStreams.add(st.name);
      if (st.unavailable) continue;
      const cur: StreamCounters = { t, lastSeq: st.lastSeq, messages: st.messages, epoch: st.created ?? '' };
      const prev = this.streams.get(st.name);
      s.put(streamKey(st.name, 'messages'), st.messages);
      s.put(streamKey(st.name, 'bytes'), st.bytes);
      s.put(streamKey(st.name, 'in'), inRate(prev, cur));
      s.put(streamKey(st.name, 'removed'), removedRate(prev, cur));
      this.streams.set(st.name, cur);
      const counts = sample.eventTypes?.get(st.name);
      if (counts) {
        const now = { t, counts };
        for (const r of eventTypeRates(this.eventCounts.get(st.name), now)) s.put(streamKey(st.name, `type:${r.key}`), r.rate);
        this.eventCounts.set(st.name, now);
      }
    }
    const seenConsumers = new Set<string>();
    for (const c of sample.consumers) {
      const key = consumerKey(c.stream, c.name);
      seenConsumers.add(key);
      if (c.unavailable) continue;
      const epoch = c.created ?? '';
      const prev = this.consumers.get(key);
      const same = prev && prev.epoch === epoch;
      const waiting = c.pending + c.ackPending;
      s.put(consumerKey(c.stream, c.name, 'pending'), c.pending);
      s.put(consumerKey(c.stream, c.name, 'ackPending'), c.ackPending);
      s.put(consumerKey(c.stream, c.name, 'redelivered'), c.redelivered);
      s.put(consumerKey(c.stream, c.name, 'delivered'), counterRate(prev && { t: prev.t, value: prev.deliveredCount, epoch: prev.epoch }, { t, value: c.deliveredCount, epoch }));
      s.put(consumerKey(c.stream, c.name, 'acked'), counterRate(prev && { t: prev.t, value: prev.ackedCount, epoch: prev.epoch }, { t, value: c.ackedCount, epoch }));
      if (c.lagRead) s.put(consumerKey(c.stream, c.name, 'lag'), lagMs(t, waiting, c.oldestUnackedAt));
      // the ack floor standing still only counts while messages wait, and only for the same consumer
      const stillSince = waiting > 0 && same && prev.ackFloor === c.ackFloor ? (prev.stillSince ?? prev.t) : waiting > 0 ? t : undefined;
      this.consumers.set(key, { t, epoch, deliveredCount: c.deliveredCount, ackedCount: c.ackedCount, ackFloor: c.ackFloor, ...(stillSince !== undefined ? { stillSince } : {}) });
    }
    s.end();
    // what is gone takes its history with it: memory follows what exists
    for (const name of [...this.streams.keys()]) {
      if (seenStreams.has(name)) continue;
      this.streams.delete(name);
      this.eventCounts.delete(name);
      s.drop(`s${SEP}${name}${SEP}`);
    }
    for (const key of [...this.consumers.keys()]) {
      if (seenConsumers.has(key)) continue;
      this.consumers.delete(key);
      s.drop(`${key}${SEP}`);
    }
    this.lastSample = sample;
  }

  /**
   * What waits for a consumer (pending + ack pending) over its last `n` samples, or over the last `rangeMs` before
   * `now`: derived, not kept, so a thousand consumers cost two series each rather than three.
   */
  waiting(stream: string, consumer: string, n?: number, range?: { rangeMs: number; now: number }): Point[] {
    const get = (m: string) => (range ? this.series.range(consumerKey(stream, consumer, m), range.rangeMs, range.now) : this.series.fine(consumerKey(stream, consumer, m), n));
    const ack = get('ackPending');
    return get('pending').map((p, i) => {
      const a = ack[i]?.v;
      return { t: p.t, v: p.v === null || a === null || a === undefined ? null : p.v + a };
    });
  }

  /** Problems of the last sample's streams and consumers. */
  health(settings: HealthSettings = DEFAULT_HEALTH): HealthReport {
    const sample = this.lastSample;
    const report: HealthReport = { t: sample?.t ?? 0, streams: new Map(), consumers: new Map(), problems: [] };
    if (!sample) return report;
    for (const st of sample.streams) {
      const problems: HealthProblem[] = [];
      let limits: LimitUse[] = [];
      if (st.unavailable) problems.push({ kind: 'noLeader', sentence: capital(st.unavailable.endsWith('.') ? st.unavailable : `${st.unavailable}.`) });
      else {
        limits = nearLimits(st, sample.t, settings.limitThreshold);
        for (const use of limits) problems.push({ kind: 'nearLimit', sentence: limitSentence(st, use) });
      }
      report.streams.set(st.name, { name: st.name, problems, limits });
      for (const p of problems) report.problems.push({ ...p, stream: st.name });
    }
    for (const c of sample.consumers) {
      const key = consumerKey(c.stream, c.name);
      const problems: HealthProblem[] = [];
      const state = this.consumers.get(key);
      const waitingPts = this.waiting(c.stream, c.name, settings.growingIntervals + 1);
      const trendSamples = Math.max(3, settings.growingIntervals + 1);
      // only the samples the trend reads (twice as many, for gaps): a thousand consumers are assessed every poll
      const waitingTrend = trend(this.waiting(c.stream, c.name, trendSamples * 2), { samples: trendSamples });
      const health: ConsumerHealth = { stream: c.stream, name: c.name, problems, waitingTrend };
      if (c.unavailable) problems.push({ kind: 'noLeader', sentence: capital(c.unavailable.endsWith('.') ? c.unavailable : `${c.unavailable}.`) });
      else {
        const waiting = c.pending + c.ackPending;
        if (state?.stillSince !== undefined && sample.t - state.stillSince >= settings.stallSeconds * 1000) {
          health.stalledSince = state.stillSince;
          problems.push({ kind: 'stalled', sentence: `${c.name} on ${c.stream} is stalled: ${count(waiting)} messages wait and its ack floor has stayed at ${c.ackFloor} for ${duration(sample.t - state.stillSince)}.` });
        } else if (settings.growingIntervals > 0 && growingFor(waitingPts) >= settings.growingIntervals) {
          problems.push({ kind: 'behind', sentence: `${c.name} on ${c.stream} is falling behind: the messages waiting for it grew on each of the last ${settings.growingIntervals} polls, to ${count(waiting)}.` });
        }
        const lagKey = consumerKey(c.stream, c.name, 'lag');
        if (this.series.has(lagKey)) {
          health.lag = this.series.last(lagKey)?.v ?? null;
          health.lagTrend = trend(this.series.fine(lagKey, trendSamples * 2), { samples: trendSamples, tolerance: 1000 });
        }
      }
      report.consumers.set(key, health);
      for (const p of problems) report.problems.push({ ...p, stream: c.stream, consumer: c.name });
    }
    return report;
  }
}

/** `45 s`, `3 min`, `2 h` */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
