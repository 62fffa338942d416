// Aggregate history's reading half: the aggregate's latest snapshot by a direct get on its subject (no scan), then
// its events from the domain's event stream, narrowed on the server to the aggregate's subjects and kept when the
// envelope names the aggregate's id (its bytes are looked for before the envelope is parsed).
import type { CompiledAlgebra } from '../../core/algebra/compiled';
import { streamFor } from '../../core/algebra/describe';
import type { CelFilter } from '../../core/find/celFilter';
import type { ViewedMessage } from '../../core/message/types';
import { parseObject } from '../../core/trace/identity';
import type { NatsSession } from '../connection/connect';
import { API, apiCode } from '../errors/apiCodes';
import { NatsUserError } from '../errors/sentences';
import { findMessages } from '../read/find';
import { fromStored } from '../read/viewedMessage';

export interface AggregateRef {
  /** The environment token; `*` reads every environment a stream holds. */
  env: string;
  domain: string;
  aggregate: string;
  id: string;
}

export interface HistorySearch extends AggregateRef {
  maxScanned: number;
  signal?: AbortSignal;
  onProgress?: (scanned: number, found: number, total: number | undefined) => void;
}

export interface AggregateEvents {
  events: ViewedMessage[];
  snapshot?: ViewedMessage;
  eventsStream: string;
  snapshotsStream?: string;
  /** The subject filter the events were read with. */
  filter: string;
  scanned: number;
  /** The read stopped at maxScanned: older or newer events may be missing from the history. */
  truncated: boolean;
  /** Said with the history: a snapshot stream that could not be read, and why. */
  notes: string[];
}

const MAX_EVENTS = 100_000;

export async function aggregateEvents(session: NatsSession, algebra: CompiledAlgebra, o: HistorySearch): Promise<AggregateEvents> {
  const values = { env: o.env, domain: o.domain };
  const events = streamFor(algebra.spec.categories.find(c => c.name === 'domain') ?? missingCategory('domain'), values);
  if (!events) throw new NatsUserError('The algebra names no stream for domain events: an aggregate history reads the domain\'s event stream.');
  const snapshots = algebra.spec.categories.find(c => c.name === 'snapshot');
  const snapshotStream = snapshots ? streamFor(snapshots, values) : undefined;
  const notes: string[] = [];
  const snapshot = snapshotStream && o.env !== '*' ? await latestSnapshot(session, snapshotStream.name, `${o.env}.snapshot.${o.domain}.${o.aggregate}.${o.id}`, notes) : undefined;
  const filter = `${o.env}.domain.${o.domain}.${o.aggregate}.>`;
  const found = await findMessages(session, {
    streams: [events.name],
    filter,
    where: aggregateMatcher(o.id),
    maxScanned: o.maxScanned,
    maxMatches: MAX_EVENTS,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: p => o.onProgress!(p.scanned, p.matched, p.total) } : {}),
  });
  const problem = found.streams.find(s => s.problem)?.problem;
  if (problem) throw new NatsUserError(problem);
  const result: AggregateEvents = { events: found.matches, eventsStream: events.name, filter, scanned: found.scanned, truncated: found.bound !== undefined, notes };
  if (snapshot) result.snapshot = snapshot;
  if (snapshotStream) result.snapshotsStream = snapshotStream.name;
  return result;
}

/** The last message on the aggregate's snapshot subject, or undefined; a stream that is missing or refuses is noted. */
async function latestSnapshot(session: NatsSession, stream: string, subject: string, notes: string[]): Promise<ViewedMessage | undefined> {
  try {
    const jsm = await session.jetstreamManager();
    // null when the subject holds no message
    const m = await jsm.streams.getMessage(stream, { last_by_subj: subject });
    return m ? fromStored(m, stream) : undefined;
  } catch (e) {
    if (apiCode(e) === API.STREAM_NOT_FOUND) {
      notes.push(`No snapshot stream ${stream}: the history starts at the first event.`);
      return undefined;
    }
    notes.push(`The snapshot could not be read: ${session.describe(e, { action: `reading the snapshot from ${stream}`, stream })}`);
    return undefined;
  }
}

/** Keeps the events whose envelope names the aggregate's id. */
function aggregateMatcher(id: string): CelFilter {
  const needle = Buffer.from(id, 'utf8');
  return {
    source: `aggregate_id == "${id}"`,
    usesEvent: true,
    evaluate(m) {
      if (Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).indexOf(needle) < 0) return { matched: false };
      return { matched: parseObject(m.data)?.aggregate_id === id };
    },
  };
}

function missingCategory(name: string): never {
  throw new NatsUserError(`The algebra has no "${name}" category: an aggregate history needs the domain events' category.`);
}
