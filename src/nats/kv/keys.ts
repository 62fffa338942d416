// A bucket's keys without their values: one headers-only watch of the keys' last revisions (revision, time,
// operation, size), cut at a page bound; the server counts the matching keys first, so an empty match or the end
// of the list is known without waiting.
import { KvWatchInclude } from '@nats-io/kv';
import type { NatsSession } from '../connection/connect';
import { NatsUserError } from '../errors/sentences';
import { ConsumerLease } from '../read/lease';
import { keyPatternProblem } from '../../core/kv/valueText';
import { KV_STREAM_PREFIX } from './buckets';
import { kvValueOf, openBucket, type KvValue } from './entries';
import { kvError } from './kvErrors';

export interface KeyListOptions {
  /** Keys matching this pattern (`orders.>`, `*.eu`); all by default. */
  pattern?: string;
  /** At most this many rows (default 200). */
  limit?: number;
  /** Show deleted and purged keys too (their last revision is a marker). */
  includeDeleted?: boolean;
}

export interface KeyListing {
  /** The rows, by key. */
  keys: KvValue[];
  /** Keys matching the pattern the server holds, deleted ones included (each has a last revision). */
  matching: number;
  /** Deleted keys read and left out. */
  hiddenDeleted: number;
  /** Whether every matching key was read (false: more with a larger limit). */
  complete: boolean;
}

export const DEFAULT_KEY_PAGE = 200;

/** Counts the keys a pattern matches (one counting consumer, deleted at once). */
export async function countKeys(session: NatsSession, bucket: string, pattern = '>'): Promise<number> {
  const lease = new ConsumerLease(session, `${KV_STREAM_PREFIX}${bucket}`, 'count');
  try {
    const { info, removed } = await lease.probe({ deliver_policy: 'last_per_subject' as never, ack_policy: 'none' as never, filter_subject: `$KV.${bucket}.${pattern}` });
    void removed.catch(() => undefined);
    return info.num_pending;
  } finally {
    await lease.close().catch(() => undefined);
  }
}

/** The keys' last revisions, without values, bounded by `limit`. */
export async function listKeys(session: NatsSession, bucket: string, options: KeyListOptions = {}): Promise<KeyListing> {
  const pattern = options.pattern?.trim() || '>';
  const problem = keyPatternProblem(pattern);
  if (problem) throw new NatsUserError(problem);
  const limit = Math.max(1, options.limit ?? DEFAULT_KEY_PAGE);
  const action = `listing the keys of bucket ${bucket}`;
  try {
    const matching = await countKeys(session, bucket, pattern);
    if (matching === 0) return { keys: [], matching, hiddenDeleted: 0, complete: true };
    const kv = await openBucket(session, bucket);
    const iter = await kv.watch({ key: pattern, headers_only: true, include: KvWatchInclude.LastValue });
    const keys: KvValue[] = [];
    let hiddenDeleted = 0;
    let read = 0;
    let complete = false;
    // a key purged between the count and the watch leaves fewer to come: the last one says it (pending 0)
    const idleMs = 2_000;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => iter.stop(), idleMs);
    };
    arm();
    try {
      for await (const e of iter) {
        arm();
        read++;
        if (e.operation !== 'PUT' && !options.includeDeleted) hiddenDeleted++;
        else keys.push(kvValueOf(e, false));
        if (e.delta === 0 || read >= matching) {
          complete = true;
          break;
        }
        if (keys.length >= limit) break;
      }
    } finally {
      clearTimeout(timer);
      iter.stop();
    }
    keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { keys, matching, hiddenDeleted, complete };
  } catch (e) {
    throw kvError(session, e, { action, bucket });
  }
}
