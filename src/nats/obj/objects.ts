// The objects of a store, read from their metadata messages (`$O.<store>.M.<name>`, one per object: each put rolls the
// subject up) through the one consumer lease; an object's chunks read the same way, a bounded batch at a time.
import { createHash } from 'node:crypto';
import { Objm } from '@nats-io/obj';
import type { Consumer } from '@nats-io/jetstream';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { ConsumerLease } from '../read/lease';
import { missingObject, objError, writingTo } from './objErrors';

export interface ObjectSummary {
  store: string;
  name: string;
  /** Bytes of the object's data. */
  size: number;
  chunks: number;
  /** `SHA-256=<base64url>` as the client that wrote it computed it. */
  digest: string;
  modified?: Date;
  /** The stream sequence of its metadata message. */
  revision: number;
  /** The id its chunks are stored under (`$O.<store>.C.<nuid>`). */
  nuid: string;
  description?: string;
  headers: Record<string, string[]>;
  metadata: Record<string, string>;
  /** A link to another object (`name`) or to a whole store (no `name`). */
  link?: { store: string; name?: string };
  maxChunkSize?: number;
  deleted: boolean;
}

export interface ObjectListing {
  /** Live objects by name (deleted ones only when asked for). */
  objects: ObjectSummary[];
  /** How many deleted objects were left out. */
  deleted: number;
  /** More objects than `max`: only the first ones are listed. */
  truncated: boolean;
}

const META_BATCH = 256;
const FETCH_EXPIRES_MS = 5_000;
export const DEFAULT_MAX_OBJECTS = 10_000;

interface RawMeta {
  name?: string;
  description?: string;
  headers?: Record<string, string[]>;
  options?: { link?: { bucket?: string; name?: string } | null; max_chunk_size?: number };
  metadata?: Record<string, string>;
  nuid?: string;
  size?: number;
  chunks?: number;
  digest?: string;
  mtime?: string;
  deleted?: boolean;
}

function toSummary(store: string, raw: RawMeta, revision: number): ObjectSummary {
  const mtime = raw.mtime ? new Date(raw.mtime) : undefined;
  const link = raw.options?.link;
  return {
    store,
    name: raw.name ?? '',
    size: raw.size ?? 0,
    chunks: raw.chunks ?? 0,
    digest: raw.digest ?? '',
    ...(mtime && !Number.isNaN(mtime.getTime()) ? { modified: mtime } : {}),
    revision,
    nuid: raw.nuid ?? '',
    ...(raw.description ? { description: raw.description } : {}),
    headers: raw.headers ?? {},
    metadata: raw.metadata ?? {},
    ...(link?.bucket ? { link: { store: link.bucket, ...(link.name ? { name: link.name } : {}) } } : {}),
    ...(raw.options?.max_chunk_size ? { maxChunkSize: raw.options.max_chunk_size } : {}),
    deleted: raw.deleted === true,
  };
}

