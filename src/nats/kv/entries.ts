// A bucket's keys one at a time: read a value (or one revision), compare-and-set writes on the revision the user
// started from, create (refusing a live key), delete (a tombstone), purge (history gone), a key's history and revert.
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { NatsSession } from '../connection/connect';
import { API, apiCode } from '../errors/apiCodes';
import { NatsUserError } from '../errors/sentences';
import { keyProblem } from '../../core/kv/valueText';
import { bucketNow } from './buckets';
import { isWrongRevision, KvConflictError, kvError, type KvContext } from './kvErrors';

export type KvOperation = 'PUT' | 'DEL' | 'PURGE';

/** One revision of a key; `value` only where it was read (a history or a listing reads none). */
export interface KvValue {
  bucket: string;
  key: string;
  revision: number;
  created: Date;
  operation: KvOperation;
  /** The value's size in bytes. */
  size: number;
  value?: Uint8Array;
}

/** The bucket bound without a request (a missing one is told by the first use). */
export function openBucket(session: NatsSession, bucket: string): Promise<KV> {
  return new Kvm(session.jetstream()).open(bucket);
}

export function kvValueOf(e: KvEntry, withValue: boolean): KvValue {
  return {
    bucket: e.bucket,
    key: e.key,
    revision: e.revision,
    created: e.created,
    operation: e.operation,
    size: e.length,
    ...(withValue ? { value: e.value } : {}),
  };
}

function checkKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new NatsUserError(problem);
}

/** Runs a read or write; its failure becomes one sentence. A write nobody answers is most likely a missing bucket. */
async function run<T>(session: NatsSession, ctx: KvContext, f: (kv: KV) => Promise<T>): Promise<T> {
  try {
    return await f(await openBucket(session, ctx.bucket));
  } catch (e) {
    if (e instanceof Error && !(e instanceof NatsUserError) && /no responders|jetstream is not enabled/i.test(`${e.message} ${e.cause instanceof Error ? e.cause.message : ''}`)) {
      await bucketNow(session, ctx.bucket);
    }
    if (apiCode(e) === API.MSG_SIZE_EXCEEDED) {
      const limit = await bucketNow(session, ctx.bucket).then(b => b.maxValueSize, () => undefined);
      if (limit !== undefined) throw kvError(session, e, { ...ctx, maxValueSize: limit });
    }
    throw kvError(session, e, ctx);
  }
}

/** The key's latest revision (or `revision`), value included; null when the key never existed (or was purged). */
export async function getValue(session: NatsSession, bucket: string, key: string, revision?: number): Promise<KvValue | null> {
  checkKey(key);
  return run(session, { action: `reading ${key} in bucket ${bucket}`, bucket, key }, async kv => {
    const e = await kv.get(key, revision ? { revision } : undefined);
    return e ? kvValueOf(e, true) : null;
  });
}

/**
 * Writes `value` only if the key's latest revision is still `expected` (the one the user opened). On a conflict
 * nothing is written and the error carries their revision (or null when the key was purged) for a diff.
 */
export async function updateValue(session: NatsSession, bucket: string, key: string, value: Uint8Array, expected: number): Promise<number> {
  checkKey(key);
  const ctx = { action: `saving ${key} in bucket ${bucket}`, bucket, key, size: value.length };
  try {
    return await run(session, ctx, kv => (expected > 0 ? kv.update(key, value, expected) : kv.create(key, value)));
  } catch (e) {
    const cause = (e as Error).cause;
    if (!isWrongRevision(cause) && !isWrongRevision(e)) throw e;
    const current = await getValue(session, bucket, key);
    const theirs = current ? `${current.operation === 'PUT' ? 'is now at' : current.operation === 'DEL' ? 'was deleted at' : 'was purged at'} revision ${current.revision}` : 'was purged';
    throw new KvConflictError(`${key} in bucket ${bucket} changed since you opened revision ${expected} (it ${theirs}): your edit was not saved; compare the two, then save again on their revision or discard yours.`, expected, current, { cause: e });
  }
}

/** Creates a key; refuses one that holds a value (a deleted or purged key may be created again). */
export async function createKey(session: NatsSession, bucket: string, key: string, value: Uint8Array): Promise<number> {
  checkKey(key);
  const ctx = { action: `creating ${key} in bucket ${bucket}`, bucket, key, size: value.length };
  try {
    return await run(session, ctx, kv => kv.create(key, value));
  } catch (e) {
    if (!isWrongRevision((e as Error).cause) && !isWrongRevision(e)) throw e;
    const current = await getValue(session, bucket, key);
    throw new NatsUserError(`${key} already exists in bucket ${bucket}${current ? ` (revision ${current.revision})` : ''}: open it to change its value, or choose another key.`, { cause: e });
  }
}

/** Puts a delete marker (the history stays); with `expected`, only while that is still the latest revision. */
export async function deleteKey(session: NatsSession, bucket: string, key: string, expected?: number): Promise<void> {
  checkKey(key);
  try {
    await run(session, { action: `deleting ${key} in bucket ${bucket}`, bucket, key }, kv => kv.delete(key, expected ? { previousSeq: expected } : undefined));
  } catch (e) {
    if (!isWrongRevision((e as Error).cause) && !isWrongRevision(e)) throw e;
    throw new NatsUserError(`${key} in bucket ${bucket} changed after revision ${expected ?? '?'} was read: nothing was deleted; look at it again before deleting.`, { cause: e });
  }
}

/** Removes the key's whole history, leaving one purge marker. */
export async function purgeKey(session: NatsSession, bucket: string, key: string): Promise<void> {
  checkKey(key);
  await run(session, { action: `purging ${key} in bucket ${bucket}`, bucket, key }, kv => kv.purge(key));
}

/** The key's revisions the bucket keeps (no values: revision, time, operation, size), oldest first. */
export async function keyHistory(session: NatsSession, bucket: string, key: string): Promise<KvValue[]> {
  checkKey(key);
  return run(session, { action: `reading the history of ${key} in bucket ${bucket}`, bucket, key }, async kv => {
    const out: KvValue[] = [];
    const iter = await kv.history({ key, headers_only: true } as { key: string });
    for await (const e of iter) out.push(kvValueOf(e, false));
    return out;
  });
}

/** Puts revision `revision`'s value back as the latest, only if `expected` is still the latest revision. */
export async function revertKey(session: NatsSession, bucket: string, key: string, revision: number, expected: number): Promise<number> {
  const old = await getValue(session, bucket, key, revision);
  if (!old || old.key !== key) throw new NatsUserError(`Revision ${revision} of ${key} is no longer in bucket ${bucket} (its history keeps fewer revisions): choose a newer one.`);
  if (old.operation !== 'PUT') throw new NatsUserError(`Revision ${revision} of ${key} is a ${old.operation === 'DEL' ? 'delete' : 'purge'} marker, not a value: delete the key instead.`);
  return updateValue(session, bucket, key, old.value ?? new Uint8Array(), expected);
}
