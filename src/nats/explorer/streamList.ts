// Every stream of the account for the explorer, streams without a leader included as unavailable.
import type { StreamInfo } from '@nats-io/jetstream';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { apiContext, isNoAnswer, noLeaderSentence, pagedList, userError } from './jsApi';

export interface StreamReplica {
  name: string;
  current: boolean;
  lag?: number;
  /** Nanoseconds since the leader last heard from this replica. */
  active?: number;
  offline?: boolean;
}

export interface StreamSummary {
  name: string;
  subjects: string[];
  messages: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  /** When the last message arrived (state.last_ts); undefined for a stream that never held one. */
  lastActivity?: Date;
  consumerCount: number;
  storage: 'file' | 'memory';
  retention: 'limits' | 'interest' | 'workqueue';
  /** Nanoseconds; 0 is no limit. */
  maxAge: number;
  replicas: number;
  description?: string;
  /** In a cluster: the leader's server name and the other replicas (the leader is not among them). */
  cluster?: { name?: string; leader?: string; replicas: StreamReplica[] };
  /** `KV_<bucket>` streams with `$KV.<bucket>.>`, `OBJ_<store>` streams with `$O.<store>.…`. */
  kind: 'stream' | 'kv' | 'object';
  /** One sentence for a stream the server cannot show now (no leader); its numbers are then 0. */
  unavailable?: string;
  /** The raw config and state, for the read-only info document (undefined for an unavailable stream). */
  config: unknown;
  state: unknown;
}

export interface ListStreamsOptions {
  signal?: AbortSignal;
  /** Only streams whose subjects overlap this subject or pattern (the server filters). */
  filter?: string;
}

/**
 * All streams, paged through the raw `$JS.API.STREAM.LIST` (the client's lister drops its `missing` array),
 * sorted by name; streams whose leader is missing are included as `unavailable`.
 */
export async function listStreams(session: NatsSession, options: ListStreamsOptions = {}): Promise<StreamSummary[]> {
  try {
    const ctx = await apiContext(session);
    const payload = options.filter ? { subject: options.filter } : {};
    const { items, missing } = await pagedList<StreamInfo>(ctx, `${ctx.prefix}.STREAM.LIST`, 'streams', payload, options.signal);
    const out = items.map(toSummary);
    for (const name of missing) out.push(unavailableStream(name));
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    const cluster = session.nc.info?.cluster;
    if (cluster && isNoAnswer(e)) {
      throw new NatsUserError(`No JetStream meta leader of cluster ${cluster} answered ${session.server} in time: the cluster is electing one, try again in a few seconds.`, { cause: e });
    }
    throw userError(session, e, { action: 'listing streams' });
  }
}

export function toSummary(si: StreamInfo): StreamSummary {
  const { config, state } = si;
  const subjects = config.subjects ?? [];
  const lastTs = state.last_seq > 0 && state.last_ts ? new Date(state.last_ts) : undefined;
  const cluster = si.cluster
    ? {
        ...(si.cluster.name ? { name: si.cluster.name } : {}),
        ...(si.cluster.leader ? { leader: si.cluster.leader } : {}),
        replicas: (si.cluster.replicas ?? []).map(r => ({
          name: r.name,
          current: r.current,
          ...(typeof r.lag === 'number' ? { lag: r.lag } : {}),
          ...(typeof r.active === 'number' ? { active: r.active } : {}),
          ...(r.offline ? { offline: true } : {}),
        })),
      }
    : undefined;
  const replicas = config.num_replicas || 1;
  return {
    name: config.name,
    subjects,
    messages: state.messages,
    bytes: state.bytes,
    firstSeq: state.first_seq,
    lastSeq: state.last_seq,
    ...(lastTs && !Number.isNaN(lastTs.getTime()) ? { lastActivity: lastTs } : {}),
    consumerCount: state.consumer_count,
    storage: config.storage === 'memory' ? 'memory' : 'file',
    retention: config.retention === 'interest' ? 'interest' : config.retention === 'workqueue' ? 'workqueue' : 'limits',
    maxAge: config.max_age ?? 0,
    replicas,
    ...(config.description ? { description: config.description } : {}),
    ...(cluster ? { cluster } : {}),
    kind: streamKind(config.name, subjects),
    ...(cluster && replicas > 1 && !cluster.leader ? { unavailable: noLeaderSentence(config.name) } : {}),
    config,
    state,
  };
}

function unavailableStream(name: string): StreamSummary {
  return {
    name,
    subjects: [],
    messages: 0,
    bytes: 0,
    firstSeq: 0,
    lastSeq: 0,
    consumerCount: 0,
    storage: 'file',
    retention: 'limits',
    maxAge: 0,
    replicas: 0,
    kind: streamKind(name, []),
    // A stream in `missing` has no leader the meta leader could reach: electing, or every server holding it is down.
    unavailable: `${noLeaderSentence(name)} (or every server that holds it is down)`,
    config: undefined,
    state: undefined,
  };
}

/** KV buckets and object stores are streams by convention: their name and their subjects say so. */
export function streamKind(name: string, subjects: readonly string[]): StreamSummary['kind'] {
  if (name.startsWith('KV_')) {
    const bucket = name.slice(3);
    if (subjects.length === 0 || subjects.includes(`$KV.${bucket}.>`)) return 'kv';
  }
  if (name.startsWith('OBJ_')) {
    const store = name.slice(4);
    if (subjects.length === 0 || subjects.some(s => s.startsWith(`$O.${store}.`))) return 'object';
  }
  return 'stream';
}
