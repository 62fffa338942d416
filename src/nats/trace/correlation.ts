// Trace Correlation's reading half: every message that carries one correlation id, from the streams the algebra names
// (commands, domain events, sagas, projections, snapshots; others by choice), stored within a window around the
// origin. The window bounds the read on the server (times become sequences); each message is checked cheaply for the
// id's bytes before its envelope is parsed.
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import { categoryOfStream } from '../../core/explorer/streamGroups';
import type { CelFilter } from '../../core/find/celFilter';
import type { ViewedMessage } from '../../core/message/types';
import { messageIdentity } from '../../core/trace/identity';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { listStreams } from '../explorer/streamList';
import { findMessages, type StreamOutcome } from '../read/find';

export interface CorrelationSearch {
  correlationId: string;
  /** The origin's time: the window lies around it. */
  around: Date;
  /** Milliseconds before and after `around`. */
  windowMs: number;
  /** The streams to read (see traceStreams). */
  streams: string[];
  /** Stop after this many messages read in all. */
  maxScanned: number;
  signal?: AbortSignal;
  onProgress?: (scanned: number, found: number, total: number | undefined) => void;
}

export interface CorrelationFound {
  /** Every message with the correlation id (or that is the correlation's origin), by time. */
  messages: ViewedMessage[];
  window: { since: Date; until: Date };
  scanned: number;
  /** The read stopped at maxScanned before the window's end. */
  truncated: boolean;
  streams: StreamOutcome[];
}

/** At most this many messages of one correlation are kept. */
const MAX_FOUND = 10_000;

export async function findCorrelation(session: NatsSession, o: CorrelationSearch): Promise<CorrelationFound> {
  const window = { since: new Date(o.around.getTime() - o.windowMs), until: new Date(o.around.getTime() + o.windowMs) };
  const result = await findMessages(session, {
    streams: o.streams,
    since: window.since,
    until: window.until,
    where: correlationMatcher(o.correlationId),
    maxScanned: o.maxScanned,
    maxMatches: MAX_FOUND,
    // a window is a small share of each stream: read them all at once
    concurrency: Math.min(o.streams.length, 10),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: p => o.onProgress!(p.scanned, p.matched, p.total) } : {}),
  });
  return { messages: result.matches, window, scanned: result.scanned, truncated: result.bound !== undefined, streams: result.streams };
}

/** A filter that keeps the messages of one correlation: the id's bytes must occur before the envelope is parsed. */
export function correlationMatcher(correlationId: string): CelFilter {
  const needle = Buffer.from(correlationId, 'utf8');
  return {
    source: `correlation ${correlationId}`,
    usesEvent: true,
    evaluate(m) {
      const inData = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).indexOf(needle) >= 0;
      if (!inData && !m.headers.some(([, v]) => v === correlationId)) return { matched: false };
      const id = messageIdentity(m);
      return { matched: id.correlationId === undefined ? id.messageId === correlationId : id.correlationId === correlationId };
    },
  };
}

/**
 * The streams a trace reads: those the algebra gives a category (commands, domain events, sagas, projections,
 * snapshots), plus `extra` by name. A name in `extra` the server does not have is a `NatsUserError`.
 */
export async function traceStreams(session: NatsSession, algebra: CompiledAlgebra, extra: readonly string[] = []): Promise<string[]> {
  const streams = await listStreams(session);
  const names = new Set(streams.filter(s => !s.unavailable && categoryOfStream(algebra, s)).map(s => s.name));
  const missing = extra.filter(name => !streams.some(s => s.name === name));
  if (missing.length > 0) throw new NatsUserError(`No stream named ${missing.join(', ')} on this connection: check the name in the explorer.`);
  for (const name of extra) names.add(name);
  if (names.size === 0) throw new NatsUserError('No stream on this connection stores commands, events, sagas, projections or snapshots: create them with Initialize CIM Streams, or name the streams to search.');
  return [...names].sort();
}
