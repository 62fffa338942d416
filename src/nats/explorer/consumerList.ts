// The consumers of one stream with the counts the explorer shows, and when one deserves a warning.
import type { ConsumerInfo } from '@nats-io/jetstream';
import type { NatsSession } from '../connection/connect';
import { isEditorConsumer } from '../read/lease';

export { isEditorConsumer } from '../read/lease';
import { apiContext, noLeaderSentence, pagedList, userError } from './jsApi';

export interface ConsumerSummary {
  stream: string;
  name: string;
  durable: boolean;
  filterSubjects: string[];
  /** Messages not yet delivered (num_pending). */
  pending: number;
  /** Delivered, not yet acknowledged. */
  ackPending: number;
  /** Messages delivered more than once. */
  redelivered: number;
  /** Pull requests waiting. */
  waiting: number;
  /** Stream sequence of the ack floor. */
  ackFloor: number;
  /** Stream sequence last delivered. */
  delivered: number;
  paused?: boolean;
  created: Date;
  /** The last delivery or acknowledgement, when the server tells it. */
  lastActive?: Date;
  /** One sentence for a consumer the server lists as missing (no leader); its numbers are then 0. */
  unavailable?: string;
  config: unknown;
  raw: unknown;
}

export interface ListConsumersOptions {
  signal?: AbortSignal;
  /** Also this editor's own consumers (a running tail's, a read's, a count's), which are left out by default. */
  includeEditor?: boolean;
}

/** A stream's consumers: the user's, and how many of this editor's own the stream holds besides (a running tail's). */
export interface ConsumerListing {
  consumers: ConsumerSummary[];
  /** This editor's consumers (`isEditorConsumer`), not in `consumers`: the stream's consumer count includes them. */
  editor: ConsumerSummary[];
}

/**
 * The user's consumers of `stream`, sorted by name, through the raw paged `CONSUMER.LIST` (keeping its `missing`).
 * This editor's own (a tail's, a read's) are not the user's and are left out unless `includeEditor`.
 */
export async function listConsumers(session: NatsSession, stream: string, options: ListConsumersOptions = {}): Promise<ConsumerSummary[]> {
  const { consumers, editor } = await listConsumersWithEditor(session, stream, options);
  return options.includeEditor ? [...consumers, ...editor].sort(byName) : consumers;
}

/** The user's consumers and, apart, this editor's own: together they are what the stream's consumer count counts. */
export async function listConsumersWithEditor(session: NatsSession, stream: string, options: Pick<ListConsumersOptions, 'signal'> = {}): Promise<ConsumerListing> {
  try {
    const ctx = await apiContext(session);
    const { items, missing } = await pagedList<ConsumerInfo>(ctx, `${ctx.prefix}.CONSUMER.LIST.${stream}`, 'consumers', {}, options.signal);
    const all = items.map(toConsumerSummary);
    for (const name of missing) all.push(unavailableConsumer(stream, name));
    all.sort(byName);
    return { consumers: all.filter(c => !isEditorConsumer(c.name)), editor: all.filter(c => isEditorConsumer(c.name)) };
  } catch (e) {
    throw userError(session, e, { action: `listing the consumers of ${stream}`, stream });
  }
}

function byName(a: ConsumerSummary, b: ConsumerSummary): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function toConsumerSummary(ci: ConsumerInfo): ConsumerSummary {
  const config = ci.config;
  const filters = config.filter_subjects?.length ? config.filter_subjects : config.filter_subject ? [config.filter_subject] : [];
  const lastActive = latest(ci.delivered?.last_active, ci.ack_floor?.last_active);
  return {
    stream: ci.stream_name,
    name: ci.name,
    durable: !!config.durable_name,
    filterSubjects: filters,
    pending: ci.num_pending,
    ackPending: ci.num_ack_pending,
    redelivered: ci.num_redelivered,
    waiting: ci.num_waiting,
    ackFloor: ci.ack_floor?.stream_seq ?? 0,
    delivered: ci.delivered?.stream_seq ?? 0,
    ...(ci.paused !== undefined ? { paused: ci.paused } : {}),
    created: new Date(ci.created),
    ...(lastActive ? { lastActive } : {}),
    config,
    raw: ci,
  };
}

function unavailableConsumer(stream: string, name: string): ConsumerSummary {
  return {
    stream,
    name,
    durable: true,
    filterSubjects: [],
    pending: 0,
    ackPending: 0,
    redelivered: 0,
    waiting: 0,
    ackFloor: 0,
    delivered: 0,
    created: new Date(0),
    unavailable: `${noLeaderSentence(`consumer ${name} of ${stream}`)} (or every server that holds it is down)`,
    config: undefined,
    raw: undefined,
  };
}

/** The server sends RFC 3339 times here although the client's type says nanoseconds. */
function latest(...times: unknown[]): Date | undefined {
  let best: Date | undefined;
  for (const t of times) {
    if (typeof t !== 'string' || !t) continue;
    const d = new Date(t);
    // The server writes Go's zero time for "never".
    if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 2000) continue;
    if (!best || d > best) best = d;
  }
  return best;
}

/**
 * Warning state: pending over the threshold, or acks that stopped moving (ack pending > 0 and the ack floor
 * unchanged since `previous`, an earlier look at the same consumer).
 */
export function consumerHealth(c: ConsumerSummary, threshold: number, previous?: ConsumerSummary): { warning?: string } {
  if (c.unavailable) return { warning: c.unavailable };
  const warnings: string[] = [];
  if (c.pending > threshold) {
    warnings.push(`${count(c.pending)} messages wait for ${c.name} (more than ${count(threshold)}): its subscribers are behind or gone`);
  }
  if (previous && previous.name === c.name && c.ackPending > 0 && previous.ackPending > 0 && previous.ackFloor === c.ackFloor) {
    warnings.push(`acks on ${c.name} stopped: ${count(c.ackPending)} delivered messages are unacknowledged and the ack floor has stayed at ${c.ackFloor}`);
  }
  if (warnings.length === 0) return {};
  const text = warnings.join('; ');
  return { warning: `${text.charAt(0).toUpperCase()}${text.slice(1)}.` };
}

function count(n: number): string {
  return n.toLocaleString('en');
}