/** Every message of `consumer` (which has `pending` of them), a bounded batch at a time; stops early on `signal`. */
async function* drain(consumer: Consumer, pending: number, batch: number, signal?: AbortSignal) {
  let received = 0;
  while (received < pending) {
    signal?.throwIfAborted();
    const iter = await consumer.fetch({ max_messages: Math.min(batch, pending - received), expires: FETCH_EXPIRES_MS });
    const stop = () => iter.stop();
    signal?.addEventListener('abort', stop, { once: true });
    let got = 0;
    try {
      for await (const m of iter) {
        got++;
        received++;
        yield m;
        if (m.info.pending === 0) return;
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      iter.stop();
    }
    signal?.throwIfAborted();
    // nothing came before the fetch expired: what was pending is gone (purged meanwhile)
    if (got === 0) return;
  }
}

/** The objects of `store`, sorted by name; deleted ones hidden unless `includeDeleted`. */
export async function listObjects(session: NatsSession, store: string, options: { max?: number; includeDeleted?: boolean; signal?: AbortSignal } = {}): Promise<ObjectListing> {
  const max = options.max ?? DEFAULT_MAX_OBJECTS;
  const lease = new ConsumerLease(session, `OBJ_${store}`, 'read');
  const objects: ObjectSummary[] = [];
  let deleted = 0;
  let truncated = false;
  try {
    const { consumer, pending } = await lease.ordered({ opt_start_seq: 1 }, `$O.${store}.M.>`);
    for await (const m of drain(consumer, pending, META_BATCH, options.signal)) {
      let raw: RawMeta;
      try {
        raw = m.json<RawMeta>();
      } catch {
        continue;
      }
      const o = toSummary(store, raw, m.seq);
      if (o.deleted && !options.includeDeleted) {
        deleted++;
        continue;
      }
      if (objects.length >= max) {
        truncated = true;
        break;
      }
      objects.push(o);
    }
  } catch (e) {
    throw objError(session, e, { action: `listing the objects of store ${store}`, store });
  } finally {
    await lease.close();
  }
  objects.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { objects, deleted, truncated };
}

/** `$O.<store>.M.<name in padded base64url>`, as the client names an object's metadata subject. */
export function metaSubject(store: string, name: string): string {
  const b64 = Buffer.from(name, 'utf8').toString('base64url');
  return `$O.${store}.M.${b64}${'='.repeat((4 - (b64.length % 4)) % 4)}`;
}

/** One object's metadata as the server has it now; a missing or deleted one is a sentence. */
export async function objectInfo(session: NatsSession, store: string, name: string): Promise<ObjectSummary> {
  let found: { raw: RawMeta; seq: number } | null;
  try {
    const m = await (await session.jetstreamManager()).streams.getMessage(`OBJ_${store}`, { last_by_subj: metaSubject(store, name) });
    found = m ? { raw: m.json<RawMeta>(), seq: m.seq } : null;
  } catch (e) {
    throw objError(session, e, { action: `reading object "${name}" of store ${store}`, store });
  }
  if (!found || found.raw.deleted) throw missingObject(store, name);
  return toSummary(store, found.raw, found.seq);
}

/** The object that holds the data: a link is followed (one level, as the client allows); a store link is a sentence. */
export async function resolveLink(session: NatsSession, object: ObjectSummary): Promise<ObjectSummary> {
  if (!object.link) return object;
  if (!object.link.name) {
    throw new NatsUserError(`"${object.name}" in store ${object.store} is a link to the whole store ${object.link.store}, not to an object: open that store instead.`);
  }
  return objectInfo(session, object.link.store, object.link.name);
}

/** Deletes an object (its chunks are purged; a deleted marker stays); returns what it was. */
export async function deleteObject(session: NatsSession, store: string, name: string): Promise<ObjectSummary> {
  const object = await objectInfo(session, store, name);
  await writingTo(session, { action: `deleting object "${name}" from store ${store}`, store }, async () => {
    const os = await new Objm(session.jetstream()).open(store, false);
    await os.delete(name);
  });
  return object;
}

/** Chunks in flight at once while reading an object: with 128 KiB chunks, 4 MiB. */
const CHUNK_BATCH = 32;

/** The data of `object` (not a link) a chunk at a time, through one lease consumer that is gone when this ends. */
export async function* objectChunks(session: NatsSession, object: ObjectSummary, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  if (object.size === 0) return;
  const lease = new ConsumerLease(session, `OBJ_${object.store}`, 'read');
  try {
    const { consumer, pending } = await lease.ordered({ opt_start_seq: 1 }, `$O.${object.store}.C.${object.nuid}`);
    for await (const m of drain(consumer, pending, CHUNK_BATCH, signal)) yield m.data;
  } finally {
    await lease.close();
  }
}

/** The SHA-256 an object's digest names, or undefined when it names none this reads. */
export function digestBytes(digest: string): Buffer | undefined {
  const m = /^SHA-256=(.+)$/i.exec(digest);
  if (!m) return undefined;
  const value = m[1]!;
  const bytes = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

/** Checks the data read against the object's size and digest; a sentence when they differ. */
export function checkDigest(object: ObjectSummary, size: number, hash: Buffer, where: string): void {
  const expected = digestBytes(object.digest);
  if (size === object.size && expected && expected.equals(hash)) return;
  const got = size !== object.size ? `${size} of ${object.size} bytes arrived` : `its SHA-256 is ${hash.toString('base64url')}, not ${object.digest.replace(/^SHA-256=/i, '')}`;
  throw new NatsUserError(`"${object.name}" from store ${object.store} does not match its digest (${got}): it is damaged or was replaced while being read; ${where}.`);
}

export type ObjectText =
  | { kind: 'text'; object: ObjectSummary; text: string; json: boolean }
  | { kind: 'tooLarge'; object: ObjectSummary; limit: number }
  | { kind: 'binary'; object: ObjectSummary };

/** A small object as text (JSON pretty-printed); a larger or binary one is said, not read whole. */
export async function readObjectText(session: NatsSession, store: string, name: string, limit: number, signal?: AbortSignal): Promise<ObjectText> {
  const object = await resolveLink(session, await objectInfo(session, store, name));
  if (object.size > limit) return { kind: 'tooLarge', object, limit };
  const parts: Uint8Array[] = [];
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of objectChunks(session, object, signal)) {
      size += chunk.length;
      // the object grew since its info was read: do not hold more than asked
      if (size > limit) return { kind: 'tooLarge', object, limit };
      hash.update(chunk);
      parts.push(chunk);
    }
  } catch (e) {
    throw objError(session, e, { action: `reading object "${name}" of store ${store}`, store: object.store });
  }
  checkDigest(object, size, hash.digest(), 'nothing was opened');
  const bytes = Buffer.concat(parts);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { kind: 'binary', object };
  }
  if (text.includes('\u0000')) return { kind: 'binary', object };
  const trimmed = text.trim();
  if (/\.json$/i.test(name) || /^[[{]/.test(trimmed)) {
    try {
      return { kind: 'text', object, text: `${JSON.stringify(JSON.parse(trimmed), null, 2)}\n`, json: true };
    } catch {
      // not JSON after all: shown as it is
    }
  }
  return { kind: 'text', object, text, json: false };
}
