// Key-value buckets (`KV_<bucket>` streams): their figures from the stream's own info, create (refusing an existing
// one), edit the mutable fields, delete. Fields a server lacks are refused before sending, naming the version.
import { Kvm, type KvOptions } from '@nats-io/kv';
import type { StreamConfig, StreamInfo, StreamState, StreamUpdateConfig } from '@nats-io/jetstream';
import type { NatsSession } from '../connection/connect';
import { API, apiCode } from '../errors/apiCodes';
import { NatsUserError } from '../errors/sentences';
import { bucketNameProblem } from '../../core/kv/valueText';
import { versionAtLeast } from '../explorer/jsApi';
import { kvError, missingBucket } from './kvErrors';

export const KV_STREAM_PREFIX = 'KV_';

export interface BucketSummary {
  /** The bucket's name (the stream's without `KV_`). */
  name: string;
  stream: string;
  description?: string;
  /** Keys with a last revision (subjects), deleted ones included until purged. */
  keys: number;
  /** Revisions held (every key's history). */
  values: number;
  bytes: number;
  /** Revisions kept per key. */
  history: number;
  /** Milliseconds a revision lives; 0 = for ever. */
  ttlMs: number;
  /** Bytes; -1 = no limit but the server's max payload. */
  maxValueSize: number;
  /** Bytes; -1 = no limit. */
  maxBytes: number;
  storage: 'file' | 'memory';
  replicas: number;
  compression: boolean;
  /** Milliseconds a delete or purge marker lives (2.11+); 0 = none. */
  markerTtlMs: number;
  /** The bucket mirrors or sources another: written through its origin. */
  mirror?: string;
  lastActivity?: Date;
}

/** The bucket a `KV_` stream holds, from its raw config and state (as the explorer's stream summary keeps them). */
export function bucketOf(stream: { name: string; config: unknown; state: unknown }): BucketSummary {
  const config = (stream.config ?? {}) as Partial<StreamConfig> & { compression?: string; subject_delete_marker_ttl?: number };
  const state = (stream.state ?? {}) as Partial<StreamState>;
  return {
    name: stream.name.startsWith(KV_STREAM_PREFIX) ? stream.name.slice(KV_STREAM_PREFIX.length) : stream.name,
    stream: stream.name,
    ...(config.description ? { description: config.description } : {}),
    keys: state.num_subjects ?? 0,
    values: state.messages ?? 0,
    bytes: state.bytes ?? 0,
    history: config.max_msgs_per_subject ?? 1,
    ttlMs: Math.round((config.max_age ?? 0) / 1e6),
    maxValueSize: config.max_msg_size ?? -1,
    maxBytes: config.max_bytes ?? -1,
    storage: config.storage === 'memory' ? 'memory' : 'file',
    replicas: config.num_replicas ?? 1,
    compression: !!config.compression && config.compression !== 'none',
    markerTtlMs: Math.round((config.subject_delete_marker_ttl ?? 0) / 1e6),
    ...(config.mirror?.name ? { mirror: config.mirror.name } : {}),
    ...(state.last_seq && state.last_ts ? { lastActivity: new Date(state.last_ts) } : {}),
  };
}

/** A bucket read from the server now (confirmations and edits use it, not a tree row). */
export async function bucketNow(session: NatsSession, bucket: string): Promise<BucketSummary> {
  const jsm = await session.jetstreamManager();
  try {
    const si: StreamInfo = await jsm.streams.info(`${KV_STREAM_PREFIX}${bucket}`);
    return bucketOf({ name: si.config.name, config: si.config, state: si.state });
  } catch (e) {
    throw kvError(session, e, { action: `reading bucket ${bucket}`, bucket });
  }
}

