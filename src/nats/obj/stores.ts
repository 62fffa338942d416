// Object stores (`OBJ_<store>` streams): their figures from the stream's own info, create, delete and seal.
import { Objm, StorageType } from '@nats-io/obj';
import type { StreamConfig, StreamInfo, StreamState } from '@nats-io/jetstream';
import type { NatsSession } from '../connection/connect';
import { API, apiCode } from '../errors/apiCodes';
import { NatsUserError } from '../errors/sentences';
import { listStreams, type StreamSummary } from '../explorer/streamList';
import { badStoreName, missingStore, objError } from './objErrors';
import { listObjects } from './objects';

export const OBJ_STREAM_PREFIX = 'OBJ_';

export interface ObjectStoreSummary {
  /** The store's name (the stream's without `OBJ_`). */
  name: string;
  stream: string;
  description?: string;
  /** Bytes the stream holds (chunks and metadata). */
  bytes: number;
  /** Messages the stream holds (chunks and metadata). */
  messages: number;
  sealed: boolean;
  storage: 'file' | 'memory';
  replicas: number;
  /** Nanoseconds; 0 = objects never expire. */
  maxAgeNs: number;
  /** -1 = no limit. */
  maxBytes: number;
  compression?: string;
  metadata?: Record<string, string>;
  created?: Date;
  lastActivity?: Date;
}

/** Whether a name is one a store may have (the client's and the server's rule). */
export function storeNameProblem(name: string): string | undefined {
  if (!name) return 'Enter a name for the object store.';
  return /^[-\w]+$/.test(name) ? undefined : badStoreName(name).message;
}

/** The store an `OBJ_` stream holds, from its raw config and state (as the explorer's stream summary keeps them). */
export function objectStoreOf(stream: Pick<StreamSummary, 'name' | 'config' | 'state'> & { created?: string }): ObjectStoreSummary {
  const config = (stream.config ?? {}) as Partial<StreamConfig> & { compression?: string; metadata?: Record<string, string> };
  const state = (stream.state ?? {}) as Partial<StreamState>;
  const created = stream.created;
  return {
    name: stream.name.startsWith(OBJ_STREAM_PREFIX) ? stream.name.slice(OBJ_STREAM_PREFIX.length) : stream.name,
    stream: stream.name,
    ...(config.description ? { description: config.description } : {}),
    bytes: state.bytes ?? 0,
    messages: state.messages ?? 0,
    sealed: config.sealed === true,
    storage: config.storage === 'memory' ? 'memory' : 'file',
    replicas: config.num_replicas ?? 1,
    maxAgeNs: config.max_age ?? 0,
    maxBytes: config.max_bytes ?? -1,
    ...(config.compression ? { compression: config.compression } : {}),
    ...(config.metadata ? { metadata: userMetadata(config.metadata) } : {}),
    ...(created ? { created: new Date(created) } : {}),
    ...(state.last_seq && state.last_ts ? { lastActivity: new Date(state.last_ts) } : {}),
  };
}

/** The server's own `_nats.*` entries are not the user's. */
function userMetadata(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('_nats')));
}

/** Every object store of the account, sorted by name. */
export async function listObjectStores(session: NatsSession): Promise<ObjectStoreSummary[]> {
  const streams = await listStreams(session);
  return streams.filter(s => s.kind === 'object' && !s.unavailable).map(objectStoreOf);
}

/** The store's figures as the server has them now (one stream info request; no object is read). */
export async function objectStoreStatus(session: NatsSession, store: string): Promise<ObjectStoreSummary> {
  const si = await streamInfo(session, store, `reading object store ${store}`);
  return objectStoreOf({ name: si.config.name, config: si.config, state: si.state, created: si.created });
}

/** The store as the server has it now, with its live object count (for confirmations and info). */
export async function objectStoreNow(session: NatsSession, store: string): Promise<ObjectStoreSummary & { objects: number; objectsTruncated: boolean }> {
  const si = await streamInfo(session, store, `reading object store ${store}`);
  const listing = await listObjects(session, store);
  return { ...objectStoreOf({ name: si.config.name, config: si.config, state: si.state, created: si.created }), objects: listing.objects.length, objectsTruncated: listing.truncated };
}

async function streamInfo(session: NatsSession, store: string, action: string): Promise<StreamInfo> {
  const problem = storeNameProblem(store);
  if (problem) throw new NatsUserError(problem);
  try {
    return await (await session.jetstreamManager()).streams.info(`${OBJ_STREAM_PREFIX}${store}`);
  } catch (e) {
    if (apiCode(e) === API.STREAM_NOT_FOUND) throw missingStore(session, store, e);
    throw objError(session, e, { action, store });
  }
}

export interface CreateObjectStoreOptions {
  description?: string;
  storage?: 'file' | 'memory';
  replicas?: number;
  /** Bytes; absent = no limit. */
  maxBytes?: number;
  /** Objects expire after this long (ms); absent = never. */
  ttlMs?: number;
}

/** Creates a store; refuses a name already taken (the client would silently open it). */
export async function createObjectStore(session: NatsSession, store: string, options: CreateObjectStoreOptions = {}): Promise<ObjectStoreSummary> {
  const problem = storeNameProblem(store);
  if (problem) throw new NatsUserError(problem);
  const action = `creating object store ${store}`;
  const jsm = await session.jetstreamManager();
  const existing = await jsm.streams.info(`${OBJ_STREAM_PREFIX}${store}`).catch((e: unknown) => {
    if (apiCode(e) === API.STREAM_NOT_FOUND) return undefined;
    throw objError(session, e, { action, store });
  });
  if (existing) throw new NatsUserError(`Object store ${store} already exists on ${session.server}: upload into it, or choose another name.`);
  try {
    const os = await new Objm(session.jetstream()).create(store, {
      storage: options.storage === 'memory' ? StorageType.Memory : StorageType.File,
      replicas: options.replicas ?? 1,
      ...(options.description ? { description: options.description } : {}),
      ...(options.maxBytes !== undefined ? { max_bytes: options.maxBytes } : {}),
      ...(options.ttlMs !== undefined ? { ttl: options.ttlMs * 1_000_000 } : {}),
    });
    const status = await os.status();
    return objectStoreOf({ name: status.streamInfo.config.name, config: status.streamInfo.config, state: status.streamInfo.state });
  } catch (e) {
    throw objError(session, e, { action, store });
  }
}

/** Deletes a store with every object in it. */
export async function deleteObjectStore(session: NatsSession, store: string): Promise<void> {
  await streamInfo(session, store, `deleting object store ${store}`);
  try {
    await (await session.jetstreamManager()).streams.delete(`${OBJ_STREAM_PREFIX}${store}`);
  } catch (e) {
    throw objError(session, e, { action: `deleting object store ${store}`, store });
  }
}

/** Seals a store: from then on it refuses every change, for good. */
export async function sealObjectStore(session: NatsSession, store: string): Promise<ObjectStoreSummary> {
  const si = await streamInfo(session, store, `sealing object store ${store}`);
  if (si.config.sealed) throw new NatsUserError(`Object store ${store} is already sealed: nothing to do.`);
  try {
    const os = await new Objm(session.jetstream()).open(store, false);
    const status = await os.seal();
    return objectStoreOf({ name: status.streamInfo.config.name, config: status.streamInfo.config, state: status.streamInfo.state });
  } catch (e) {
    throw objError(session, e, { action: `sealing object store ${store}`, store });
  }
}