/** Every bucket of the account, by name. */
export async function listBuckets(session: NatsSession): Promise<BucketSummary[]> {
  const out: BucketSummary[] = [];
  try {
    for await (const status of new Kvm(session.jetstream()).list()) {
      const si = status.streamInfo;
      out.push(bucketOf({ name: si.config.name, config: si.config, state: si.state }));
    }
  } catch (e) {
    throw new NatsUserError(session.describe(e, { action: 'listing key-value buckets' }), { cause: e });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export interface BucketSettings {
  description?: string;
  /** Revisions kept per key (1–64). */
  history?: number;
  ttlMs?: number;
  maxValueSize?: number;
  maxBytes?: number;
  storage?: 'file' | 'memory';
  replicas?: number;
  compression?: boolean;
  /** Delete and purge markers live this long (nats-server 2.11+); set at creation only. */
  markerTtlMs?: number;
}

/** The fields of a bucket, what each needs of the server, and whether an edit may change it. */
export const BUCKET_FIELDS: Record<keyof BucketSettings, { label: string; since: string; mutable: boolean }> = {
  description: { label: 'description', since: '2.2.0', mutable: true },
  history: { label: 'history (revisions per key)', since: '2.2.0', mutable: true },
  ttlMs: { label: 'TTL', since: '2.2.0', mutable: true },
  maxValueSize: { label: 'max value size', since: '2.2.0', mutable: true },
  maxBytes: { label: 'max bytes', since: '2.2.0', mutable: true },
  storage: { label: 'storage', since: '2.2.0', mutable: false },
  replicas: { label: 'replicas', since: '2.2.0', mutable: true },
  compression: { label: 'compression (S2)', since: '2.10.0', mutable: true },
  markerTtlMs: { label: 'delete-marker TTL', since: '2.11.0', mutable: false },
};

export const MAX_HISTORY = 64;

/** Whether a server of `version` has what `since` (`2.10.0`) names. */
export function serverHas(version: string | undefined, since: string): boolean {
  const [major = 0, minor = 0] = since.split('.').map(Number);
  return versionAtLeast(version, major, minor);
}

/** The fields this server cannot take, as one sentence; undefined when it takes them all. */
export function unsupportedFields(version: string | undefined, settings: BucketSettings): string | undefined {
  const wanted = (Object.keys(settings) as (keyof BucketSettings)[]).filter(k => {
    const v = settings[k];
    return v !== undefined && v !== false && v !== 0 && !serverHas(version, BUCKET_FIELDS[k].since);
  });
  if (wanted.length === 0) return undefined;
  const list = wanted.map(k => `${BUCKET_FIELDS[k].label} needs nats-server ${BUCKET_FIELDS[k].since}`).join(', ');
  return `This server runs nats-server ${version ?? '(unknown version)'}: ${list}; leave ${wanted.length > 1 ? 'them' : 'it'} unset or upgrade the server.`;
}

function settingsProblem(settings: BucketSettings): string | undefined {
  const h = settings.history;
  if (h !== undefined && (!Number.isInteger(h) || h < 1 || h > MAX_HISTORY)) return `History must be a whole number from 1 to ${MAX_HISTORY} (revisions kept per key), not ${h}.`;
  if (settings.replicas !== undefined && ![1, 3, 5].includes(settings.replicas)) return `Replicas must be 1, 3 or 5, not ${settings.replicas}.`;
  for (const k of ['ttlMs', 'maxValueSize', 'maxBytes', 'markerTtlMs'] as const) {
    const v = settings[k];
    if (v !== undefined && (!Number.isFinite(v) || (v < 0 && v !== -1))) return `The ${BUCKET_FIELDS[k].label} must be a positive number (or -1 for no limit), not ${v}.`;
  }
  return undefined;
}

/** Creates a bucket; refuses one that exists (the client would silently open it). */
export async function createBucket(session: NatsSession, name: string, settings: BucketSettings = {}): Promise<BucketSummary> {
  const problem = bucketNameProblem(name) ?? settingsProblem(settings) ?? unsupportedFields(session.nc.info?.version, settings);
  if (problem) throw new NatsUserError(problem);
  const jsm = await session.jetstreamManager();
  const exists = await jsm.streams.info(`${KV_STREAM_PREFIX}${name}`).then(() => true, (e: unknown) => {
    if (apiCode(e) === API.STREAM_NOT_FOUND) return false;
    throw kvError(session, e, { action: `creating bucket ${name}`, bucket: name });
  });
  if (exists) throw new NatsUserError(`Bucket ${name} already exists on ${session.server}: edit it (Edit Bucket…) or choose another name.`);
  const opts: Partial<KvOptions> = {
    ...(settings.description ? { description: settings.description } : {}),
    ...(settings.history ? { history: settings.history } : {}),
    ...(settings.ttlMs ? { ttl: settings.ttlMs } : {}),
    ...(settings.maxValueSize !== undefined ? { maxValueSize: settings.maxValueSize } : {}),
    ...(settings.maxBytes !== undefined && settings.maxBytes > 0 ? { max_bytes: settings.maxBytes } : {}),
    ...(settings.storage ? { storage: settings.storage === 'memory' ? 'memory' : 'file' } : {}),
    ...(settings.replicas ? { replicas: settings.replicas } : {}),
    // only when asked: the client sends "none" otherwise, which a 2.9 server's client refuses
    ...(settings.compression ? { compression: true } : {}),
    ...(settings.markerTtlMs ? { markerTTL: settings.markerTtlMs } : {}),
  } as Partial<KvOptions>;
  try {
    await new Kvm(session.jetstream()).create(name, opts);
  } catch (e) {
    throw kvError(session, e, { action: `creating bucket ${name}`, bucket: name });
  }
  return bucketNow(session, name);
}

/** Changes the mutable fields given; storage and the marker TTL cannot change once the bucket exists. */
export async function editBucket(session: NatsSession, name: string, settings: BucketSettings): Promise<BucketSummary> {
  const fixed = (Object.keys(settings) as (keyof BucketSettings)[]).filter(k => settings[k] !== undefined && !BUCKET_FIELDS[k].mutable);
  if (fixed.length > 0) throw new NatsUserError(`A bucket's ${fixed.map(k => BUCKET_FIELDS[k].label).join(' and ')} cannot change once it exists: create a new bucket to change ${fixed.length > 1 ? 'them' : 'it'}.`);
  const problem = settingsProblem(settings) ?? unsupportedFields(session.nc.info?.version, settings);
  if (problem) throw new NatsUserError(problem);
  const before = await bucketNow(session, name);
  const update: Partial<StreamUpdateConfig> & { compression?: string } = {
    ...(settings.description !== undefined ? { description: settings.description } : {}),
    ...(settings.history !== undefined ? { max_msgs_per_subject: settings.history } : {}),
    ...(settings.ttlMs !== undefined ? { max_age: settings.ttlMs * 1e6 } : {}),
    ...(settings.maxValueSize !== undefined ? { max_msg_size: settings.maxValueSize } : {}),
    ...(settings.maxBytes !== undefined ? { max_bytes: settings.maxBytes } : {}),
    ...(settings.replicas !== undefined ? { num_replicas: settings.replicas } : {}),
    ...(settings.compression !== undefined && (settings.compression || before.compression) ? { compression: settings.compression ? 's2' : 'none' } : {}),
  };
  try {
    const jsm = await session.jetstreamManager();
    const si = await jsm.streams.update(before.stream, update as Partial<StreamUpdateConfig>);
    return bucketOf({ name: si.config.name, config: si.config, state: si.state });
  } catch (e) {
    throw kvError(session, e, { action: `editing bucket ${name}`, bucket: name });
  }
}

/** Deletes a bucket and every key in it. */
export async function deleteBucket(session: NatsSession, name: string): Promise<void> {
  const jsm = await session.jetstreamManager();
  try {
    await jsm.streams.delete(`${KV_STREAM_PREFIX}${name}`);
  } catch (e) {
    if (apiCode(e) === API.STREAM_NOT_FOUND) throw missingBucket(session, name, e);
    throw kvError(session, e, { action: `deleting bucket ${name}`, bucket: name });
  }
}
